"""A tenant's versioned settings row, one per tenant per area (tagging,
stage hints, intent, anomalies): `tenant_id` PK, `version`, `data` JSON,
`updated_by`, `updated_at`. Optimistic concurrency: a put carries the version
it read (0 when the tenant had none) and a stale one raises Conflict. The
defaults a tenant without a row gets are each area's domain rule, not here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.db import insert_unless_taken
from crm_shared.domain.errors import Conflict
from sqlalchemy.ext.asyncio import AsyncSession


def settings_table(name: str, metadata: sa.MetaData) -> sa.Table:
    """The shape of every settings row table (for adapters/orm/)."""
    return sa.Table(
        name,
        metadata,
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


class SettingsRows:
    """get → (version, data) | None; put with the version read → the new version."""

    def __init__(self, session: AsyncSession, table: sa.Table, area: str) -> None:
        self.session = session
        self.table = table
        self.area = area  # named in a Conflict's message ("the tagging settings changed ...")

    async def get(self, tenant_id: str) -> tuple[int, dict[str, Any]] | None:
        query = sa.select(self.table.c.version, self.table.c.data).where(self.table.c.tenant_id == tenant_id)
        row = (await self.session.execute(query)).first()
        return (int(row.version), dict(row.data)) if row else None

    async def put(self, tenant_id: str, expected_version: int, data: dict[str, Any], by: str, now: datetime) -> int:
        new_version = expected_version + 1
        values = {"version": new_version, "data": data, "updated_by": by, "updated_at": now}
        if expected_version == 0:
            if await insert_unless_taken(self.session, sa.insert(self.table).values(tenant_id=tenant_id, **values)):
                return new_version
        else:
            done = await self.session.execute(
                sa.update(self.table)
                .where(self.table.c.tenant_id == tenant_id, self.table.c.version == expected_version)
                .values(**values)
            )
            if done.rowcount == 1:
                return new_version
        raise Conflict(f"the {self.area} settings changed since version {expected_version}; read them again")
