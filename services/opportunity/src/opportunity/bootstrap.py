"""The only place opportunity is wired together."""

from __future__ import annotations

from crm.opportunity.v1 import opportunity_pb2, opportunity_pb2_grpc
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.messaging import EventConsumer
from crm_shared.runtime import Runtime
from opportunity.config import SERVICE, Settings
from opportunity.entrypoints.consumers import OpportunityConsumers
from opportunity.entrypoints.grpc_servicer import OpportunityServicer
from opportunity.service_layer.handlers import OpportunityHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)

    def uow() -> OpportunityUnitOfWork:
        return OpportunityUnitOfWork(db)

    handlers = OpportunityHandlers(uow)
    consumers = OpportunityConsumers(handlers)

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc and runtime.js
        runtime.grpc.add(
            opportunity_pb2_grpc.add_OpportunityServiceServicer_to_server,
            OpportunityServicer(handlers),
            opportunity_pb2.DESCRIPTOR.services_by_name["OpportunityService"].full_name,
        )
        runtime.consumers += [
            EventConsumer(
                db=db,
                js=runtime.js,
                uow_factory=uow,
                durable=durable,
                subjects=[subject],
                handler=handler,
                max_deliver=settings.max_deliver,
            )
            for durable, subject, handler in (
                ("opportunity-lead-converted", "crm.lead.converted", consumers.lead_converted),
                ("opportunity-approval-decided", "crm.approval.decided", consumers.approval_decided),
            )
        ]

    return Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
