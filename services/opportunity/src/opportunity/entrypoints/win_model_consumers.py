"""opportunity.stage_changed and activity.logged → the opportunity scored again by the tenant's
latest win model (translation only; the inbox record and the commit are EventConsumer's)."""

from __future__ import annotations

from crm.events.v1 import opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import unpack

from opportunity.service_layer.uow import OpportunityUnitOfWork
from opportunity.service_layer.win_model import WinModelHandlers


class WinModelConsumers:
    def __init__(self, handlers: WinModelHandlers) -> None:
        self.handlers = handlers

    async def stage_changed(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, opportunity_pb2.OpportunityStageChanged)
        await self.handlers.opportunity_changed(uow, envelope.tenant_id, event.opportunity_id)

    async def activity_logged(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, opportunity_pb2.ActivityLogged)
        await self.handlers.opportunity_changed(uow, envelope.tenant_id, event.opportunity_id)
