"""follow_up_moved: a customer's planned follow-up moved more than 3 times."""

from __future__ import annotations

from datetime import datetime

from opportunity.domain.anomalies.flags import FOLLOW_UP_MOVED, TITLES, Candidate


def follow_up_moved_flag(
    *,
    customer_id: str,
    customer_name: str,
    owner_id: str,
    moves: int,
    flagged: bool,
    next_follow_up_at: datetime | None,
) -> Candidate | None:
    """A planned follow-up moved more than 3 times (the customer's own flag, folded in)."""
    if not flagged:
        return None
    return Candidate(
        kind=FOLLOW_UP_MOVED,
        rep_id=owner_id,
        subject_type="customer",
        subject_id=customer_id,
        key=f"{FOLLOW_UP_MOVED}:{customer_id}",
        title=f"{TITLES[FOLLOW_UP_MOVED]}：{customer_name} 的跟进计划已推迟 {moves} 次",
        evidence={
            "customer_id": customer_id,
            "moves": moves,
            "next_follow_up_at": next_follow_up_at.isoformat() if next_follow_up_at else None,
        },
    )
