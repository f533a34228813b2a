"""The only place lead-routing is wired together."""

from __future__ import annotations

from crm.lead_routing.v1 import lead_routing_pb2, lead_routing_pb2_grpc
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.runtime import Runtime
from lead_routing.config import SERVICE, Settings
from lead_routing.entrypoints.grpc_servicer import LeadRoutingServicer
from lead_routing.service_layer.handlers import LeadHandlers
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)
    handlers = LeadHandlers(lambda: LeadRoutingUnitOfWork(db))

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc
        runtime.grpc.add(
            lead_routing_pb2_grpc.add_LeadRoutingServiceServicer_to_server,
            LeadRoutingServicer(handlers),
            lead_routing_pb2.DESCRIPTOR.services_by_name["LeadRoutingService"].full_name,
        )

    return Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
