"""A stored match and what finance may do with it: its statuses and their transitions, what it keeps of
the run that found it, and the pairings finance dropped that a run never confirms again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace

from finance_reconciliation.domain.match_rule import MatchRule
from finance_reconciliation.domain.matching import Allocation, Match

SUGGESTED = "suggested"
CONFIRMED = "confirmed"
REJECTED = "rejected"
REVERSED = "reversed"
STATUSES = (SUGGESTED, CONFIRMED, REJECTED, REVERSED)
# confirm: a suggestion becomes receipts; reject: a suggestion is dropped; reverse: a confirmed match is undone.
TRANSITIONS = {("confirm", SUGGESTED): CONFIRMED, ("reject", SUGGESTED): REJECTED, ("reverse", CONFIRMED): REVERSED}
SETTLES = "settles"


class MatchStateError(ValueError):
    def __init__(self, action: str, status: str) -> None:
        done = {"confirm": "confirmed", "reject": "rejected", "reverse": "reversed"}.get(action, action)
        super().__init__(f"a {status} match cannot be {done}")
        self.action, self.status = action, status


@dataclass(frozen=True)
class StoredMatch:
    match_id: str
    tenant_id: str
    line_id: str
    allocations: tuple[Allocation, ...]
    amount_minor: int
    currency: str
    rule_id: str
    rule_kind: str
    score: float
    evidence: dict
    status: str
    by: str
    at: object  # datetime, UTC
    reason: str = ""
    confident: bool = False
    receipt_ids: tuple[str, ...] = ()
    write_offs: tuple[Allocation, ...] = ()
    auto: bool = False
    confirmed_by: str | None = None
    confirmed_at: object = None  # datetime, UTC, once confirmed


def next_status(action: str, status: str) -> str:
    """The status after `action`, or MatchStateError (a rejected or reversed match is final)."""
    try:
        return TRANSITIONS[(action, status)]
    except KeyError:
        raise MatchStateError(action, status) from None


def evidence_of(m: Match, rule: MatchRule) -> dict:
    """What a stored match keeps of its run: the rule's evidence, whether the run may confirm it, and the
    rule's tolerance as it was applied (a confirm later uses it, whatever the rule says by then)."""
    return {**m.evidence, "confident": m.confident, "tolerance": asdict(rule.tolerance)}


def pairing(line_id: str, allocations: Iterable[Allocation]) -> tuple[str, frozenset[str]]:
    return line_id, frozenset(a.instalment_id for a in allocations)


def not_again(found: Sequence[Match], dropped: set[tuple[str, frozenset[str]]]) -> list[Match]:
    """A pairing finance rejected or reversed is never confirmed by a run again: offered, as a suggestion."""
    out = []
    for m in found:
        if m.confident and pairing(m.line_id, m.allocations) in dropped:
            m = replace(m, confident=False, evidence={**m.evidence, "dropped_before": True})
        out.append(m)
    return out
