"""What confirming a stored match records: a receipt per allocation with the rule's over tolerance, and a
settled underpayment written off, as long as the instalments owe no more than when the line was matched."""

from __future__ import annotations

from dataclasses import dataclass

from finance_reconciliation.domain.match_rule import Tolerance
from finance_reconciliation.domain.match_state import SETTLES, StoredMatch


@dataclass(frozen=True)
class ReceiptStep:
    """One receipt of a confirm: the allocation, how far it may exceed what the instalment still owes (the
    rule's over tolerance), and the shortfall to write off when the rule accepted the line as settling."""

    instalment_id: str
    amount_minor: int
    over_tolerance_minor: int
    write_off_minor: int = 0


class StaleMatch(ValueError):
    """The instalments owe more now than when the line was matched: the rule's acceptance no longer holds."""


def receipt_steps(m: StoredMatch, outstanding: dict[str, int]) -> list[ReceiptStep]:
    """The receipts confirming `m`, given what each of its instalments owes now.

    The over tolerance is the rule's for what the instalments owe together (the receipt lock applies it; beyond it the
    lock refuses or holds). An underpayment the rule accepted as settling ("settles", difference_minor < 0)
    writes off each instalment's shortfall, as long as the shortfalls add up to no more than the difference
    the rule accepted; owing more than that now (a receipt reversed since) is StaleMatch."""
    tolerance = Tolerance(**m.evidence.get("tolerance", {}))
    accepted_short = -int(m.evidence.get("difference_minor", 0))
    settles = m.evidence.get("payment") == SETTLES and accepted_short > 0
    # The rule accepted the line against what its instalments owed together: the same base here.
    over = tolerance.allowed(sum(outstanding.get(a.instalment_id, 0) for a in m.allocations))[1]
    steps = []
    for a in m.allocations:
        short = max(0, outstanding.get(a.instalment_id, 0) - a.amount_minor) if settles else 0
        steps.append(ReceiptStep(a.instalment_id, a.amount_minor, over, short))
    if settles and sum(s.write_off_minor for s in steps) > accepted_short:
        raise StaleMatch(
            f"the instalments owe {sum(s.write_off_minor for s in steps)} 分 more than this line pays; the rule "
            f"accepted {accepted_short} 分 short: reject the match and run matching again"
        )
    return steps
