"""Use cases of deliveries: sales records that a contract's goods were
delivered or accepted (the record and opportunity.delivery_recorded commit
together), and lists what the opportunity holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from crm.events.v1 import opportunity_pb2
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument
from crm_shared.ids import new_id

from opportunity.domain.delivery import RECORDERS, Delivery, DeliveryInput, check_input, check_record
from opportunity.service_layer.common import readable_opportunity
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]


class ContractsSource(Protocol):
    async def opportunity_of(self, tenant_id: str, contract_id: str) -> str | None: ...


class DeliveryHandlers:
    def __init__(self, uow: UowFactory, contracts: ContractsSource) -> None:
        self.uow = uow
        self.contracts = contracts

    async def record(self, caller: Caller, opportunity_id: str, cmd: DeliveryInput) -> Delivery:
        """Bad input and an opportunity out of the caller's scope answer before
        document-versioning is asked whose contract it is (outside the transaction)."""
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            await readable_opportunity(uow, caller, opportunity_id)
            day = check_input(cmd, business_day(uow.clock.now()))
        contract_id = cmd.contract_id.strip()
        if await self.contracts.opportunity_of(caller.tenant_id, contract_id) != opportunity_id:
            raise InvalidArgument.field("contract_id", "is not a contract of this opportunity")
        async with self.uow() as uow:
            # Locked: two records at once are checked one after the other (bound, acceptance after delivery).
            opp = await readable_opportunity(uow, caller, opportunity_id, lock=True)
            check_record(cmd, day, await uow.deliveries.for_opportunity(caller.tenant_id, opp.opportunity_id))
            delivery = Delivery(
                tenant_id=caller.tenant_id,
                delivery_id=new_id(),
                opportunity_id=opp.opportunity_id,
                contract_id=contract_id,
                kind=cmd.kind,
                happened_on=day,
                note=cmd.note.strip(),
                recorded_by=caller.user_id,
                recorded_at=uow.clock.now(),
            )
            await uow.deliveries.add(delivery)
            await uow.publish(
                "opportunity.delivery_recorded",
                caller.tenant_id,
                opp.opportunity_id,
                opportunity_pb2.OpportunityDeliveryRecorded(
                    delivery_id=delivery.delivery_id,
                    opportunity_id=delivery.opportunity_id,
                    contract_id=delivery.contract_id,
                    kind=delivery.kind,
                    on=delivery.happened_on.isoformat(),
                    recorded_by=delivery.recorded_by,
                ),
            )
            await uow.commit()
        return delivery

    async def listed(self, caller: Caller, opportunity_id: str) -> list[Delivery]:
        async with self.uow() as uow:
            opp = await readable_opportunity(uow, caller, opportunity_id)
            return await uow.deliveries.for_opportunity(caller.tenant_id, opp.opportunity_id)
