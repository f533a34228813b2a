"""All SQL of snapshots (table document_snapshots): only ever inserted."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from document_versioning.adapters.orm import document_snapshots as t
from document_versioning.domain.snapshot import Snapshot


def _snapshot(mapping: sa.RowMapping) -> Snapshot:
    data = {c.name: mapping[c.name] for c in t.c}
    data["created_at"] = as_utc(data["created_at"])
    return Snapshot(**data)


class SnapshotRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, snapshot: Snapshot) -> bool:
        """False when this version is already frozen for the opportunity and purpose."""
        return await insert_unless_taken(self.session, sa.insert(t).values(**asdict(snapshot)))

    async def find(self, tenant_id: str, version_id: str, opportunity_id: str, purpose: str) -> Snapshot | None:
        row = (
            await self.session.execute(
                sa.select(t).where(
                    t.c.tenant_id == tenant_id,
                    t.c.version_id == version_id,
                    t.c.opportunity_id == opportunity_id,
                    t.c.purpose == purpose,
                )
            )
        ).first()
        return _snapshot(row._mapping) if row else None

    async def list_for(
        self,
        tenant_id: str,
        opportunity_id: str,
        purpose: str,
        *,
        before: tuple[datetime, str] | None = None,
        limit: int | None = None,
    ) -> list[Snapshot]:
        """Newest first by (created_at, snapshot_id); `before` is the last one of the page before."""
        query = (
            sa.select(t)
            .where(t.c.tenant_id == tenant_id, t.c.opportunity_id == opportunity_id)
            .order_by(t.c.created_at.desc(), t.c.snapshot_id.desc())
        )
        if purpose:
            query = query.where(t.c.purpose == purpose)
        if before is not None:
            at, snapshot_id = before
            query = query.where(
                sa.or_(t.c.created_at < at, sa.and_(t.c.created_at == at, t.c.snapshot_id < snapshot_id))
            )
        if limit is not None:
            query = query.limit(limit)
        return [_snapshot(r._mapping) for r in (await self.session.execute(query)).all()]
