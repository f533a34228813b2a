"""A high-intent episode (domain/intent.py's rule reached): it marks the
customer and its open opportunity and starts the proposal countdown
(`proposal_hours`, 48 h by default): a document version of one of
`proposal_doc_types` on the opportunity before the deadline meets it, else it
becomes overdue and the rep is reminded (manager copied). Pure: facts are handed in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from opportunity.domain.intent import IntentSettings, SignalHit

COUNTDOWN_STATES = ("running", "met", "overdue")
# How long a new episode's notification waits for the knowledge base to answer before it goes without the pack.
TOOL_PACK_PATIENCE = timedelta(minutes=10)


@dataclass(frozen=True)
class ToolEntry:
    """A knowledge base entry of the tool pack (RecommendKnowledge's)."""

    document_id: str
    title: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class HighIntent:
    """One high-intent episode of a customer (and its open opportunity, if one)."""

    tenant_id: str
    customer_id: str
    opportunity_id: str  # empty when the customer had no single open opportunity
    owner_id: str
    entered_at: datetime
    signals: tuple[SignalHit, ...]
    proposal_due_at: datetime
    proposal_state: str = "running"
    proposal_at: datetime | None = None
    reminded_at: datetime | None = None
    intent_id: str = ""
    tool_pack: tuple[ToolEntry, ...] = ()
    # When the rep was sent the tool pack; None: still to send (the sweep's, after the episode's commit).
    notified_at: datetime | None = None


def entered(
    *,
    tenant_id: str,
    customer_id: str,
    opportunity_id: str,
    owner_id: str,
    hits: Sequence[SignalHit],
    settings: IntentSettings,
    now: datetime,
    intent_id: str = "",
) -> HighIntent:
    """The episode starts when the rule was reached (the last of its hits, or
    now if that lies in the future), the countdown from then."""
    at = min(max(h.occurred_at for h in hits), now)
    return HighIntent(
        tenant_id=tenant_id,
        customer_id=customer_id,
        opportunity_id=opportunity_id,
        owner_id=owner_id,
        entered_at=at,
        signals=tuple(hits),
        proposal_due_at=at + timedelta(hours=settings.proposal_hours),
        intent_id=intent_id,
    )


def proposal_uploaded(intent: HighIntent, doc_type: str, at: datetime, settings: IntentSettings) -> HighIntent:
    """A document version of a proposal type on the opportunity: the countdown
    is met when it came before the deadline (a late one leaves it overdue)."""
    if doc_type not in settings.proposal_doc_types or intent.proposal_state != "running":
        return intent
    if at > intent.proposal_due_at:
        return intent
    return replace(intent, proposal_state="met", proposal_at=at)


def tool_pack_sent(intent: HighIntent, pack: Sequence[ToolEntry], now: datetime) -> HighIntent:
    return replace(intent, tool_pack=tuple(pack), notified_at=now)


def send_without_pack(intent: HighIntent, now: datetime) -> bool:
    """The knowledge base could not be asked: the rep is told without the pack
    once the episode has waited TOOL_PACK_PATIENCE for it (an episode entered
    on a backdated activity waits no longer)."""
    return now - intent.entered_at >= TOOL_PACK_PATIENCE


def is_overdue(intent: HighIntent, now: datetime) -> bool:
    return intent.proposal_state == "running" and now > intent.proposal_due_at


def reminded(intent: HighIntent, now: datetime) -> HighIntent:
    return replace(intent, proposal_state="overdue", reminded_at=now)


def countdown_state(intent: HighIntent, now: datetime) -> str:
    """As shown: a running countdown past its deadline shows overdue even
    before the sweep reminded anyone."""
    return "overdue" if is_overdue(intent, now) else intent.proposal_state


def reminder_task_key(intent: HighIntent) -> str:
    """The reminder task's key: one per episode, so a rerun never doubles."""
    return f"intent-proposal:{intent.customer_id}:{intent.opportunity_id}:{intent.entered_at.isoformat()}"


def tool_pack_notice(intent: HighIntent, customer_name: str) -> tuple[str, str]:
    """The title and body of the notification the rep gets on entering high intent."""
    names = "、".join(h.name for h in intent.signals)
    lines = [f"{customer_name} 进入高意向（{names}），请在 {intent.proposal_due_at:%Y-%m-%d %H:%M} UTC 前提交方案。"]
    if intent.tool_pack:
        lines.append("工具包：")
        lines.extend(f"- {e.title} /v1/documents/{e.document_id}" for e in intent.tool_pack)
    return f"高意向：{customer_name}", "\n".join(lines)


def overdue_notice(intent: HighIntent, customer_name: str) -> tuple[str, str]:
    return (
        f"方案超时：{customer_name}",
        f"{customer_name} 高意向后 {intent.proposal_due_at:%Y-%m-%d %H:%M} UTC 前未提交方案（技术方案/报价单）。",
    )
