"""activity.tagged → the stage hints its tags suggest (translation only; the
inbox record and the commit are crm_shared.messaging.EventConsumer's)."""

from __future__ import annotations

from crm.events.v1 import signal_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.clock import as_utc
from crm_shared.events import unpack

from opportunity.service_layer.stage_hints import StageHintHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork


class StageHintConsumers:
    def __init__(self, handlers: StageHintHandlers) -> None:
        self.handlers = handlers

    async def activity_tagged(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, signal_pb2.ActivityTagged)
        tags: dict[str, list[str]] = {}
        for hit in event.tags:
            tags.setdefault(hit.tag, []).extend(hit.words)
        await self.handlers.activity_tagged(
            uow,
            envelope.tenant_id,
            event.activity_id,
            event.opportunity_id,
            tags,
            occurred_at=as_utc(event.occurred_at.ToDatetime()),
        )
