"""Use cases of the customer master: create, read, list and change customers,
and give them to another rep (one, or every customer of a leaving rep) with
their opportunities and open tasks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from crm.events.v1 import customer_pb2 as customer_events
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, PermissionDenied, Validator
from crm_shared.ids import new_id
from crm_shared.notifications import publish_notification
from crm_shared.paging import decode_token, encode_token, page_size
from crm_shared.partner_check import PartnerCheck

from opportunity.domain import access
from opportunity.domain.customer import (
    DEFAULT_VALUE_TIER,
    Customer,
    CustomerCandidate,
    CustomerFields,
    new_customer,
    update_customer,
)
from opportunity.domain.indexes.phi import changed_fields
from opportunity.domain.rep import check_new_owner
from opportunity.service_layer.common import scope_of, team_of, visible_customer, writable_customer
from opportunity.service_layer.customer_value import refuse_hand_set
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]

MAX_KEY = 64  # a credit code, an E.164 phone, a city name
MAX_CANDIDATES = 5000  # customers of one city given to a duplicate test at most (the oldest)


@dataclass(frozen=True)
class Moved:
    customers: int = 0
    opportunities: int = 0
    open_tasks: int = 0
    notes: int = 0
    contacts: int = 0
    activities: int = 0


class CustomerHandlers:
    def __init__(self, uow: UowFactory, partners: PartnerCheck | None = None) -> None:
        self.uow = uow
        # A partner's list is none of the manufacturer's rows, but only for a partner lead-routing still admits.
        self.partners = partners or PartnerCheck()

    async def create(self, caller: Caller, fields: CustomerFields, owner_id: str = "") -> Customer:
        access.require_writer(caller)
        async with self.uow() as uow:
            owner = access.resolve_owner(caller, owner_id, await team_of(uow, caller))
            # While the tenant's value tier formula is on, the tier is its (412 naming value_tier).
            await refuse_hand_set(uow, caller.tenant_id, DEFAULT_VALUE_TIER, fields.value_tier)
            customer = new_customer(
                customer_id=new_id(), tenant_id=caller.tenant_id, owner_id=owner, now=uow.clock.now(), fields=fields
            )
            await uow.customers.add(customer)
            # When each master field was written (信息新鲜度, domain/indexes/phi.py).
            await uow.process_health.record_field_updates(
                caller.tenant_id,
                customer.customer_id,
                changed_fields(None, customer),
                caller.user_id,
                customer.created_at,
            )
            await uow.commit()
        return customer

    async def find_candidates(
        self, caller: Caller, *, credit_code: str, phone: str, city: str
    ) -> tuple[list[CustomerCandidate], bool]:
        """For a service's duplicate test (lead-routing's registration check):
        the customers with the credit code or phone, and those of the city."""
        caller.require_role(roles.SYSTEM)
        v = Validator()
        for name, value in (("credit_code", credit_code), ("phone", phone), ("city", city)):
            if len(value) > MAX_KEY:
                v.add(name, f"is longer than {MAX_KEY} characters")
        v.check()
        async with self.uow().reading() as uow:
            return await uow.customers.candidates(
                caller.tenant_id, credit_code=credit_code, phone=phone, city=city, limit=MAX_CANDIDATES
            )

    async def get(self, caller: Caller, customer_id: str) -> Customer:
        async with self.uow() as uow:
            return await visible_customer(uow, caller, customer_id)

    async def list(
        self, caller: Caller, *, owner_id: str = "", value_tier: str = "", size: int = 0, token: str = ""
    ) -> tuple[list[Customer], str]:
        limit = page_size(size)
        await self.partners.require(caller)
        async with self.uow() as uow:
            found = await uow.customers.list(
                await scope_of(uow, caller),
                owner_id=owner_id,
                value_tier=value_tier,
                limit=limit + 1,
                after=decode_token(token),
            )
        page = found[:limit]
        last = page[-1] if page else None
        return page, encode_token(last.created_at, last.customer_id) if last and len(found) > limit else ""

    async def update(self, caller: Caller, customer_id: str, fields: CustomerFields) -> Customer:
        async with self.uow() as uow:
            # Locked: two updates of different fields must not undo each other.
            customer = await writable_customer(uow, caller, customer_id, for_update=True)
            await refuse_hand_set(uow, caller.tenant_id, customer.value_tier, fields.value_tier)
            updated = update_customer(customer, fields, uow.clock.now())
            await uow.customers.save(updated)
            await uow.process_health.record_field_updates(
                caller.tenant_id, customer_id, changed_fields(customer, updated), caller.user_id, updated.updated_at
            )
            await uow.commit()
        return updated

    # --- reassignment -----------------------------------------------------------

    async def reassign(self, caller: Caller, customer_id: str, to_owner: str) -> tuple[Customer, Moved]:
        caller.require_role(*access.REASSIGNERS)
        async with self.uow() as uow:
            customer = await visible_customer(uow, caller, customer_id, for_update=True)
            to_owner = await self._new_owner(uow, caller, to_owner)
            if to_owner == customer.owner_id:
                return customer, Moved()
            moved = await self._move(uow, caller, [customer_id], customer.owner_id, to_owner, customer.name)
            await uow.commit()
        return replace(customer, owner_id=to_owner), moved

    async def hand_over(self, caller: Caller, from_owner: str, to_owner: str) -> tuple[list[str], Moved]:
        """Every customer of a (leaving) rep to another rep, in one transaction."""
        caller.require_role(*access.REASSIGNERS)
        from_owner = from_owner.strip()
        if not from_owner:
            raise InvalidArgument.field("from_owner_id", "is required")
        async with self.uow() as uow:
            if not (await scope_of(uow, caller)).covers(caller.tenant_id, from_owner):
                raise PermissionDenied(f"{from_owner} is not a rep of this manager")
            to_owner = await self._new_owner(uow, caller, to_owner)
            if to_owner == from_owner:
                raise InvalidArgument.field("to_owner_id", "is the rep handing over")
            ids = await uow.customers.owned_by(caller.tenant_id, from_owner)
            moved = await self._move(uow, caller, ids, from_owner, to_owner, f"{len(ids)} 个客户转交给你")
            await uow.commit()
        return ids, moved

    @staticmethod
    async def _new_owner(uow: OpportunityUnitOfWork, caller: Caller, to_owner: str) -> str:
        team = await team_of(uow, caller)
        known = await uow.reps.get(caller.tenant_id, to_owner.strip()) if to_owner.strip() else None
        return check_new_owner(caller, to_owner, team, known)

    @staticmethod
    async def _move(
        uow: OpportunityUnitOfWork, caller: Caller, ids: list[str], from_owner: str, to_owner: str, title: str
    ) -> Moved:
        """Customers with their opportunities and open tasks; counted with what
        stays attached (contacts, activities, and private notes, which stay
        their authors' and are not read by the new owner)."""
        if not ids:
            return Moved()
        tenant, now = caller.tenant_id, uow.clock.now()
        opportunity_ids = await uow.opportunities.of_customers(tenant, ids)
        moved = Moved(
            customers=await uow.customers.move(tenant, ids, to_owner, now),
            opportunities=await uow.opportunities.move_customers(tenant, ids, to_owner, now),
            notes=await uow.notes.count_for(tenant, ids),
            contacts=await uow.contacts.count_for(tenant, ids),
            activities=await uow.activities.count_for(tenant, ids),
            open_tasks=await uow.tasks.move_open(tenant, ids, opportunity_ids, to_owner),
        )
        # The receiving rep hears about it in the app (and nobody else needs to).
        await publish_notification(
            uow,
            tenant,
            to_owner,
            "customer.reassigned",
            title,
            f"由 {from_owner} 转交: {moved.customers} 个客户, {moved.opportunities} 个商机, {moved.open_tasks} 个待办",
            subject_type="customer",
            subject_id=ids[0] if len(ids) == 1 else "",
            aggregate_id=ids[0],
        )
        await uow.publish(
            "customer.reassigned",
            tenant,
            ids[0] if len(ids) == 1 else from_owner,
            customer_events.CustomerReassigned(
                customer_ids=ids,
                from_owner_id=from_owner,
                to_owner_id=to_owner,
                actor_id=caller.user_id,
                opportunities=moved.opportunities,
                open_tasks=moved.open_tasks,
                notes=moved.notes,
            ),
        )
        return moved
