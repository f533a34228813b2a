"""Aging of receivables as of any date: pure, on views of F1's instalments
and receipts.

What is owed as of a date is rebuilt from the receipts paid on or before it
(reversals are negative amounts), never from today's paid_minor, so an aging
for last month shows last month. An instalment without a due date (its
trigger has not happened) or due on/after the date is not due; a waived one
owes nothing. Buckets count whole days past the due date; more than
RED_DAYS past due is red (the follow-up job acts on it). Totals are per
currency: 分 of different currencies are never added."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

from crm_shared.domain.errors import InvalidArgument
from crm_shared.roles import ADMIN, FINANCE, MANAGER, SYSTEM

NOT_DUE = "not_due"
D1_30 = "1_30"
D31_60 = "31_60"
D61_90 = "61_90"
D90_PLUS = "90_plus"
BUCKETS = (NOT_DUE, D1_30, D31_60, D61_90, D90_PLUS)
RED_DAYS = 30

CUSTOMER = "customer"
REP = "rep"
REGION = "region"
CONTRACT = "contract"
DIMENSIONS = (CUSTOMER, REP, REGION, CONTRACT)


@dataclass(frozen=True)
class InstalmentView:
    """One instalment with what aging groups it by (region from the
    opportunity projection, rep = the opportunity's owner)."""

    instalment_id: str
    customer_id: str
    owner_id: str
    region: str
    contract_id: str
    amount_minor: int
    currency: str
    due_on: date | None
    waived: bool = False


CASH = "cash"  # a receipt (negative on the day it was reversed)
CARRIED = "carried"  # moved from a superseded version's plan (re-plan), dated when it moved
WRITTEN_OFF = "written_off"  # settled without cash (negative when the write-off is reversed)


@dataclass(frozen=True)
class Payment:
    """What settled part of an instalment on a day: cash, a carry-over or a write-off."""

    instalment_id: str
    paid_on: date
    amount_minor: int
    kind: str = CASH


@dataclass
class AgingRow:
    key: str
    currency: str
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))
    red_count: int = 0

    @property
    def total_minor(self) -> int:
        return sum(self.buckets.values())

    @property
    def overdue_minor(self) -> int:
        return self.total_minor - self.buckets[NOT_DUE]

    @property
    def red_minor(self) -> int:
        """Owed more than RED_DAYS past due (the buckets past 30 days)."""
        return self.buckets[D31_60] + self.buckets[D61_90] + self.buckets[D90_PLUS]


def days_overdue(due_on: date | None, as_of: date) -> int:
    """Whole days past the due date (0 when not due or no due date yet)."""
    if due_on is None or as_of <= due_on:
        return 0
    return (as_of - due_on).days


def bucket_of(due_on: date | None, as_of: date) -> str:
    days = days_overdue(due_on, as_of)
    if days == 0:
        return NOT_DUE
    if days <= 30:
        return D1_30
    if days <= 60:
        return D31_60
    if days <= 90:
        return D61_90
    return D90_PLUS


def is_red(due_on: date | None, as_of: date) -> bool:
    return days_overdue(due_on, as_of) > RED_DAYS


def paid_as_of(payments: Iterable[Payment], as_of: date) -> dict[str, int]:
    """Net paid per instalment by receipts paid on or before the date."""
    paid: dict[str, int] = defaultdict(int)
    for p in payments:
        if p.paid_on <= as_of:
            paid[p.instalment_id] += p.amount_minor
    return paid


def outstanding_as_of(inst: InstalmentView, paid_minor: int) -> int:
    if inst.waived:
        return 0
    return max(inst.amount_minor - paid_minor, 0)


def _key(inst: InstalmentView, dimension: str) -> str:
    if dimension == CUSTOMER:
        return inst.customer_id
    if dimension == REP:
        return inst.owner_id
    if dimension == REGION:
        return inst.region
    if dimension == CONTRACT:
        return inst.contract_id
    raise ValueError(f"dimension must be one of {', '.join(DIMENSIONS)}")


def age(
    instalments: Iterable[InstalmentView],
    payments: Iterable[Payment],
    as_of: date,
    dimension: str,
) -> list[AgingRow]:
    """Outstanding amounts per (dimension key, currency) in buckets, sorted
    by key then currency; instalments owing nothing are left out."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {', '.join(DIMENSIONS)}")
    paid = paid_as_of(payments, as_of)
    rows: dict[tuple[str, str], AgingRow] = {}
    for inst in instalments:
        owed = outstanding_as_of(inst, paid.get(inst.instalment_id, 0))
        if owed <= 0:
            continue
        key = (_key(inst, dimension), inst.currency)
        row = rows.get(key)
        if row is None:
            row = rows[key] = AgingRow(key=key[0], currency=key[1])
        row.buckets[bucket_of(inst.due_on, as_of)] += owed
        if is_red(inst.due_on, as_of):
            row.red_count += 1
    return [rows[k] for k in sorted(rows)]


def totals(rows: Iterable[AgingRow]) -> list[AgingRow]:
    """One row per currency (key ""), summing the rows' buckets and red counts."""
    out: dict[str, AgingRow] = {}
    for row in rows:
        total = out.setdefault(row.currency, AgingRow(key="", currency=row.currency))
        for bucket, amount in row.buckets.items():
            total.buckets[bucket] += amount
        total.red_count += row.red_count
    return [out[c] for c in sorted(out)]


def owners_in_scope(role: str, user_id: str, reports: Collection[str]) -> frozenset[str] | None:
    """Whose receivables a caller sees: None is the whole tenant (finance,
    admin, a backend); a manager their reports' and their own; a rep their
    own. Other roles never get here (the role check refuses them first)."""
    if role in (FINANCE, ADMIN, SYSTEM):
        return None
    if role == MANAGER:
        return frozenset(reports) | {user_id}
    return frozenset({user_id})


EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def report_day(field: str, value: str, today: date) -> date:
    """A date a report is as of or runs from/to: ISO, "" is today; the past
    and the future both make sense (what will be overdue then), within
    2000..2100 so no date arithmetic can overflow."""
    text = value.strip()
    if not text:
        return today
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidArgument.field(field, "must be an ISO date, e.g. 2026-12-01") from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidArgument.field(field, f"must be between {EARLIEST_DAY} and {LATEST_DAY}")
    return day
