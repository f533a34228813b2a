"""SQL of the activity log (hash-chained per customer) and the visit photos
it points at. Every query is scoped by tenant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.activities import activities, photos
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.rows import in_scope, load
from opportunity.domain.access import Scope
from opportunity.domain.activity import Activity, Draft, Photo


class ActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, activity: Activity) -> None:
        await self.session.execute(sa.insert(activities).values(**asdict(activity)))

    async def add_many(self, entries: Sequence[Activity]) -> None:
        """Entries appended in this transaction, one executemany."""
        names = [f.name for f in fields(Activity)]  # asdict's deep copy costs more than the insert
        if entries:
            await self.session.execute(sa.insert(activities), [{n: getattr(a, n) for n in names} for a in entries])

    async def get(self, tenant_id: str, customer_id: str, activity_id: str) -> Activity | None:
        row = (
            await self.session.execute(
                sa.select(activities).where(
                    activities.c.tenant_id == tenant_id,
                    activities.c.customer_id == customer_id,
                    activities.c.activity_id == activity_id,
                )
            )
        ).first()
        return load(Activity, row) if row else None

    async def hash_at(self, customer_id: str, seq: int) -> str | None:
        return await self.session.scalar(
            sa.select(activities.c.hash).where(activities.c.customer_id == customer_id, activities.c.seq == seq)
        )

    async def chain(self, tenant_id: str, customer_id: str) -> list[Activity]:
        query = (
            sa.select(activities)
            .where(activities.c.tenant_id == tenant_id, activities.c.customer_id == customer_id)
            .order_by(activities.c.seq)
        )
        return [load(Activity, r) for r in (await self.session.execute(query)).all()]

    async def completion_of(self, customer_id: str, draft_id: str) -> str | None:
        return await self.session.scalar(
            sa.select(activities.c.activity_id).where(
                activities.c.customer_id == customer_id,
                activities.c.refers_to == draft_id,
                activities.c.relation == "completes",
            )
        )

    async def drafts(self, scope: Scope, *, limit: int, after: tuple[datetime, str] | None) -> list[Draft]:
        """Drafts no later entry completed, newest first (recorded_at, id), after the page token:
        those the scope covers twice, by the customer's owner and by the rep who saved it."""
        if scope.is_empty:
            return []
        done = activities.alias("done")
        completed = sa.exists().where(done.c.refers_to == activities.c.activity_id, done.c.relation == "completes")
        query = (
            sa.select(activities, customers.c.name.label("customer_name"))
            .join(customers, customers.c.customer_id == activities.c.customer_id)
            .where(*in_scope(customers, scope), activities.c.tenant_id == scope.tenant_id)
            .where(activities.c.state == "draft", ~completed)
        )
        if scope.owner_ids is not None:
            query = query.where(activities.c.actor_id.in_(sorted(scope.owner_ids)))
        if after:
            at, last_id = after
            query = query.where(
                sa.tuple_(activities.c.recorded_at, activities.c.activity_id)
                < sa.tuple_(sa.literal(at, sa.DateTime(timezone=True)), sa.literal(last_id))
            )
        query = query.order_by(activities.c.recorded_at.desc(), activities.c.activity_id.desc()).limit(limit)
        rows = (await self.session.execute(query)).all()
        return [Draft(load(Activity, r), r.customer_name) for r in rows]

    async def count_for(self, tenant_id: str, customer_ids: list[str]) -> int:
        query = sa.select(sa.func.count()).where(
            activities.c.tenant_id == tenant_id, activities.c.customer_id.in_(customer_ids)
        )
        return int(await self.session.scalar(query) or 0)

    # --- visit photos, kept in this database -------------------------------------

    async def add_photo(self, photo: Photo) -> None:
        await self.session.execute(sa.insert(photos).values(**asdict(photo)))

    async def photo(self, tenant_id: str, customer_id: str, photo_id: str) -> Photo | None:
        row = (
            await self.session.execute(
                sa.select(photos).where(
                    photos.c.tenant_id == tenant_id, photos.c.customer_id == customer_id, photos.c.photo_id == photo_id
                )
            )
        ).first()
        return load(Photo, row) if row else None

    async def photo_taken_at(self, photo_id: str | None) -> datetime | None:
        if photo_id is None:
            return None
        value = await self.session.scalar(sa.select(photos.c.taken_at).where(photos.c.photo_id == photo_id))
        return as_utc(value) if value else None
