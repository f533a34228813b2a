"""ecn.published → a confirmation task per open order (translation only; the
inbox record and the commit are crm_shared.messaging.EventConsumer's)."""

from __future__ import annotations

from crm.events.v1 import contract_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import unpack

from opportunity.domain.task import EcnOrder
from opportunity.service_layer.tasks import EcnTaskHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork


class EcnConsumers:
    def __init__(self, handlers: EcnTaskHandlers) -> None:
        self.handlers = handlers

    async def ecn_published(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, contract_pb2.EcnPublished)
        await self.handlers.ecn_published(
            uow,
            envelope.tenant_id,
            event.ecn_id,
            event.number,
            event.title,
            [EcnOrder(o.opportunity_id, o.contract_id, o.contract_label, tuple(o.models)) for o in event.orders],
        )
