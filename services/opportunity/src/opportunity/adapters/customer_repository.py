"""SQL of the customer master: customers, contacts, notes, photos,
activities and reassignment. Every query is scoped by tenant."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared.clock import as_utc
from crm_shared.domain.errors import AlreadyExists
from crm_shared.money import INT64_MAX
from opportunity.adapters.orm import (
    activities,
    contact_versions,
    contacts,
    customers,
    follow_up_moves,
    note_versions,
    notes,
    opportunities,
    photos,
)
from opportunity.adapters.queries import in_scope, keyset_page, load
from opportunity.domain.access import Scope
from opportunity.domain.activities import Activity
from opportunity.domain.customers import Contact, ContactVersion, CustomerRecord, Note, NoteVersion

# E's table (migration 0003); reassignment moves its open tasks.
tasks = sa.table(
    "tasks",
    sa.column("tenant_id"),
    sa.column("customer_id"),
    sa.column("opportunity_id"),
    sa.column("owner_id"),
    sa.column("state"),
)


def _columns(cls: type, obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(cls) if f.name not in skip}



class CustomerMasterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, customer: CustomerRecord) -> None:
        try:
            async with self.session.begin_nested():
                await self.session.execute(sa.insert(customers).values(**asdict(customer)))
        except IntegrityError as exc:
            raise AlreadyExists(
                f"credit_code: a customer with 统一社会信用代码 {customer.credit_code} already exists in this tenant"
            ) from exc

    async def get(self, tenant_id: str, customer_id: str, *, for_update: bool = False) -> CustomerRecord | None:
        query = sa.select(customers).where(customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return load(CustomerRecord, row) if row else None

    async def list(
        self, scope: Scope, *, owner_id: str, value_tier: str, limit: int, after: tuple | None
    ) -> list[CustomerRecord]:
        if scope.is_empty:
            return []
        query = sa.select(customers).where(*in_scope(customers, scope))
        if owner_id:
            query = query.where(customers.c.owner_id == owner_id)
        if value_tier:
            query = query.where(customers.c.value_tier == value_tier)
        query = keyset_page(query, customers.c.created_at, customers.c.customer_id, after, limit)
        return [load(CustomerRecord, r) for r in (await self.session.execute(query)).all()]

    async def save(self, customer: CustomerRecord) -> None:
        """Write the typed-in fields (never the dynamic attributes or the owner)."""
        values = _columns(
            CustomerRecord,
            customer,
            skip=(
                "customer_id", "tenant_id", "owner_id", "created_at", "last_interaction_at",
                "purchase_total_minor", "service_request_count", "next_follow_up_at", "follow_up_moves",
                "activity_seq",
            ),
        )
        try:
            async with self.session.begin_nested():
                await self.session.execute(
                    sa.update(customers)
                    .where(customers.c.tenant_id == customer.tenant_id, customers.c.customer_id == customer.customer_id)
                    .values(**values)
                )
        except IntegrityError as exc:
            raise AlreadyExists(
                f"credit_code: a customer with 统一社会信用代码 {customer.credit_code} already exists in this tenant"
            ) from exc

    async def take_next_seq(self, tenant_id: str, customer_id: str) -> int:
        """Claim the next place in the customer's activity chain. The UPDATE
        locks the customer row on PostgreSQL until commit, so appends to one
        chain queue instead of forking it (SQLite has one writer anyway)."""
        where = (customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id)
        await self.session.execute(
            sa.update(customers).where(*where).values(activity_seq=customers.c.activity_seq + 1)
        )
        return int(await self.session.scalar(sa.select(customers.c.activity_seq).where(*where)))

    async def touch(
        self,
        customer: CustomerRecord,
        *,
        interaction_at: datetime | None,
        next_follow_up_at: datetime | None,
        follow_up_moves: int,
    ) -> None:
        values: dict[str, Any] = {"next_follow_up_at": next_follow_up_at, "follow_up_moves": follow_up_moves}
        if interaction_at is not None:
            latest = customer.last_interaction_at
            values["last_interaction_at"] = interaction_at if latest is None else max(latest, interaction_at)
        await self.session.execute(
            sa.update(customers)
            .where(customers.c.tenant_id == customer.tenant_id, customers.c.customer_id == customer.customer_id)
            .values(**values)
        )

    async def record_move(
        self, *, move_id: str, customer: CustomerRecord, from_at: datetime, to_at: datetime, reason: str,
        moved_by: str, moved_at: datetime,
    ) -> None:
        await self.session.execute(
            sa.insert(follow_up_moves).values(
                move_id=move_id, tenant_id=customer.tenant_id, customer_id=customer.customer_id, from_at=from_at,
                to_at=to_at, reason=reason, moved_by=moved_by, moved_at=moved_at,
            )
        )

    async def add_purchase(self, tenant_id: str, opportunity_id: str, amount_minor: int) -> str | None:
        """Add a payment to its opportunity's customer; that customer's id, or
        None. The total saturates at the int64 limit rather than overflowing
        (a payment is at most crm_shared.money.MAX_AMOUNT_MINOR)."""
        customer_id = await self.session.scalar(
            sa.select(opportunities.c.customer_id).where(
                opportunities.c.tenant_id == tenant_id, opportunities.c.opportunity_id == opportunity_id
            )
        )
        if customer_id is None:
            return None
        await self.session.execute(
            sa.update(customers)
            .where(customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id)
            .values(
                purchase_total_minor=sa.case(
                    (customers.c.purchase_total_minor > INT64_MAX - amount_minor, INT64_MAX),
                    else_=customers.c.purchase_total_minor + amount_minor,
                )
            )
        )
        return str(customer_id)

    async def count_service_request(self, tenant_id: str, customer_id: str) -> bool:
        done = await self.session.execute(
            sa.update(customers)
            .where(customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id)
            .values(service_request_count=customers.c.service_request_count + 1)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def fill_from_lead(self, customer: CustomerRecord) -> None:
        """A customer made from a lead gets the lead's address, coordinates and industry."""
        await self.session.execute(
            sa.update(customers)
            .where(customers.c.tenant_id == customer.tenant_id, customers.c.customer_id == customer.customer_id)
            .values(
                address=customer.address, latitude=customer.latitude, longitude=customer.longitude,
                industry=customer.industry, tags=customer.tags,
            )
        )

    # --- reassignment ---------------------------------------------------------

    async def owned_by(self, tenant_id: str, owner_id: str) -> list[str]:
        query = (
            sa.select(customers.c.customer_id)
            .where(customers.c.tenant_id == tenant_id, customers.c.owner_id == owner_id)
            .order_by(customers.c.created_at, customers.c.customer_id)
        )
        return list((await self.session.scalars(query)).all())

    async def move(self, tenant_id: str, customer_ids: list[str], to_owner: str, now: datetime) -> dict[str, int]:
        """Move customers with their opportunities and open tasks; counts of
        everything that moved or stays attached (contacts, activities, and
        private notes, which stay readable by their authors, not the new owner)."""
        if not customer_ids:
            return dict(customers=0, opportunities=0, open_tasks=0, notes=0, contacts=0, activities=0)

        async def update(table: sa.TableClause, *where: sa.ColumnElement[bool], **values: Any) -> int:
            result = await self.session.execute(sa.update(table).where(*where).values(**values))
            return int(result.rowcount)  # type: ignore[attr-defined]

        async def count(table: sa.Table) -> int:
            query = sa.select(sa.func.count()).where(
                table.c.tenant_id == tenant_id, table.c.customer_id.in_(customer_ids)
            )
            return int(await self.session.scalar(query) or 0)

        moved = dict(
            customers=await update(
                customers, customers.c.tenant_id == tenant_id, customers.c.customer_id.in_(customer_ids),
                owner_id=to_owner, updated_at=now,
            ),
            opportunities=await update(
                opportunities, opportunities.c.tenant_id == tenant_id, opportunities.c.customer_id.in_(customer_ids),
                owner_id=to_owner, updated_at=now,
            ),
            # Private notes do not move: they stay their authors' (counted as staying attached).
            notes=await count(notes),
            contacts=await count(contacts),
            activities=await count(activities),
        )
        opportunity_ids = sa.select(opportunities.c.opportunity_id).where(
            opportunities.c.tenant_id == tenant_id, opportunities.c.customer_id.in_(customer_ids)
        )
        try:
            # tasks belong to the pipeline half (migration 0003); before it
            # exists there is nothing to move.
            async with self.session.begin_nested():
                moved["open_tasks"] = await update(
                    tasks,
                    tasks.c.tenant_id == tenant_id,
                    tasks.c.state == "open",
                    sa.or_(tasks.c.customer_id.in_(customer_ids), tasks.c.opportunity_id.in_(opportunity_ids)),
                    owner_id=to_owner,
                )
        except DBAPIError:
            moved["open_tasks"] = 0
        return moved


class ContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, contact: Contact, by: str) -> None:
        await self.session.execute(sa.insert(contacts).values(**_columns(Contact, contact, skip=("history",))))
        await self._snapshot(contact, by)

    async def _snapshot(self, contact: Contact, by: str) -> None:
        version = contact.snapshot(by, contact.updated_at)
        await self.session.execute(
            sa.insert(contact_versions).values(
                contact_id=contact.contact_id, tenant_id=contact.tenant_id, **asdict(version)
            )
        )

    async def save(self, contact: Contact, by: str) -> None:
        values = _columns(Contact, contact, skip=("history", "contact_id", "tenant_id", "customer_id", "created_at"))
        await self.session.execute(
            sa.update(contacts)
            .where(contacts.c.tenant_id == contact.tenant_id, contacts.c.contact_id == contact.contact_id)
            .values(**values)
        )
        await self._snapshot(contact, by)

    async def get(self, tenant_id: str, customer_id: str, contact_id: str) -> Contact | None:
        found = await self._with_history(
            tenant_id, contacts.c.customer_id == customer_id, contacts.c.contact_id == contact_id
        )
        return found[0] if found else None

    async def for_customer(self, tenant_id: str, customer_id: str) -> list[Contact]:
        return await self._with_history(tenant_id, contacts.c.customer_id == customer_id)

    async def _with_history(self, tenant_id: str, *where: sa.ColumnElement[bool]) -> list[Contact]:
        query = (
            sa.select(contacts)
            .where(contacts.c.tenant_id == tenant_id, *where)
            .order_by(contacts.c.created_at, contacts.c.contact_id)
        )
        found = [load(Contact, r) for r in (await self.session.execute(query)).all()]
        if not found:
            return []
        versions = (
            await self.session.execute(
                sa.select(contact_versions)
                .where(contact_versions.c.contact_id.in_([c.contact_id for c in found]))
                .order_by(contact_versions.c.version)
            )
        ).all()
        history: dict[str, list[ContactVersion]] = {}
        for row in versions:
            history.setdefault(row.contact_id, []).append(load(ContactVersion, row))
        return [Contact(**{**_columns(Contact, c, skip=("history",)), "history": tuple(history.get(c.contact_id, ()))})
                for c in found]


class NoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, note: Note) -> None:
        await self.session.execute(sa.insert(notes).values(**_columns(Note, note, skip=("history",))))
        await self._version(note)

    async def save(self, note: Note) -> None:
        await self.session.execute(
            sa.update(notes)
            .where(notes.c.tenant_id == note.tenant_id, notes.c.note_id == note.note_id)
            .values(text=note.text, version=note.version, updated_at=note.updated_at)
        )
        await self._version(note)

    async def _version(self, note: Note) -> None:
        await self.session.execute(
            sa.insert(note_versions).values(
                note_id=note.note_id, version=note.version, tenant_id=note.tenant_id, text=note.text,
                edited_by=note.author_id, edited_at=note.updated_at,
            )
        )

    async def get(self, tenant_id: str, customer_id: str, note_id: str, *, for_update: bool = False) -> Note | None:
        """for_update locks the note's row first (PostgreSQL): edits of one note queue."""
        if for_update:
            await self.session.execute(
                sa.select(notes.c.note_id)
                .where(notes.c.tenant_id == tenant_id, notes.c.customer_id == customer_id, notes.c.note_id == note_id)
                .with_for_update()
            )
        found = await self._with_history(tenant_id, notes.c.customer_id == customer_id, notes.c.note_id == note_id)
        return found[0] if found else None

    async def for_customer(
        self, tenant_id: str, customer_id: str, *, authors: frozenset[str] | None = None
    ) -> list[Note]:
        """Notes on a customer, of the given authors only (None: of everyone)."""
        where = [notes.c.customer_id == customer_id]
        if authors is not None:
            if not authors:
                return []
            where.append(notes.c.author_id.in_(sorted(authors)))
        return await self._with_history(tenant_id, *where)

    async def _with_history(self, tenant_id: str, *where: sa.ColumnElement[bool]) -> list[Note]:
        query = (
            sa.select(notes).where(notes.c.tenant_id == tenant_id, *where).order_by(notes.c.created_at, notes.c.note_id)
        )
        found = [load(Note, r) for r in (await self.session.execute(query)).all()]
        if not found:
            return []
        rows = (
            await self.session.execute(
                sa.select(note_versions)
                .where(note_versions.c.note_id.in_([n.note_id for n in found]))
                .order_by(note_versions.c.version)
            )
        ).all()
        history: dict[str, list[NoteVersion]] = {}
        for row in rows:
            history.setdefault(row.note_id, []).append(load(NoteVersion, row))
        return [Note(**{**_columns(Note, n, skip=("history",)), "history": tuple(history.get(n.note_id, ()))})
                for n in found]


class ActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, activity: Activity) -> None:
        await self.session.execute(sa.insert(activities).values(**asdict(activity)))

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


class PhotoRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, **values: Any) -> None:
        await self.session.execute(sa.insert(photos).values(**values))

    async def get(self, tenant_id: str, customer_id: str, photo_id: str) -> sa.Row | None:
        return (
            await self.session.execute(
                sa.select(photos).where(
                    photos.c.tenant_id == tenant_id, photos.c.customer_id == customer_id, photos.c.photo_id == photo_id
                )
            )
        ).first()

    async def taken_at(self, photo_id: str | None) -> datetime | None:
        if photo_id is None:
            return None
        value = await self.session.scalar(sa.select(photos.c.taken_at).where(photos.c.photo_id == photo_id))
        return as_utc(value) if value else None
