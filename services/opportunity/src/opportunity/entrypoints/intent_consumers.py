"""activity.tagged → the activity's intent signals (and high intent);
document.version_created → a proposal meeting its countdown. Translation only:
the inbox record and the commit are crm_shared.messaging.EventConsumer's."""

from __future__ import annotations

from crm.events.v1 import document_pb2, signal_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.clock import as_utc
from crm_shared.events import unpack

from opportunity.domain.intent import TaggedActivity
from opportunity.service_layer.intent import IntentHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork


class IntentConsumers:
    def __init__(self, handlers: IntentHandlers) -> None:
        self.handlers = handlers

    async def activity_tagged(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, signal_pb2.ActivityTagged)
        tags: dict[str, list[str]] = {}
        for hit in event.tags:
            tags.setdefault(hit.tag, []).extend(hit.words)
        activity = TaggedActivity(
            activity_id=event.activity_id,
            customer_id=event.customer_id,
            opportunity_id=event.opportunity_id,
            kind=event.kind,
            occurred_at=as_utc(event.occurred_at.ToDatetime()),
            tags=tags,
            source=event.source,
            action=event.action,
        )
        await self.handlers.activity_tagged(uow, envelope.tenant_id, activity)

    async def document_version_created(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, document_pb2.DocumentVersionCreated)
        await self.handlers.document_version_created(uow, envelope.tenant_id, event.opportunity_id, event.doc_type)
