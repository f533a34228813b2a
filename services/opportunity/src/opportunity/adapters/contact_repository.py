"""SQL of contacts and their versions. Every query is scoped by tenant."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.customers import contact_versions, contacts
from opportunity.adapters.rows import columns, load
from opportunity.domain.contact import Contact, ContactVersion


class ContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, contact: Contact, by: str) -> None:
        await self.session.execute(sa.insert(contacts).values(**columns(Contact, contact, skip=("history",))))
        await self._snapshot(contact, by)

    async def _snapshot(self, contact: Contact, by: str) -> None:
        version = contact.snapshot(by, contact.updated_at)
        await self.session.execute(
            sa.insert(contact_versions).values(
                contact_id=contact.contact_id, tenant_id=contact.tenant_id, **asdict(version)
            )
        )

    async def save(self, contact: Contact, by: str) -> None:
        values = columns(Contact, contact, skip=("history", "contact_id", "tenant_id", "customer_id", "created_at"))
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
        return [
            Contact(**{**columns(Contact, c, skip=("history",)), "history": tuple(history.get(c.contact_id, ()))})
            for c in found
        ]

    async def count_for(self, tenant_id: str, customer_ids: list[str]) -> int:
        query = sa.select(sa.func.count()).where(
            contacts.c.tenant_id == tenant_id, contacts.c.customer_id.in_(customer_ids)
        )
        return int(await self.session.scalar(query) or 0)
