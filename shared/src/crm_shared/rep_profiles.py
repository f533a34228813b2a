"""Rep profiles as lead-routing last announced them (`rep.profile_changed`):
the copy a service keeps of who is on which team under which manager.

The event's time decides which announcement is the latest: `ProfileStore.put`
writes a profile only over one not newer, so an old event redelivered after
a newer one brings nothing back (an old manager, a left team)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from crm.events.v1 import rep_pb2
from crm.events.v1.envelope_pb2 import Envelope
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared.clock import as_utc
from crm_shared.db import upsert_insert
from crm_shared.events import unpack

REP_PROFILE_CHANGED = "rep.profile_changed"


@dataclass(frozen=True)
class RepProfile:
    """lead-routing's rep profile, as its last `rep.profile_changed` said."""

    tenant_id: str
    rep_id: str
    name: str
    team: str
    manager_id: str
    region: str
    active: bool
    updated_at: datetime


def profile_from(envelope: Envelope) -> RepProfile:
    event = unpack(envelope, rep_pb2.RepProfileChanged)
    if not envelope.tenant_id or not event.rep_id:
        # Raising sends it through the retries to the dead-letter stream, not silently away.
        raise ValueError(f"event {envelope.event_id} lacks a tenant id or rep id")
    return RepProfile(
        tenant_id=envelope.tenant_id,
        rep_id=event.rep_id,
        name=event.name,
        team=event.team,
        manager_id=event.manager_id,
        region=event.region,
        active=event.active,
        # When lead-routing changed it, so an older event redelivered later is known as older.
        updated_at=envelope.occurred_at.ToDatetime(tzinfo=UTC),
    )


def profile_of(row: sa.Row) -> RepProfile:
    data = dict(row._mapping)
    data["updated_at"] = as_utc(data["updated_at"])
    return RepProfile(**data)


class ProfileStore:
    """A service's table of profiles (RepProfile's columns, keyed by
    (tenant_id, rep_id)); a repository subclasses it and names `table`."""

    table: sa.Table

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def put(self, profile: RepProfile) -> None:
        """Insert the profile, or replace a stored one that is not newer."""
        t = self.table
        values = asdict(profile)
        statement = upsert_insert(self.session, t).values(**values)
        keys = ("tenant_id", "rep_id")
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=list(keys),
                set_={k: v for k, v in values.items() if k not in keys},
                where=t.c.updated_at <= statement.excluded.updated_at,
            )
        )

    async def get(self, tenant_id: str, rep_id: str) -> RepProfile | None:
        t = self.table
        row = (await self.session.execute(sa.select(t).where(t.c.tenant_id == tenant_id, t.c.rep_id == rep_id))).first()
        return profile_of(row) if row else None
