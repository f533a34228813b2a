"""Rep profiles as lead-routing last announced them (`rep.profile_changed`):
the copy a service keeps of who is on which team under which manager.

The event's time decides which announcement is the latest: `put_latest`
writes a profile only over an older one, so an old event redelivered after
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


async def put_latest(session: AsyncSession, table: sa.Table, profile: RepProfile) -> None:
    """Insert the profile, or replace a stored one that is not newer. `table`
    has RepProfile's columns with (tenant_id, rep_id) as its key."""
    values = asdict(profile)
    statement = upsert_insert(session, table).values(**values)
    keys = ("tenant_id", "rep_id")
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={k: v for k, v in values.items() if k not in keys},
            where=table.c.updated_at <= statement.excluded.updated_at,
        )
    )
