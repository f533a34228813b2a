"""The only place opportunity is wired together."""

from __future__ import annotations

from datetime import timedelta

from crm.opportunity.v1 import access_pb2, access_pb2_grpc
from crm.opportunity.v1 import customer_pb2, customer_pb2_grpc, opportunity_pb2, opportunity_pb2_grpc
from crm.opportunity.v1 import pipeline_pb2, pipeline_pb2_grpc
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.lease import PeriodicJob
from crm_shared.messaging import EventConsumer
from crm_shared.runtime import Runtime
from opportunity.config import SERVICE, Settings
from opportunity.entrypoints.access_servicer import SubjectAccessServicer
from opportunity.entrypoints.consumers import OpportunityConsumers
from opportunity.entrypoints.customer_servicer import CustomerServicer
from opportunity.adapters.gates import GrpcGateFacts
from opportunity.entrypoints.grpc_servicer import OpportunityServicer
from opportunity.entrypoints.pipeline_consumers import PipelineConsumers
from opportunity.entrypoints.pipeline_servicer import PipelineServicer
from opportunity.service_layer.access_handlers import SubjectAccessHandlers
from opportunity.service_layer.customer_handlers import CustomerHandlers
from opportunity.service_layer.handlers import OpportunityHandlers
from opportunity.service_layer.pipeline_handlers import PipelineHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)

    def uow() -> OpportunityUnitOfWork:
        return OpportunityUnitOfWork(db)

    handlers = OpportunityHandlers(uow)
    customer_handlers = CustomerHandlers(uow, timedelta(minutes=settings.visit_photo_window_minutes))
    consumers = OpportunityConsumers(handlers, customer_handlers)
    gates = GrpcGateFacts(settings.document_versioning_addr, settings.approval_addr, settings.gate_timeout_s)
    pipelines = PipelineHandlers(uow, gates)
    pipeline_consumers = PipelineConsumers(pipelines)

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc and runtime.js
        runtime.grpc.add(
            opportunity_pb2_grpc.add_OpportunityServiceServicer_to_server,
            OpportunityServicer(handlers, pipelines),
            opportunity_pb2.DESCRIPTOR.services_by_name["OpportunityService"].full_name,
        )
        runtime.grpc.add(
            pipeline_pb2_grpc.add_PipelineServiceServicer_to_server,
            PipelineServicer(pipelines),
            pipeline_pb2.DESCRIPTOR.services_by_name["PipelineService"].full_name,
        )
        runtime.grpc.add(
            access_pb2_grpc.add_SubjectAccessServiceServicer_to_server,
            SubjectAccessServicer(SubjectAccessHandlers(uow)),
            access_pb2.DESCRIPTOR.services_by_name["SubjectAccessService"].full_name,
        )
        runtime.jobs.append(PeriodicJob(db, "opportunity-timers", pipelines.run_timers, settings.timer_interval_s))
        runtime.on_close.append(gates.close)
        runtime.grpc.add(
            customer_pb2_grpc.add_CustomerServiceServicer_to_server,
            CustomerServicer(customer_handlers),
            customer_pb2.DESCRIPTOR.services_by_name["CustomerService"].full_name,
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
                ("opportunity-activity-timers", "crm.activity.logged", pipeline_consumers.activity_logged),
                ("opportunity-rep-profile-changed", "crm.rep.profile_changed", consumers.rep_profile_changed),
                ("opportunity-payment-recorded", "crm.payment.recorded", consumers.payment_recorded),
                ("opportunity-service-requested", "crm.customer.service_requested", consumers.service_requested),
            )
        ]

    return Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
