"""Event consumers of approval: translate envelopes to handler calls. The
inbox record and the commit are done by crm_shared.messaging.EventConsumer;
bootstrap.py registers each with Runtime.consume. Others (A2's averages and
profiles) add their handlers here or in their own service_layer file."""

from __future__ import annotations

from crm.events.v1 import document_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import unpack

from approval.service_layer import bindings
from approval.service_layer.running import Engine
from approval.service_layer.uow import ApprovalUnitOfWork


class EngineConsumers:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def document_version_created(self, envelope: Envelope, uow: ApprovalUnitOfWork) -> None:
        event = unpack(envelope, document_pb2.DocumentVersionCreated)
        await bindings.document_changed(
            self.engine, uow, envelope.tenant_id, event.document_id, event.version_id, event.sha256
        )
