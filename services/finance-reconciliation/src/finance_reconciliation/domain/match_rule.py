"""Matching rules: ordered, tenant-editable. Each rule names how a statement
line finds its instalments and how far the amount may differ, over and
under, in 分 or in basis points of the expected amount (the larger wins).

Kinds, tried in the tenant's order (lower `position` first):
- contract_ref: the contract number found in the remark by `pattern`
  (its first group, or the whole match); the line pays that contract's open
  instalments oldest due first (partly, or several at once);
- payer_amount: the payer's name, company suffixes normalised, fuzzily like
  the customer's (rapidfuzz, >= `min_name_score`), and the amount within
  tolerance of one instalment's outstanding amount;
- amount_window: the amount alone within tolerance, booked within
  `window_days` of the due date.
A match scoring below `auto_score` is left as a suggestion for finance; an
amount alone scores at most AMOUNT_ONLY_CAP, so it stays one unless the
tenant lowers that rule's auto_score."""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTRACT_REF = "contract_ref"
PAYER_AMOUNT = "payer_amount"
AMOUNT_WINDOW = "amount_window"
KINDS = (CONTRACT_REF, PAYER_AMOUNT, AMOUNT_WINDOW)
MAX_TOLERANCE_BP = 2_000  # 20 %: beyond it a "match" is a guess
MAX_WINDOW_DAYS = 366
AMOUNT_ONLY_CAP = 0.85
# 合同编号 as customers write it in the remark: HT2025-018, HT-2026-0001, ht2025-018 (not inside a longer code).
DEFAULT_CONTRACT_PATTERN = r"(?i)(?<![A-Z0-9])(HT-?\d{4}-\d{3,6})(?!\d)"


class RuleError(ValueError):
    """A rule that cannot be stored; `field` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class Tolerance:
    under_minor: int = 0
    over_minor: int = 0
    under_bp: int = 0
    over_bp: int = 0

    def allowed(self, expected_minor: int) -> tuple[int, int]:
        """(how much less, how much more) may be paid against `expected_minor`."""
        under = max(self.under_minor, expected_minor * self.under_bp // 10_000)
        over = max(self.over_minor, expected_minor * self.over_bp // 10_000)
        return under, over

    def accepts(self, paid_minor: int, expected_minor: int) -> bool:
        under, over = self.allowed(expected_minor)
        return expected_minor - under <= paid_minor <= expected_minor + over

    def widest(self, amount_minor: int) -> tuple[int, int]:
        """Bounds of expected amounts that `amount_minor` could pay (for an index range)."""
        bp = max(self.under_bp, self.over_bp)
        slack = max(self.under_minor, self.over_minor, amount_minor * bp // (10_000 - min(bp, 9_999)) + 1)
        return amount_minor - slack, amount_minor + slack


@dataclass(frozen=True)
class MatchRule:
    rule_id: str
    tenant_id: str
    position: int
    kind: str
    name: str = ""
    enabled: bool = True
    pattern: str = ""
    min_name_score: float = 85.0
    window_days: int = 0
    tolerance: Tolerance = Tolerance()
    auto_score: float = 0.9

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern)


def validate_rule(rule: MatchRule) -> MatchRule:
    """The rule as given, or RuleError naming the field."""
    if rule.kind not in KINDS:
        raise RuleError("kind", f"one of {', '.join(KINDS)}")
    if not 0 <= rule.position <= 1_000:
        raise RuleError("position", "0 to 1000")
    if rule.kind == CONTRACT_REF:
        if not rule.pattern or len(rule.pattern) > 200:
            raise RuleError("pattern", "a regular expression of 1 to 200 characters")
        try:
            rule.compiled()
        except re.error as err:
            raise RuleError("pattern", f"not a regular expression ({err})") from None
    if not 0 <= rule.min_name_score <= 100:
        raise RuleError("min_name_score", "0 to 100")
    if not 0 <= rule.window_days <= MAX_WINDOW_DAYS:
        raise RuleError("window_days", f"0 to {MAX_WINDOW_DAYS}")
    if rule.kind == AMOUNT_WINDOW and rule.window_days == 0:
        raise RuleError("window_days", "an amount-only rule needs a date window")
    t = rule.tolerance
    for field in ("under_minor", "over_minor"):
        if getattr(t, field) < 0:
            raise RuleError(f"tolerance.{field}", "not negative")
    for field in ("under_bp", "over_bp"):
        if not 0 <= getattr(t, field) <= MAX_TOLERANCE_BP:
            raise RuleError(f"tolerance.{field}", f"0 to {MAX_TOLERANCE_BP} basis points")
    if not 0 <= rule.auto_score <= 1:
        raise RuleError("auto_score", "0 to 1")
    return rule


def default_rules(tenant_id: str) -> list[MatchRule]:
    """What a tenant starts with: contract number, payer and amount, amount in a week."""
    return [
        MatchRule("default-contract", tenant_id, 10, CONTRACT_REF, "合同号", pattern=DEFAULT_CONTRACT_PATTERN,
                  tolerance=Tolerance(under_minor=5_000, over_minor=5_000), auto_score=0.9),
        MatchRule("default-payer", tenant_id, 20, PAYER_AMOUNT, "付款方+金额", min_name_score=85.0,
                  tolerance=Tolerance(under_minor=5_000, over_minor=5_000, under_bp=10, over_bp=10), auto_score=0.9),
        MatchRule("default-amount", tenant_id, 30, AMOUNT_WINDOW, "金额+日期", window_days=7,
                  tolerance=Tolerance(under_minor=100, over_minor=100), auto_score=0.9),
    ]
