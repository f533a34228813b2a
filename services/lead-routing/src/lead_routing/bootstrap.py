"""The only place lead-routing is wired together."""

from __future__ import annotations

from datetime import timedelta

from crm.lead_routing.v1 import (
    lead_routing_pb2,
    lead_routing_pb2_grpc,
    partner_access_pb2,
    partner_access_pb2_grpc,
    partner_pb2,
    partner_pb2_grpc,
    promotion_pb2,
    promotion_pb2_grpc,
    protection_pb2,
    protection_pb2_grpc,
    registration_pb2,
    registration_pb2_grpc,
    routing_pb2,
    routing_pb2_grpc,
)
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.grpc_client import Peer
from crm_shared.runtime import Runtime

from lead_routing.adapters.approvals import Approvals
from lead_routing.adapters.customers import Customers
from lead_routing.config import SERVICE, Settings
from lead_routing.entrypoints.consumers import RoutingConsumers
from lead_routing.entrypoints.distributor_servicer import DistributorServicer
from lead_routing.entrypoints.lead_routing_servicer import LeadRoutingServicer
from lead_routing.entrypoints.promotion_consumers import PromotionConsumers
from lead_routing.entrypoints.promotion_servicer import PromotionServicer
from lead_routing.entrypoints.protection_consumers import ProtectionConsumers
from lead_routing.entrypoints.protection_servicer import ProtectionServicer
from lead_routing.entrypoints.registration_servicer import RegistrationServicer
from lead_routing.entrypoints.routing_servicer import RoutingServicer
from lead_routing.entrypoints.subject_access_servicer import PartnerSubjectAccessServicer
from lead_routing.service_layer.assignment import AssignmentHandlers
from lead_routing.service_layer.batch import BatchHandlers
from lead_routing.service_layer.distributors import DistributorHandlers
from lead_routing.service_layer.explanation import ExplanationHandlers
from lead_routing.service_layer.intake import IntakeHandlers
from lead_routing.service_layer.leads import LeadHandlers
from lead_routing.service_layer.partner_access import PartnerAccessHandlers
from lead_routing.service_layer.promotions import PromotionHandlers
from lead_routing.service_layer.protection import ProtectionHandlers
from lead_routing.service_layer.ranking import Ranking
from lead_routing.service_layer.reactions import Reactions
from lead_routing.service_layer.registrations import RegistrationHandlers
from lead_routing.service_layer.reps import RepHandlers
from lead_routing.service_layer.rule_book import RuleBook
from lead_routing.service_layer.rules import RuleHandlers
from lead_routing.service_layer.sla import SlaHandlers
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)

    def uow() -> LeadRoutingUnitOfWork:
        return LeadRoutingUnitOfWork(db)

    book = RuleBook()  # compiled rules, shared by every use case of this process
    ranking = Ranking(uow, book, push_threshold=settings.push_threshold, top_n=settings.pool_top_n)
    assigning = AssignmentHandlers(uow, ranking)
    batch = BatchHandlers(uow, assigning)
    sla = SlaHandlers(uow, assigning)
    reactions = Reactions(assigning, sla)
    # One client of approval for every partner request submitted there (registrations, extensions, promotions).
    approvals = Approvals(Peer("approval", settings.approval_addr, timeout_s=settings.approval_timeout_s))
    promotions = PromotionHandlers(uow, approvals)
    # An approved registration's lead is made through the intake path when the manufacturer has none.
    protection = ProtectionHandlers(uow, approvals, IntakeHandlers(uow))
    # The registration check asks opportunity for the manufacturer's customers.
    customers = Customers(Peer("opportunity", settings.opportunity_addr, timeout_s=settings.approval_timeout_s))
    registrations = RegistrationHandlers(
        uow, approvals, customers, check_window=timedelta(days=settings.registration_check_window_days)
    )

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc
        runtime.grpc.add(
            lead_routing_pb2_grpc.add_LeadRoutingServiceServicer_to_server,
            LeadRoutingServicer(IntakeHandlers(uow), LeadHandlers(uow), RepHandlers(uow)),
            lead_routing_pb2.DESCRIPTOR.services_by_name["LeadRoutingService"].full_name,
        )
        runtime.grpc.add(
            routing_pb2_grpc.add_RoutingServiceServicer_to_server,
            RoutingServicer(RuleHandlers(uow, book), ranking, assigning, batch, sla, ExplanationHandlers(uow, ranking)),
            routing_pb2.DESCRIPTOR.services_by_name["RoutingService"].full_name,
        )
        runtime.grpc.add(
            promotion_pb2_grpc.add_PromotionServiceServicer_to_server,
            PromotionServicer(promotions),
            promotion_pb2.DESCRIPTOR.services_by_name["PromotionService"].full_name,
        )
        runtime.grpc.add(
            partner_pb2_grpc.add_DistributorServiceServicer_to_server,
            DistributorServicer(DistributorHandlers(uow)),
            partner_pb2.DESCRIPTOR.services_by_name["DistributorService"].full_name,
        )
        runtime.grpc.add(
            registration_pb2_grpc.add_RegistrationServiceServicer_to_server,
            RegistrationServicer(registrations),
            registration_pb2.DESCRIPTOR.services_by_name["RegistrationService"].full_name,
        )
        runtime.grpc.add(
            protection_pb2_grpc.add_ProtectionServiceServicer_to_server,
            ProtectionServicer(protection),
            protection_pb2.DESCRIPTOR.services_by_name["ProtectionService"].full_name,
        )
        # Approval and document-versioning ask who may see a registration or a promotion application.
        runtime.grpc.add(
            partner_access_pb2_grpc.add_PartnerSubjectAccessServiceServicer_to_server,
            PartnerSubjectAccessServicer(PartnerAccessHandlers(uow)),
            partner_access_pb2.DESCRIPTOR.services_by_name["PartnerSubjectAccessService"].full_name,
        )

    runtime = Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
    consumers = RoutingConsumers(reactions)
    for durable, event_types, handler in consumers.subscriptions():
        runtime.consume(durable, event_types, handler, uow=uow)
    for durable, event_types, handler in consumers.batch_subscriptions():
        runtime.consume_batch(durable, event_types, handler, uow=uow, batch_size=settings.rerank_batch_size)
    for durable, event_types, handler in PromotionConsumers(promotions).subscriptions():
        runtime.consume(durable, event_types, handler, uow=uow)
    # Promotion applications whose approval a stop lost, on the registrations' retry interval.
    runtime.every("promotion-submissions", settings.registration_submit_interval_s, promotions.submit_lost)
    # Registrations whose approval was not submitted (approval away, or a stop lost it).
    runtime.every(
        "registration-submissions", settings.registration_submit_interval_s, registrations.submit_owed_approvals
    )
    for durable, event_types, handler in ProtectionConsumers(protection).subscriptions():
        runtime.consume(durable, event_types, handler, uow=uow)
    # Reminders 7 and 1 days before a protection ends, lapses at its end, extensions a stop left unsubmitted.
    runtime.every("registration-protection", settings.protection_check_interval_s, protection.sweep)
    runtime.on_close.append(approvals.close)
    runtime.on_close.append(customers.close)
    runtime.every("pool-rerank", settings.rerank_interval_s, ranking.rerank_all)
    runtime.every("pool-rerank-requested", settings.rerank_request_interval_s, ranking.rerank_requested)
    runtime.every("first-touch-sla", settings.sla_check_interval_s, sla.sweep_sla)
    runtime.every("auto-assign", settings.auto_assign_interval_s, batch.auto_assign_all)  # 0: off
    return runtime
