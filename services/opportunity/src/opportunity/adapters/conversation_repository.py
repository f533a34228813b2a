"""SQL of conversations coming in: the source ids already imported
(idempotency), a transcript's whole text, and contacts' 企业微信 external
ids. Every query is scoped by tenant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks, insert_unless_taken, upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.conversations import contact_channels, conversation_sources, conversation_texts
from opportunity.adapters.orm.customers import contacts, customers

WECOM_CHANNEL = "wecom"


@dataclass(frozen=True)
class ContactChannel:
    contact_id: str
    channel: str
    external_id: str
    set_by: str
    set_at: datetime


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim_source(
        self, tenant_id: str, source: str, source_id: str, activity_id: str, customer_id: str, by: str, at: datetime
    ) -> bool:
        """False when the source id was imported already (its activity stays the one)."""
        return await insert_unless_taken(
            self.session,
            sa.insert(conversation_sources).values(
                tenant_id=tenant_id,
                source=source,
                source_id=source_id,
                activity_id=activity_id,
                customer_id=customer_id,
                imported_by=by,
                imported_at=at,
            ),
        )

    async def claim_sources(
        self, tenant_id: str, source: str, claims: Sequence[tuple[str, str, str]], by: str, at: datetime
    ) -> set[str]:
        """Of (source id, activity id, customer id) claims, the source ids
        claimed now; one imported already (or by a concurrent import) keeps its activity."""
        rows = [
            {
                "tenant_id": tenant_id,
                "source": source,
                "source_id": source_id,
                "activity_id": activity_id,
                "customer_id": customer_id,
                "imported_by": by,
                "imported_at": at,
            }
            for source_id, activity_id, customer_id in claims
        ]
        if not rows:
            return set()
        insert = upsert_insert(self.session, conversation_sources).on_conflict_do_nothing()
        # One statement compiled once, its rows sent in batches (SQLAlchemy's insertmanyvalues).
        found = await self.session.execute(insert.returning(conversation_sources.c.source_id), rows)
        return set(found.scalars())

    async def source_activity(self, tenant_id: str, source: str, source_id: str) -> str | None:
        query = sa.select(conversation_sources.c.activity_id).where(
            conversation_sources.c.tenant_id == tenant_id,
            conversation_sources.c.source == source,
            conversation_sources.c.source_id == source_id,
        )
        return (await self.session.execute(query)).scalar()

    async def imported(self, tenant_id: str, source: str, source_ids: list[str]) -> set[str]:
        found: set[str] = set()
        for part in in_chunks(sorted(set(source_ids))):
            query = sa.select(conversation_sources.c.source_id).where(
                conversation_sources.c.tenant_id == tenant_id,
                conversation_sources.c.source == source,
                conversation_sources.c.source_id.in_(part),
            )
            found.update((await self.session.execute(query)).scalars())
        return found

    async def add_text(self, tenant_id: str, activity_id: str, text: str, sha256: str) -> None:
        await self.session.execute(
            sa.insert(conversation_texts).values(tenant_id=tenant_id, activity_id=activity_id, text=text, sha256=sha256)
        )

    async def text(self, tenant_id: str, activity_id: str) -> str | None:
        query = sa.select(conversation_texts.c.text).where(
            conversation_texts.c.tenant_id == tenant_id, conversation_texts.c.activity_id == activity_id
        )
        return (await self.session.execute(query)).scalar()

    async def customers_of_wecom_ids(self, tenant_id: str, external_ids: list[str]) -> dict[str, str]:
        """external id → customer id, of the contacts that have one."""
        found: dict[str, str] = {}
        for part in in_chunks(sorted(set(external_ids))):
            query = sa.select(contact_channels.c.external_id, contact_channels.c.customer_id).where(
                contact_channels.c.tenant_id == tenant_id,
                contact_channels.c.channel == WECOM_CHANNEL,
                contact_channels.c.external_id.in_(part),
            )
            found.update({r.external_id: r.customer_id for r in await self.session.execute(query)})
        return found

    async def customers_of_phones(self, tenant_id: str, phones: list[str]) -> dict[str, str]:
        """E.164 phone → customer id, a contact's phone first, then the customer's own."""
        found: dict[str, str] = {}
        for part in in_chunks(sorted(set(phones))):
            own = sa.select(customers.c.phone, customers.c.customer_id).where(
                customers.c.tenant_id == tenant_id, customers.c.phone.in_(part)
            )
            found.update({r.phone: r.customer_id for r in await self.session.execute(own)})
            of_contacts = sa.select(contacts.c.phone, contacts.c.customer_id).where(
                contacts.c.tenant_id == tenant_id, contacts.c.phone.in_(part)
            )
            found.update({r.phone: r.customer_id for r in await self.session.execute(of_contacts)})
        return found

    async def wecom_owner(self, tenant_id: str, external_id: str) -> str | None:
        """The contact holding the external id."""
        query = sa.select(contact_channels.c.contact_id).where(
            contact_channels.c.tenant_id == tenant_id,
            contact_channels.c.channel == WECOM_CHANNEL,
            contact_channels.c.external_id == external_id,
        )
        return (await self.session.execute(query)).scalar()

    async def channels_of_customer(self, tenant_id: str, customer_id: str) -> list[ContactChannel]:
        """The ids set on the customer's contacts (those still its own), by contact."""
        query = (
            sa.select(contact_channels)
            .join(
                contacts,
                sa.and_(
                    contacts.c.tenant_id == contact_channels.c.tenant_id,
                    contacts.c.contact_id == contact_channels.c.contact_id,
                    contacts.c.customer_id == contact_channels.c.customer_id,
                ),
            )
            .where(contacts.c.tenant_id == tenant_id, contacts.c.customer_id == customer_id)
            .order_by(contact_channels.c.contact_id, contact_channels.c.channel)
        )
        return [
            ContactChannel(r.contact_id, r.channel, r.external_id, r.updated_by, as_utc(r.updated_at))
            for r in await self.session.execute(query)
        ]

    async def set_wecom(
        self, tenant_id: str, customer_id: str, contact_id: str, external_id: str, by: str, at: datetime
    ) -> bool:
        """The contact's one 企业微信 id (replacing its previous one); False when another contact took it."""
        await self.session.execute(
            sa.delete(contact_channels).where(
                contact_channels.c.tenant_id == tenant_id,
                contact_channels.c.channel == WECOM_CHANNEL,
                contact_channels.c.contact_id == contact_id,
            )
        )
        return await insert_unless_taken(
            self.session,
            sa.insert(contact_channels).values(
                tenant_id=tenant_id,
                channel=WECOM_CHANNEL,
                external_id=external_id,
                contact_id=contact_id,
                customer_id=customer_id,
                updated_by=by,
                updated_at=at,
            ),
        )
