"""销售能力画像 (seed 000), a rep's month against the team's:
- strengths by customer type: an opportunity closed in the month is on an
  existing customer when that customer had an opportunity won before this
  one was created, else on a new one; per type the win rate (won ÷ closed)
  and the won amount (分 by currency), the rep's beside the team's;
- stage conversion: of the rep's opportunities entering a stage in the month,
  the share that later entered a stage further along the pipeline or was
  won (a win is past every stage), beside the team's;
- the signals their customers reached: intent signal hits counted by name on
  the rep's customers in the month."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

BP = 10_000
EXISTING = "existing"
NEW = "new"


@dataclass(frozen=True)
class ClosedFact:
    owner_id: str
    customer_id: str
    status: str  # won | lost
    amount_minor: int
    currency: str
    created_at: datetime
    closed_at: datetime


@dataclass(frozen=True)
class EntryFact:
    owner_id: str
    opportunity_id: str
    stage: str
    entered_at: datetime
    reached_next: bool


def reached_next(
    order: Sequence[str], stage: str, entered_at: datetime, stays: Iterable[tuple[str, datetime]], won: bool
) -> bool:
    """Whether an entry of `stage` at `entered_at` went on: the opportunity won (a win is past every
    stage) or, later, entered a stage further along the pipeline's `order` (`stays`: its (stage,
    entered_at)); a stage no longer in the pipeline is before all of them."""
    index = order.index(stage) if stage in order else -1
    return won or any(s in order and order.index(s) > index and at > entered_at for s, at in stays)


def customer_type(fact: ClosedFact, won_before: Mapping[str, datetime]) -> str:
    first_won = won_before.get(fact.customer_id)
    return EXISTING if first_won is not None and first_won < fact.created_at else NEW


def _by_type(facts: Iterable[ClosedFact], won_before: Mapping[str, datetime]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for kind in (EXISTING, NEW):
        mine = [f for f in facts if customer_type(f, won_before) == kind]
        won = [f for f in mine if f.status == "won"]
        amounts: dict[str, int] = {}
        for f in won:
            amounts[f.currency] = amounts.get(f.currency, 0) + f.amount_minor
        out[kind] = {
            "closed": len(mine),
            "won": len(won),
            "win_rate_bp": len(won) * BP // len(mine) if mine else None,
            "won_amount": dict(sorted(amounts.items())),
        }
    return out


def _conversion(entries: Iterable[EntryFact]) -> dict[str, dict[str, int | None]]:
    per: dict[str, list[bool]] = {}
    for e in entries:
        per.setdefault(e.stage, []).append(e.reached_next)
    return {
        s: {"entered": len(v), "reached_next": sum(v), "rate_bp": sum(v) * BP // len(v)} for s, v in sorted(per.items())
    }


def profile_of(
    rep_id: str,
    month: str,
    closed: Sequence[ClosedFact],
    won_before: Mapping[str, datetime],
    entries: Sequence[EntryFact],
    signals: Mapping[str, int],
) -> dict[str, object]:
    """closed / entries: the whole team's in the month (the rep's among them)."""
    mine_closed = [f for f in closed if f.owner_id == rep_id]
    mine_entries = [e for e in entries if e.owner_id == rep_id]
    return {
        "rep_id": rep_id,
        "month": month,
        "customer_types": {"rep": _by_type(mine_closed, won_before), "team": _by_type(closed, won_before)},
        "stage_conversion": {"rep": _conversion(mine_entries), "team": _conversion(entries)},
        "signals": dict(sorted(signals.items())),
    }
