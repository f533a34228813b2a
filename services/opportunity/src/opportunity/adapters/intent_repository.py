"""SQL of intent signals (domain/intent.py): the signals activities gave, the
high-intent episodes with their tool pack and proposal countdown, and the
tenant's intent settings row. Every query is scoped by tenant except the
sweeps' (countdowns, tool packs to send), which run for every tenant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.intent import high_intents, intent_hits, intent_settings
from opportunity.adapters.orm.opportunities import opportunities
from opportunity.adapters.settings_rows import SettingsRows
from opportunity.domain.intent import MAX_LISTED, SignalHit
from opportunity.domain.intent_episode import HighIntent, ToolEntry


def _hits_data(hits: tuple[SignalHit, ...]) -> list[dict[str, str]]:
    return [{"name": h.name, "activity_id": h.activity_id, "occurred_at": h.occurred_at.isoformat()} for h in hits]


def _row(intent: HighIntent) -> dict[str, Any]:
    return {
        "intent_id": intent.intent_id,
        "tenant_id": intent.tenant_id,
        "customer_id": intent.customer_id,
        "opportunity_id": intent.opportunity_id,
        "owner_id": intent.owner_id,
        "entered_at": intent.entered_at,
        "signals": _hits_data(intent.signals),
        "tool_pack": [{"document_id": e.document_id, "title": e.title, "tags": list(e.tags)} for e in intent.tool_pack],
        "proposal_due_at": intent.proposal_due_at,
        "proposal_state": intent.proposal_state,
        "proposal_at": intent.proposal_at,
        "reminded_at": intent.reminded_at,
        "notified_at": intent.notified_at,
    }


def _intent(row: sa.Row) -> HighIntent:
    m = row._mapping
    return HighIntent(
        tenant_id=m["tenant_id"],
        customer_id=m["customer_id"],
        opportunity_id=m["opportunity_id"],
        owner_id=m["owner_id"],
        entered_at=as_utc(m["entered_at"]),
        signals=tuple(
            SignalHit(h["name"], h["activity_id"], as_utc(datetime.fromisoformat(h["occurred_at"])))
            for h in m["signals"] or ()
        ),
        proposal_due_at=as_utc(m["proposal_due_at"]),
        proposal_state=m["proposal_state"],
        proposal_at=as_utc(m["proposal_at"]) if m["proposal_at"] else None,
        reminded_at=as_utc(m["reminded_at"]) if m["reminded_at"] else None,
        notified_at=as_utc(m["notified_at"]) if m["notified_at"] else None,
        intent_id=m["intent_id"],
        tool_pack=tuple(
            ToolEntry(e["document_id"], e["title"], tuple(e.get("tags", ()))) for e in m["tool_pack"] or ()
        ),
    )


class IntentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_hit(self, tenant_id: str, customer_id: str, opportunity_id: str, hit: SignalHit) -> bool:
        """False when the activity gave this signal already (a redelivery)."""
        return await insert_unless_taken(
            self.session,
            sa.insert(intent_hits).values(
                tenant_id=tenant_id,
                activity_id=hit.activity_id,
                signal=hit.name,
                customer_id=customer_id,
                opportunity_id=opportunity_id,
                occurred_at=hit.occurred_at,
            ),
        )

    async def hits_since(self, tenant_id: str, customer_id: str, since: datetime) -> list[SignalHit]:
        query = (
            sa.select(intent_hits.c.signal, intent_hits.c.activity_id, intent_hits.c.occurred_at)
            .where(
                intent_hits.c.tenant_id == tenant_id,
                intent_hits.c.customer_id == customer_id,
                intent_hits.c.occurred_at >= since,
            )
            .order_by(intent_hits.c.occurred_at)
            .limit(MAX_LISTED)
        )
        return [SignalHit(r.signal, r.activity_id, as_utc(r.occurred_at)) for r in (await self.session.execute(query))]

    async def add_unless_taken(self, intent: HighIntent) -> bool:
        """False when the customer (and opportunity) already has its episode."""
        return await insert_unless_taken(self.session, sa.insert(high_intents).values(**_row(intent)))

    async def save(self, intent: HighIntent) -> None:
        values = _row(intent)
        await self.session.execute(
            sa.update(high_intents)
            .where(high_intents.c.tenant_id == intent.tenant_id, high_intents.c.intent_id == intent.intent_id)
            .values(
                proposal_state=values["proposal_state"],
                proposal_at=values["proposal_at"],
                reminded_at=values["reminded_at"],
                tool_pack=values["tool_pack"],
                notified_at=values["notified_at"],
            )
        )

    async def get(self, tenant_id: str, intent_id: str, *, lock: bool = False) -> HighIntent | None:
        query = sa.select(high_intents).where(
            high_intents.c.tenant_id == tenant_id, high_intents.c.intent_id == intent_id
        )
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _intent(row) if row else None

    async def unnotified(self, limit: int) -> list[HighIntent]:
        """Episodes whose rep has not been sent the tool pack yet, every tenant, oldest first."""
        query = (
            sa.select(high_intents)
            .where(high_intents.c.notified_at.is_(None))
            .order_by(high_intents.c.entered_at)
            .limit(limit)
        )
        return [_intent(r) for r in (await self.session.execute(query)).all()]

    async def for_customer(self, tenant_id: str, customer_id: str) -> list[HighIntent]:
        query = (
            sa.select(high_intents)
            .where(high_intents.c.tenant_id == tenant_id, high_intents.c.customer_id == customer_id)
            .order_by(high_intents.c.entered_at.desc())
            .limit(MAX_LISTED)
        )
        return [_intent(r) for r in (await self.session.execute(query)).all()]

    async def running_for_opportunity(
        self, tenant_id: str, opportunity_id: str, *, lock: bool = False
    ) -> list[HighIntent]:
        query = sa.select(high_intents).where(
            high_intents.c.tenant_id == tenant_id,
            high_intents.c.opportunity_id == opportunity_id,
            high_intents.c.proposal_state == "running",
        )
        if lock:
            query = query.with_for_update()
        return [_intent(r) for r in (await self.session.execute(query)).all()]

    async def overdue(self, now: datetime, limit: int) -> list[HighIntent]:
        """Running countdowns past their deadline, every tenant, oldest first, locked (skip locked)."""
        query = (
            sa.select(high_intents)
            .where(high_intents.c.proposal_state == "running", high_intents.c.proposal_due_at < now)
            .order_by(high_intents.c.proposal_due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_intent(r) for r in (await self.session.execute(query)).all()]

    async def listed(
        self,
        tenant_id: str,
        owner_ids: list[str] | None,
        *,
        open_only: bool,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[tuple[HighIntent, str, str]]:
        """Episodes newest first (owner_ids None: every owner), each with its opportunity's
        status and name ("" when it has none); open_only: those whose opportunity is still open."""
        query = (
            sa.select(high_intents, opportunities.c.status.label("opp_status"), opportunities.c.name.label("opp_name"))
            .select_from(
                high_intents.outerjoin(
                    opportunities,
                    sa.and_(
                        opportunities.c.opportunity_id == high_intents.c.opportunity_id,
                        opportunities.c.tenant_id == high_intents.c.tenant_id,
                    ),
                )
            )
            .where(high_intents.c.tenant_id == tenant_id)
            .order_by(high_intents.c.entered_at.desc())
            .limit(MAX_LISTED if since is None else 100_000)
        )
        if owner_ids is not None:
            query = query.where(high_intents.c.owner_id.in_(owner_ids))
        if open_only:
            query = query.where(sa.or_(opportunities.c.status.is_(None), opportunities.c.status == "open"))
        if since is not None:
            query = query.where(high_intents.c.entered_at >= since)
        if until is not None:
            query = query.where(high_intents.c.entered_at < until)
        return [(_intent(r), r.opp_status or "", r.opp_name or "") for r in (await self.session.execute(query)).all()]


def intent_settings_rows(session: AsyncSession) -> SettingsRows:
    """The tenant's signals, high-intent rule and countdown (versioned settings row)."""
    return SettingsRows(session, intent_settings, "intent")
