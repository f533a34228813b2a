"""opportunity.delivery_recorded → the contract's delivery record
(translation only). The time the opportunity recorded it is the event's
(the record and its event commit together there), so a late older record
is known as older."""

from __future__ import annotations

from datetime import UTC

from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.opportunity_pb2 import OpportunityDeliveryRecorded
from crm_shared.events import unpack

from document_versioning.domain.delivery import record_from
from document_versioning.service_layer.deliveries import delivery_recorded
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

DURABLE = "document-versioning-deliveries"
EVENT_TYPES = ("opportunity.delivery_recorded",)


async def on_delivery_recorded(envelope: Envelope, uow: DocumentVersioningUnitOfWork) -> None:
    # A malformed event raises (InvalidArgument naming its fields): retried, then parked, never dropped.
    event = unpack(envelope, OpportunityDeliveryRecorded)
    record = record_from(
        tenant_id=envelope.tenant_id,
        contract_id=event.contract_id,
        kind=event.kind,
        opportunity_id=event.opportunity_id,
        on=event.on,
        delivery_id=event.delivery_id,
        recorded_by=event.recorded_by,
        recorded_at=envelope.occurred_at.ToDatetime(tzinfo=UTC),
    )
    await delivery_recorded(uow, record)
