"""Rebates (返利): a programme rewards a distributor's collected sales per
period with tiered rates, e.g. ≥ 100万 2 %, ≥ 300万 3 %.

Collected sales of a distributor in a period are the receipts finance holds
as recorded (manual or from a confirmed statement match) against the
opportunities of that distributor's registered deals (the opportunity
projection's partner_org_id, from opportunity.created), paid on a day of the
period, in the programme's currency. A reversed receipt no longer counts
(reversal is a status, so "less reversals" needs no negative rows); held
and rejected receipts never count.

Which rate on which amount is the programme's `basis`:
- "whole" (the default, 全额累进): the rate of the highest tier reached on
  everything collected in the period — "3 % above 300万" means 3 % of it all
  once 300万 is reached;
- "marginal" (超额累进): each tier's rate on the part collected within it,
  like a tax table.
Amounts are integer 分, floored (a rebate is never over-accrued by rounding).

Settlement freezes one distributor's period once: the figures, the tiers as
they stood and the receipts counted. It is never changed; a receipt reversed
after settlement shows in the live progress, not in the record."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.limits import MAX_NAME
from crm_shared.money import ACCEPTED_CURRENCIES, MAX_AMOUNT_MINOR
from crm_shared.text import refused_character

MONTH, QUARTER, YEAR = "month", "quarter", "year"
PERIOD_KINDS = (MONTH, QUARTER, YEAR)
WHOLE, MARGINAL = "whole", "marginal"
BASES = (WHOLE, MARGINAL)
FULL_BP = 10_000
MAX_RATE_BP = 5_000  # 50 %: anything above is a typing error, not a rebate
MAX_TIERS = 10
MAX_DISTRIBUTORS = 500
MAX_NOTE = 500
# Receipts one settlement may count (and list): far above a distributor's period, bounded all the same.
MAX_SETTLEMENT_RECEIPTS = 20_000
DISTRIBUTOR_ID = re.compile(r"^[a-z0-9-]{2,64}$")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


@dataclass(frozen=True)
class Tier:
    threshold_minor: int
    rate_bp: int


@dataclass(frozen=True)
class Period:
    """A calendar period of a programme's kind: "2026-12", "2026-Q4" or "2026"."""

    label: str
    starts_on: date
    ends_on: date  # inclusive

    def clamped(self, starts_on: date, ends_on: date | None) -> Period:
        """The days of the period a programme running from starts_on to ends_on counts."""
        return Period(self.label, max(self.starts_on, starts_on), min(self.ends_on, ends_on or self.ends_on))


@dataclass(frozen=True)
class RebateProgramme:
    programme_id: str
    tenant_id: str
    name: str
    period_kind: str
    tiers: tuple[Tier, ...]
    basis: str
    currency: str
    distributor_ids: tuple[str, ...]  # empty: every distributor
    starts_on: date
    ends_on: date | None
    active: bool
    version: int
    updated_by: str
    updated_at: datetime

    def applies_to(self, distributor_id: str) -> bool:
        return bool(distributor_id) and (not self.distributor_ids or distributor_id in self.distributor_ids)

    def runs_in(self, period: Period) -> bool:
        """Whether any day of the period lies in the programme's own dates."""
        return self.starts_on <= period.ends_on and (self.ends_on is None or period.starts_on <= self.ends_on)

    def period(self, label: str = "", on: date | None = None) -> Period:
        """The period named by label (its kind's shape), else the one holding `on`; clamped to the programme."""
        chosen = parse_period(self.period_kind, label) if label else period_of(self.period_kind, on or self.starts_on)
        if not self.runs_in(chosen):
            raise InvalidArgument.field("period", f"{chosen.label} is outside the programme's dates")
        return chosen.clamped(self.starts_on, self.ends_on)


@dataclass(frozen=True)
class ProgrammeInput:
    name: str
    period_kind: str
    tiers: Sequence[Tier]
    basis: str
    currency: str
    distributor_ids: Sequence[str]
    starts_on: str
    ends_on: str
    active: bool


@dataclass(frozen=True)
class Progress:
    """Where a distributor stands in one period: tier 0 is below the first threshold."""

    distributor_id: str
    period: Period
    collected_minor: int
    receipt_count: int
    tier: int
    rate_bp: int
    next_threshold_minor: int  # 0 at the top tier
    next_rate_bp: int
    needed_minor: int
    accrued_minor: int


@dataclass(frozen=True)
class RebateSettlement:
    settlement_id: str
    tenant_id: str
    programme_id: str
    programme_name: str
    distributor_id: str
    period: Period
    currency: str
    collected_minor: int
    tier: int
    rate_bp: int
    basis: str
    tiers: tuple[Tier, ...]
    rebate_minor: int
    receipt_ids: tuple[str, ...]
    note: str
    settled_by: str
    settled_at: datetime


def _date(check: Validator, field: str, text: str, *, required: bool) -> date | None:
    if not text.strip():
        if required:
            check.add(field, "an ISO date (2026-01-01) is required")
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        check.add(field, "an ISO date (2026-01-01)")
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        check.add(field, f"between {FIRST_DAY} and {LAST_DAY}")
        return None
    return day


def validated(given: ProgrammeInput) -> dict:
    """The programme's fields, normalised; every problem named by its field (tiers[1].rate_bp)."""
    check = Validator()
    name = given.name.strip()
    if not name or len(name) > MAX_NAME:
        check.add("name", f"1 to {MAX_NAME} characters")
    elif problem := refused_character(name):
        check.add("name", problem)
    if given.period_kind not in PERIOD_KINDS:
        check.add("period_kind", f"one of {', '.join(PERIOD_KINDS)}")
    basis = given.basis or WHOLE
    if basis not in BASES:
        check.add("basis", f"one of {', '.join(BASES)}")
    currency = given.currency or ACCEPTED_CURRENCIES[0]
    if currency not in ACCEPTED_CURRENCIES:
        check.add("currency", f"one of {', '.join(ACCEPTED_CURRENCIES)}")
    if not given.tiers or len(given.tiers) > MAX_TIERS:
        check.add("tiers", f"1 to {MAX_TIERS} tiers")
    for i, tier in enumerate(given.tiers[:MAX_TIERS]):
        if not 0 <= tier.threshold_minor <= MAX_AMOUNT_MINOR:
            check.add(f"tiers[{i}].threshold_minor", f"0 to {MAX_AMOUNT_MINOR} 分")
        elif i and tier.threshold_minor <= given.tiers[i - 1].threshold_minor:
            check.add(f"tiers[{i}].threshold_minor", "above the previous tier's threshold")
        if not 0 < tier.rate_bp <= MAX_RATE_BP:
            check.add(f"tiers[{i}].rate_bp", f"more than 0 and at most {MAX_RATE_BP} (basis points: 200 = 2%)")
    distributors = tuple(dict.fromkeys(d.strip() for d in given.distributor_ids))
    if len(distributors) > MAX_DISTRIBUTORS:
        check.add("distributor_ids", f"at most {MAX_DISTRIBUTORS} (none: every distributor)")
    for i, d in enumerate(distributors[:MAX_DISTRIBUTORS]):
        if not DISTRIBUTOR_ID.match(d):
            check.add(f"distributor_ids[{i}]", "a distributor id: 2 to 64 of a-z, 0-9 and -")
    starts_on = _date(check, "starts_on", given.starts_on, required=True)
    ends_on = _date(check, "ends_on", given.ends_on, required=False)
    if starts_on and ends_on and ends_on < starts_on:
        check.add("ends_on", "on or after starts_on")
    check.check()
    return {
        "name": name,
        "period_kind": given.period_kind,
        "basis": basis,
        "currency": currency,
        "tiers": tuple(Tier(t.threshold_minor, t.rate_bp) for t in given.tiers),
        "distributor_ids": distributors,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "active": given.active,
    }


def period_of(kind: str, day: date) -> Period:
    if kind == MONTH:
        return _month(day.year, day.month)
    if kind == QUARTER:
        return _quarter(day.year, (day.month - 1) // 3 + 1)
    return Period(str(day.year), date(day.year, 1, 1), date(day.year, 12, 31))


def _month(year: int, month: int) -> Period:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(f"{year}-{month:02d}", date(year, month, 1), date.fromordinal(following.toordinal() - 1))


def _quarter(year: int, quarter: int) -> Period:
    first = _month(year, quarter * 3 - 2)
    return Period(f"{year}-Q{quarter}", first.starts_on, _month(year, quarter * 3).ends_on)


_SHAPES = {
    MONTH: (re.compile(r"^(\d{4})-(\d{2})$"), "2026-12"),
    QUARTER: (re.compile(r"^(\d{4})-Q([1-4])$"), "2026-Q4"),
    YEAR: (re.compile(r"^(\d{4})$"), "2026"),
}


def parse_period(kind: str, label: str) -> Period:
    shape, example = _SHAPES[kind]
    found = shape.match(label.strip())
    year = int(found.group(1)) if found else 0
    if not found or not FIRST_DAY.year <= year <= LAST_DAY.year or (kind == MONTH and not 1 <= int(found[2]) <= 12):
        raise InvalidArgument.field("period", f"a {kind} like {example}")
    if kind == MONTH:
        return _month(year, int(found[2]))
    if kind == QUARTER:
        return _quarter(year, int(found[2]))
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))


def accrued(tiers: Sequence[Tier], basis: str, collected_minor: int) -> int:
    """The rebate on collected_minor in 分, floored."""
    reached = [t for t in tiers if collected_minor >= t.threshold_minor]
    if not reached or collected_minor <= 0:
        return 0
    if basis == WHOLE:
        return collected_minor * reached[-1].rate_bp // FULL_BP
    total = 0  # marginal: each tier's rate on the slice up to the next threshold
    for i, tier in enumerate(reached):
        top = tiers[i + 1].threshold_minor if i + 1 < len(tiers) else collected_minor
        total += (min(collected_minor, top) - tier.threshold_minor) * tier.rate_bp
    return total // FULL_BP


def progress(
    programme: RebateProgramme, distributor_id: str, period: Period, collected_minor: int, receipt_count: int
) -> Progress:
    collected = max(0, collected_minor)
    tier = sum(1 for t in programme.tiers if collected >= t.threshold_minor)
    following = programme.tiers[tier] if tier < len(programme.tiers) else None
    return Progress(
        distributor_id=distributor_id,
        period=period,
        collected_minor=collected,
        receipt_count=receipt_count,
        tier=tier,
        rate_bp=programme.tiers[tier - 1].rate_bp if tier else 0,
        next_threshold_minor=following.threshold_minor if following else 0,
        next_rate_bp=following.rate_bp if following else 0,
        needed_minor=following.threshold_minor - collected if following else 0,
        accrued_minor=accrued(programme.tiers, programme.basis, collected),
    )
