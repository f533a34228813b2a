"""SQL of stage hints (domain/stage_hint.py) and the tenant's stage hint
settings row. Every query is scoped by tenant."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.stage_hints import stage_hint_settings, stage_hints
from opportunity.adapters.settings_rows import SettingsRows
from opportunity.domain.stage_hint import MAX_HINTS_LISTED, OPEN_STATES, StageHint, Unmet


def _row(hint: StageHint) -> dict[str, Any]:
    return {
        "hint_id": hint.hint_id,
        "tenant_id": hint.tenant_id,
        "opportunity_id": hint.opportunity_id,
        "customer_id": hint.customer_id,
        "activity_id": hint.activity_id,
        "tag": hint.tag,
        "suggested_stage": hint.suggested_stage,
        "words": list(hint.words),
        "state": hint.state,
        "unmet": [{"gate": u.gate, "description": u.description} for u in hint.unmet],
        "created_at": hint.created_at,
        "decided_at": hint.decided_at,
        "decided_by": hint.decided_by,
        "auto_pending": hint.auto_pending,
    }


def _hint(row: sa.Row) -> StageHint:
    m = row._mapping
    return StageHint(
        hint_id=m["hint_id"],
        tenant_id=m["tenant_id"],
        opportunity_id=m["opportunity_id"],
        customer_id=m["customer_id"],
        activity_id=m["activity_id"],
        tag=m["tag"],
        suggested_stage=m["suggested_stage"],
        words=tuple(m["words"] or ()),
        state=m["state"],
        unmet=tuple(Unmet(u["gate"], u["description"]) for u in (m["unmet"] or ())),
        created_at=as_utc(m["created_at"]),
        decided_at=as_utc(m["decided_at"]) if m["decided_at"] else None,
        decided_by=m["decided_by"],
        auto_pending=bool(m["auto_pending"]),
    )


class StageHintRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_unless_taken(self, hint: StageHint) -> bool:
        """False when the activity already suggested this stage (a redelivery)."""
        return await insert_unless_taken(self.session, sa.insert(stage_hints).values(**_row(hint)))

    async def get(self, tenant_id: str, hint_id: str, *, lock: bool = False) -> StageHint | None:
        query = sa.select(stage_hints).where(stage_hints.c.tenant_id == tenant_id, stage_hints.c.hint_id == hint_id)
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _hint(row) if row else None

    async def save(self, hint: StageHint) -> None:
        values = _row(hint)
        await self.session.execute(
            sa.update(stage_hints)
            .where(stage_hints.c.tenant_id == hint.tenant_id, stage_hints.c.hint_id == hint.hint_id)
            .values(
                state=values["state"],
                unmet=values["unmet"],
                decided_at=hint.decided_at,
                decided_by=hint.decided_by,
                auto_pending=hint.auto_pending,
            )
        )

    async def for_opportunity(self, tenant_id: str, opportunity_id: str) -> list[StageHint]:
        """Newest first, at most MAX_HINTS_LISTED."""
        query = (
            sa.select(stage_hints)
            .where(stage_hints.c.tenant_id == tenant_id, stage_hints.c.opportunity_id == opportunity_id)
            .order_by(stage_hints.c.created_at.desc(), stage_hints.c.hint_id.desc())
            .limit(MAX_HINTS_LISTED)
        )
        return [_hint(r) for r in (await self.session.execute(query)).all()]

    async def auto_pending(self, limit: int) -> list[StageHint]:
        """Every tenant's shown hints the system is still to move, oldest first."""
        query = (
            sa.select(stage_hints)
            .where(stage_hints.c.auto_pending.is_(True), stage_hints.c.state == "shown")
            .order_by(stage_hints.c.created_at, stage_hints.c.hint_id)
            .limit(limit)
        )
        return [_hint(r) for r in (await self.session.execute(query)).all()]

    async def waiting_stages(self, tenant_id: str, opportunity_id: str) -> list[str]:
        """The stages the opportunity's shown or refused hints suggest."""
        query = (
            sa.select(stage_hints.c.suggested_stage)
            .where(
                stage_hints.c.tenant_id == tenant_id,
                stage_hints.c.opportunity_id == opportunity_id,
                stage_hints.c.state.in_(OPEN_STATES),
            )
            .distinct()
        )
        return list((await self.session.execute(query)).scalars())


def stage_hint_settings_rows(session: AsyncSession) -> SettingsRows:
    """The tenant's tag → stage rules and auto_move (versioned settings row)."""
    return SettingsRows(session, stage_hint_settings, "stage hint")
