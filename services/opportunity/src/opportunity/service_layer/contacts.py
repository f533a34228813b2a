"""Use cases of a customer's contacts (its decision chain): add, change
(every change a version), list."""

from __future__ import annotations

from collections.abc import Callable

from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound
from crm_shared.ids import new_id

from opportunity.domain.contact import Contact, change_contact, new_contact
from opportunity.service_layer.common import visible_customer, writable_customer
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]


class ContactHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def add(self, caller: Caller, customer_id: str, **values: object) -> Contact:
        async with self.uow() as uow:
            await writable_customer(uow, caller, customer_id)
            contact = new_contact(
                contact_id=new_id(),
                tenant_id=caller.tenant_id,
                customer_id=customer_id,
                now=uow.clock.now(),
                **values,  # type: ignore[arg-type]
            )
            await uow.contacts.add(contact, caller.user_id)
            # The customer's contacts are one of its master fields (信息新鲜度, domain/indexes/phi.py).
            await uow.process_health.record_field_updates(
                caller.tenant_id, customer_id, ["contacts"], caller.user_id, uow.clock.now()
            )
            await uow.commit()
        return await self._reread(caller, customer_id, contact.contact_id)

    async def update(self, caller: Caller, customer_id: str, contact_id: str, changes: dict) -> Contact:
        async with self.uow() as uow:
            # The customer row locked: two edits of one contact queue, neither undoes the other's fields.
            await writable_customer(uow, caller, customer_id, for_update=True)
            contact = await uow.contacts.get(caller.tenant_id, customer_id, contact_id)
            if contact is None:
                raise NotFound(f"contact {contact_id} not found")
            changed = change_contact(contact, changes, uow.clock.now())
            if changed is not None:
                await uow.contacts.save(changed, caller.user_id)
                await uow.process_health.record_field_updates(
                    caller.tenant_id, customer_id, ["contacts"], caller.user_id, uow.clock.now()
                )
                await uow.commit()
        return await self._reread(caller, customer_id, contact_id)

    async def _reread(self, caller: Caller, customer_id: str, contact_id: str) -> Contact:
        """The contact as stored, with its history."""
        async with self.uow() as uow:
            contact = await uow.contacts.get(caller.tenant_id, customer_id, contact_id)
            assert contact is not None
            return contact

    async def list(self, caller: Caller, customer_id: str) -> list[Contact]:
        async with self.uow() as uow:
            await visible_customer(uow, caller, customer_id)
            return await uow.contacts.for_customer(caller.tenant_id, customer_id)
