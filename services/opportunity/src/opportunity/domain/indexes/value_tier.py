"""Customer value tiers (seed 002, RFM): a tenant formula of the shared formula
language over a customer's purchase facts, and the tiers' thresholds.

Purchases are finance's receipts as counted here (domain/receipt.py: CNY,
recorded, not reversed), dated by the receipt's paid_on. The facts, as the
formula names them (amounts in 元, as lead-routing's and approval's formulas):
- 距上次采购天数: days from the last purchase to today (Asia/Shanghai); never bought: 99999 (a blank would
  count as 0, i.e. "bought today", in the language);
- 近6月采购次数 / 近6月采购金额: purchases in the last 6 months (183 days back from today, today included);
- 年度采购额: purchases in the last 12 months (365 days; a rolling year, so the monthly run is not
  reset every January);
- 推荐新客户数: customers of the tenant recorded as referred by this one (a referral names its referrer).

The default formula is the seed's three parts (近6个月有采购 30, 年度采购额超50万 20, 推荐新客户 10 — at
most 60) completed with frequency and amount parts of RFM so 战略 (≥ 80) is reachable: 近6月采购次数 ≥ 3
20 (≥ 1: 10) and 近6月采购金额 ≥ 20万 20 (≥ 5万: 10); at most 100."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from crm_shared.domain.errors import FieldViolation, InvalidArgument
from crm_shared.formula import CompiledFormula, FieldSpec, FormulaError, check_finite, compile_formula
from crm_shared.money import MAX_AMOUNT_MINOR

from opportunity.domain.customer import VALUE_TIERS

DAYS_SINCE = "距上次采购天数"
COUNT_6M = "近6月采购次数"
AMOUNT_6M = "近6月采购金额"
ANNUAL = "年度采购额"
REFERRALS = "推荐新客户数"
CATALOGUE: dict[str, FieldSpec] = {n: FieldSpec("number") for n in (DAYS_SINCE, COUNT_6M, AMOUNT_6M, ANNUAL, REFERRALS)}
_MAX_YUAN = MAX_AMOUNT_MINOR / 100
RANGES = {
    DAYS_SINCE: (0.0, 100_000.0),
    COUNT_6M: (0.0, 1e9),
    AMOUNT_6M: (0.0, _MAX_YUAN),
    ANNUAL: (0.0, _MAX_YUAN),
    REFERRALS: (0.0, 1e9),
}
RECENT_DAYS = 183  # 近6个月: paid 0..182 days ago
NEVER_DAYS = 99_999  # 距上次采购天数 of a customer who never bought
YEAR_DAYS = 365

DEFAULT_FORMULA = (
    f"IF({DAYS_SINCE}<{RECENT_DAYS},30,0)"
    f"+IF({ANNUAL}>500000,20,0)"
    f"+IF({REFERRALS}>=1,10,0)"
    f"+IF({COUNT_6M}>=3,20,IF({COUNT_6M}>=1,10,0))"
    f"+IF({AMOUNT_6M}>=200000,20,IF({AMOUNT_6M}>=50000,10,0))"
)
TOP, MIDDLE, BOTTOM = VALUE_TIERS  # 战略, 重点, 普通
DEFAULT_THRESHOLDS = {TOP: 80.0, MIDDLE: 50.0}  # score ≥ threshold; below 重点's: 普通
MAX_THRESHOLD = 1e9
MAX_PRODUCT_LINES = 50
MAX_PRODUCT_LINE = 64


@dataclass(frozen=True)
class Purchase:
    paid_on: date
    amount_minor: int


@dataclass(frozen=True)
class PurchaseFacts:
    last_purchase_on: date | None
    days_since: int | None
    count_6m: int
    amount_6m_minor: int
    annual_minor: int
    referrals: int

    def row(self) -> dict[str, Any]:
        """What the formula reads (元 for amounts)."""
        return {
            DAYS_SINCE: NEVER_DAYS if self.days_since is None else self.days_since,
            COUNT_6M: self.count_6m,
            AMOUNT_6M: self.amount_6m_minor / 100,
            ANNUAL: self.annual_minor / 100,
            REFERRALS: self.referrals,
        }

    def to_data(self) -> dict[str, Any]:
        return {
            "last_purchase_on": self.last_purchase_on.isoformat() if self.last_purchase_on else "",
            "days_since": self.days_since,
            "count_6m": self.count_6m,
            "amount_6m_minor": self.amount_6m_minor,
            "annual_minor": self.annual_minor,
            "referrals": self.referrals,
        }


def facts_of(
    purchases: Iterable[Purchase], referrals: int, today: date, last_purchase_on: date | None = None
) -> PurchaseFacts:
    """A customer's purchase facts on `today` (exact integer sums in 分). `last_purchase_on`: the
    customer's last purchase whenever it was, for recency when `purchases` (the year's) hold none —
    a date ahead of today does not count yet (no negative days since)."""
    recent_from, year_from = today - timedelta(days=RECENT_DAYS - 1), today - timedelta(days=YEAR_DAYS - 1)
    last = last_purchase_on if last_purchase_on is not None and last_purchase_on <= today else None
    count, recent, annual = 0, 0, 0
    for p in purchases:
        if p.paid_on > today:
            continue  # dated ahead of today: counts from its day on
        last = p.paid_on if last is None or p.paid_on > last else last
        if p.paid_on >= recent_from:
            count, recent = count + 1, recent + p.amount_minor
        if p.paid_on >= year_from:
            annual += p.amount_minor
    return PurchaseFacts(last, (today - last).days if last else None, count, recent, annual, referrals)


@dataclass(frozen=True)
class TierSettings:
    # Off until the tenant turns it on: tiers stay as set by hand. On: the formula sets every tier and a
    # tier set by hand is refused (FailedPrecondition naming value_tier).
    active: bool = False
    formula: str = DEFAULT_FORMULA
    thresholds: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    # Customer health's new-product trials: opportunities on these product lines (kept with the tiers'
    # settings, one settings row for the customer value area).
    new_product_lines: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        return {
            "active": self.active,
            "formula": self.formula,
            "thresholds": dict(self.thresholds),
            "new_product_lines": list(self.new_product_lines),
        }


DEFAULT_SETTINGS = TierSettings()


def compile_score(text: str, where: str = "formula") -> CompiledFormula:
    """A tier formula as written: a number over the facts; a syntax or type error or an
    overflow over the facts' ranges → InvalidArgument naming `where` with line and column."""
    try:
        compiled = compile_formula(text, CATALOGUE, result_types=("number",))
        check_finite(compiled, RANGES)
        return compiled
    except FormulaError as e:
        description = f"line {e.line}, column {e.column}: {e.reason}"
        raise InvalidArgument(f"{where}: {description}", [FieldViolation(where, description)]) from e


@lru_cache(maxsize=256)
def compiled(text: str) -> CompiledFormula:
    """A saved formula compiled once per text (the catalogue is fixed)."""
    return compile_formula(text, CATALOGUE, result_types=("number",))


def settings_from_data(data: Mapping[str, Any]) -> TierSettings:
    """Validated settings (400 naming formula or thresholds.<tier>)."""
    active = data.get("active", False)
    if not isinstance(active, bool):
        raise InvalidArgument.field("active", "must be true or false")
    formula = data.get("formula", DEFAULT_FORMULA)
    if not isinstance(formula, str) or not formula.strip():
        raise InvalidArgument.field("formula", "must be a formula giving a number")
    compile_score(formula)
    raw = data.get("thresholds", DEFAULT_THRESHOLDS)
    if not isinstance(raw, Mapping):
        raise InvalidArgument.field("thresholds", f"must give {TOP} and {MIDDLE} their lowest scores")
    thresholds: dict[str, float] = {}
    for tier in (TOP, MIDDLE):
        value = raw.get(tier)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not -MAX_THRESHOLD <= value <= MAX_THRESHOLD
        ):
            raise InvalidArgument.field(f"thresholds.{tier}", f"must be a number within ±{MAX_THRESHOLD:g}")
        thresholds[tier] = float(value)
    if unknown := set(raw) - {TOP, MIDDLE}:
        raise InvalidArgument.field("thresholds", f"only {TOP} and {MIDDLE} have thresholds, not {sorted(unknown)}")
    if thresholds[TOP] <= thresholds[MIDDLE]:
        raise InvalidArgument.field(f"thresholds.{TOP}", f"must be above {MIDDLE}'s")
    lines = data.get("new_product_lines", [])
    if not isinstance(lines, list | tuple) or len(lines) > MAX_PRODUCT_LINES:
        raise InvalidArgument.field("new_product_lines", f"must be a list of at most {MAX_PRODUCT_LINES} product lines")
    for i, line in enumerate(lines):
        if not isinstance(line, str) or not 0 < len(line.strip()) <= MAX_PRODUCT_LINE:
            raise InvalidArgument.field(f"new_product_lines[{i}]", f"must be 1 to {MAX_PRODUCT_LINE} characters")
    unique = tuple(dict.fromkeys(line.strip() for line in lines))
    return TierSettings(active, formula.strip(), thresholds, unique)


@dataclass(frozen=True)
class Tiered:
    tier: str
    score: float
    error: str  # the formula's Excel error ("" when it gave a number): the score is 0 then


def tier_of(score: float, thresholds: Mapping[str, float]) -> str:
    if score >= thresholds[TOP]:
        return TOP
    if score >= thresholds[MIDDLE]:
        return MIDDLE
    return BOTTOM


def score(facts: PurchaseFacts, settings: TierSettings) -> Tiered:
    s = compiled(settings.formula).score(facts.row())
    return Tiered(tier_of(s.value, settings.thresholds), s.value, s.error or "")


VARIABLES = (
    (DAYS_SINCE, "days since the last purchase (99999: never bought)"),
    (COUNT_6M, "purchases in the last 6 months (183 days)"),
    (AMOUNT_6M, "purchase amount in the last 6 months, 元"),
    (ANNUAL, "purchase amount in the last 12 months (365 days), 元"),
    (REFERRALS, "new customers this customer referred"),
)


def counts(tiers: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Customers per tier, every tier present (0 when none)."""
    found = dict(tiers)
    return {t: int(found.get(t, 0)) for t in VALUE_TIERS}


# Who reads a tier: whoever sees the customer (every department sees the same tier); partners do not.
READERS = ("rep", "manager", "finance", "reviewer", "admin", "system")
CONFIGURERS = ("manager", "admin")
RECOMPUTERS = ("admin", "system")
REFERRAL_RECORDERS = ("rep", "manager", "admin")
