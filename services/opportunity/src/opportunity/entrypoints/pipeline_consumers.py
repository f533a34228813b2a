"""activity.logged -> the first touch clears the 24 h timer and red flags."""

from __future__ import annotations

from crm.events.v1 import opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import unpack
from opportunity.service_layer.pipeline_handlers import PipelineHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork


class PipelineConsumers:
    def __init__(self, handlers: PipelineHandlers) -> None:
        self.handlers = handlers

    async def activity_logged(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, opportunity_pb2.ActivityLogged)
        await self.handlers.activity_logged(uow, envelope.tenant_id, event.customer_id, event.opportunity_id)
