"""The only place lead-routing is wired together."""

from __future__ import annotations

from crm.lead_routing.v1 import lead_routing_pb2, lead_routing_pb2_grpc, routing_pb2, routing_pb2_grpc
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.lease import PeriodicJob
from crm_shared.messaging import EventConsumer
from crm_shared.runtime import Runtime
from lead_routing.config import SERVICE, Settings
from lead_routing.entrypoints.consumers import RoutingConsumers
from lead_routing.entrypoints.routing_servicer import RoutingServicer
from lead_routing.service_layer.routing_handlers import RoutingHandlers
from lead_routing.service_layer.routing_uow import RoutingUnitOfWork
from lead_routing.entrypoints.grpc_servicer import LeadRoutingServicer
from lead_routing.service_layer.handlers import LeadHandlers
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)
    handlers = LeadHandlers(lambda: LeadRoutingUnitOfWork(db))

    def routing_uow() -> RoutingUnitOfWork:
        return RoutingUnitOfWork(db)

    routing = RoutingHandlers(routing_uow, push_threshold=settings.push_threshold, top_n=settings.pool_top_n)

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc
        runtime.grpc.add(
            lead_routing_pb2_grpc.add_LeadRoutingServiceServicer_to_server,
            LeadRoutingServicer(handlers),
            lead_routing_pb2.DESCRIPTOR.services_by_name["LeadRoutingService"].full_name,
        )
        runtime.grpc.add(
            routing_pb2_grpc.add_RoutingServiceServicer_to_server,
            RoutingServicer(routing),
            routing_pb2.DESCRIPTOR.services_by_name["RoutingService"].full_name,
        )
        assert runtime.js
        runtime.consumers += [
            EventConsumer(
                db=db, js=runtime.js, uow_factory=routing_uow, durable=durable, subjects=subjects,
                handler=handler, max_deliver=settings.max_deliver,
            )
            for durable, subjects, handler in RoutingConsumers(routing).subscriptions()
        ]
        runtime.jobs += [
            PeriodicJob(db, "pool-rerank", routing.rerank_all, settings.rerank_interval_s),
            PeriodicJob(db, "pool-rerank-requested", routing.rerank_requested, settings.rerank_request_interval_s),
            PeriodicJob(db, "first-touch-sla", routing.sweep_sla, settings.sla_check_interval_s),
        ]
        if settings.auto_assign_interval_s > 0:
            runtime.jobs.append(PeriodicJob(db, "auto-assign", routing.auto_assign_all, settings.auto_assign_interval_s))

    return Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
