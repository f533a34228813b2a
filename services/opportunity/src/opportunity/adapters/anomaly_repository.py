"""SQL of anomaly flags, and the stored facts the anomaly rules read
(activities, stage stays, customers' follow-up moves — read only). Every
query is scoped by tenant."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime

import sqlalchemy as sa
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.activities import activities
from opportunity.adapters.orm.anomalies import anomaly_flags, anomaly_settings
from opportunity.adapters.orm.conversations import conversation_sources
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.opportunities import opportunities, stage_stays
from opportunity.adapters.orm.reps import reps
from opportunity.adapters.rows import load, utc
from opportunity.adapters.settings_rows import SettingsRows
from opportunity.domain.anomalies.flags import Flag, Recorded
from opportunity.domain.anomalies.stuck import OpenStay
from opportunity.domain.customer import FOLLOW_UP_MOVES_FLAG

# Bounds of one scan per tenant (the rules read at most this many rows).
MAX_SCAN_ACTIVITIES = 200_000
MAX_SCAN_STAYS = 50_000
MAX_SCAN_CUSTOMERS = 10_000
MAX_LIST = 500


def anomaly_settings_rows(session: AsyncSession) -> SettingsRows:
    """The tenant's anomaly thresholds (versioned settings row)."""
    return SettingsRows(session, anomaly_settings, "anomaly")


class AnomalyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- flags ---------------------------------------------------------------

    async def add_unless_exists(self, flag: Flag) -> bool:
        """False when a flag for this occasion (tenant, key) exists already."""
        exists = await self.session.scalar(
            sa.select(sa.func.count()).where(
                anomaly_flags.c.tenant_id == flag.tenant_id, anomaly_flags.c.key == flag.key
            )
        )
        if exists:
            return False
        return await insert_unless_taken(self.session, sa.insert(anomaly_flags).values(**asdict(flag)))

    async def get(self, tenant_id: str, flag_id: str) -> Flag | None:
        row = (
            await self.session.execute(
                sa.select(anomaly_flags).where(
                    anomaly_flags.c.tenant_id == tenant_id, anomaly_flags.c.flag_id == flag_id
                )
            )
        ).first()
        return load(Flag, row) if row else None

    async def dismiss(self, flag: Flag) -> bool:
        """Store a dismissal; False when the flag was no longer open (dismissed concurrently)."""
        result = await self.session.execute(
            sa.update(anomaly_flags)
            .where(
                anomaly_flags.c.tenant_id == flag.tenant_id,
                anomaly_flags.c.flag_id == flag.flag_id,
                anomaly_flags.c.state == "open",
            )
            .values(
                state=flag.state, dismissed_by=flag.dismissed_by, dismissed_at=flag.dismissed_at, reason=flag.reason
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def list(
        self,
        tenant_id: str,
        *,
        rep_ids: Iterable[str] | None,
        state: str,
        kind: str,
        rep_id: str,
        limit: int = MAX_LIST,
    ) -> list[Flag]:
        """Newest first; `rep_ids` None = every rep of the tenant."""
        query = sa.select(anomaly_flags).where(anomaly_flags.c.tenant_id == tenant_id)
        if rep_ids is not None:
            query = query.where(anomaly_flags.c.rep_id.in_(sorted(rep_ids)))
        if state != "all":
            query = query.where(anomaly_flags.c.state == state)
        if kind:
            query = query.where(anomaly_flags.c.kind == kind)
        if rep_id:
            query = query.where(anomaly_flags.c.rep_id == rep_id)
        query = query.order_by(anomaly_flags.c.raised_at.desc(), anomaly_flags.c.flag_id).limit(limit)
        return [load(Flag, row) for row in (await self.session.execute(query)).all()]

    # --- the facts the rules read ------------------------------------------------

    async def tenants(self) -> list[str]:
        """Tenants with any activity or opportunity."""
        query = sa.union(sa.select(activities.c.tenant_id), sa.select(opportunities.c.tenant_id))
        return sorted(t for t in (await self.session.scalars(query)).all())

    async def managers(self, tenant_id: str) -> dict[str, str]:
        """rep_id → manager_id of every rep the reps projection knows."""
        rows = await self.session.execute(
            sa.select(reps.c.rep_id, reps.c.manager_id).where(reps.c.tenant_id == tenant_id)
        )
        return {r.rep_id: r.manager_id for r in rows}

    async def rep_names(self, tenant_id: str, rep_ids: Iterable[str]) -> dict[str, str]:
        ids = sorted(set(rep_ids))
        if not ids:
            return {}
        rows = await self.session.execute(
            sa.select(reps.c.rep_id, reps.c.name).where(reps.c.tenant_id == tenant_id, reps.c.rep_id.in_(ids))
        )
        return {r.rep_id: r.name for r in rows}

    async def recorded_since(self, tenant_id: str, since: datetime) -> list[Recorded]:
        """Original entries (not corrections, completions or submissions of an
        earlier one) a rep recorded since `since`. Imported conversations
        (a conversation_sources row) are left out: their lag behind the time
        they happened and their recording time are the import's, not the rep's."""
        imported = sa.exists().where(
            conversation_sources.c.tenant_id == activities.c.tenant_id,
            conversation_sources.c.activity_id == activities.c.activity_id,
        )
        query = (
            sa.select(
                activities.c.activity_id,
                activities.c.actor_id,
                activities.c.kind,
                activities.c.occurred_at,
                activities.c.recorded_at,
                activities.c.violations,
            )
            .where(
                activities.c.tenant_id == tenant_id,
                activities.c.recorded_at >= since,
                activities.c.relation == "",
                ~imported,
            )
            .order_by(activities.c.recorded_at)
            .limit(MAX_SCAN_ACTIVITIES)
        )
        out = []
        for row in (await self.session.execute(query)).all():
            r = utc(dict(row._mapping))
            out.append(
                Recorded(
                    activity_id=r["activity_id"],
                    actor_id=r["actor_id"],
                    kind=r["kind"],
                    occurred_at=r["occurred_at"],
                    recorded_at=r["recorded_at"],
                    failed_checks=len(r["violations"] or []),
                )
            )
        return out

    async def open_stays(self, tenant_id: str) -> list[OpenStay]:
        """The current stay of every open opportunity."""
        query = (
            sa.select(
                stage_stays.c.opportunity_id,
                opportunities.c.owner_id,
                opportunities.c.name,
                stage_stays.c.pipeline_id,
                stage_stays.c.stage,
                stage_stays.c.stay_id,
                stage_stays.c.entered_at,
            )
            .join(opportunities, opportunities.c.opportunity_id == stage_stays.c.opportunity_id)
            .where(
                stage_stays.c.tenant_id == tenant_id,
                stage_stays.c.left_at.is_(None),
                opportunities.c.status == "open",
            )
            .limit(MAX_SCAN_STAYS)
        )
        return [OpenStay(**utc(dict(row._mapping))) for row in (await self.session.execute(query)).all()]

    async def completed_stays(self, tenant_id: str) -> list[tuple[str, str, str, float]]:
        """(owner_id, pipeline_id, stage, days) of every stay left, latest first."""
        query = (
            sa.select(
                opportunities.c.owner_id,
                stage_stays.c.pipeline_id,
                stage_stays.c.stage,
                stage_stays.c.entered_at,
                stage_stays.c.left_at,
            )
            .join(opportunities, opportunities.c.opportunity_id == stage_stays.c.opportunity_id)
            .where(stage_stays.c.tenant_id == tenant_id, stage_stays.c.left_at.is_not(None))
            .order_by(stage_stays.c.left_at.desc())
            .limit(MAX_SCAN_STAYS)
        )
        out = []
        for row in (await self.session.execute(query)).all():
            r = utc(dict(row._mapping))
            out.append(
                (r["owner_id"], r["pipeline_id"], r["stage"], (r["left_at"] - r["entered_at"]).total_seconds() / 86400)
            )
        return out

    async def follow_up_flagged(self, tenant_id: str) -> list[tuple[str, str, str, int, datetime | None]]:
        """(customer_id, name, owner_id, moves, next_follow_up_at) of customers
        whose planned follow-up was moved more than 3 times."""
        query = (
            sa.select(
                customers.c.customer_id,
                customers.c.name,
                customers.c.owner_id,
                customers.c.follow_up_moves,
                customers.c.next_follow_up_at,
            )
            .where(customers.c.tenant_id == tenant_id, customers.c.follow_up_moves > FOLLOW_UP_MOVES_FLAG)
            .limit(MAX_SCAN_CUSTOMERS)
        )
        return [
            tuple(utc(dict(row._mapping)).values())  # type: ignore[misc]
            for row in (await self.session.execute(query)).all()
        ]
