"""The only place opportunity is wired together."""

from __future__ import annotations

from datetime import timedelta

from crm.opportunity.v1 import (
    access_pb2,
    access_pb2_grpc,
    anomaly_pb2,
    anomaly_pb2_grpc,
    confirmation_pb2,
    confirmation_pb2_grpc,
    contact_depth_pb2,
    contact_depth_pb2_grpc,
    conversation_pb2,
    conversation_pb2_grpc,
    customer_pb2,
    customer_pb2_grpc,
    customer_value_pb2,
    customer_value_pb2_grpc,
    forecast_pb2,
    forecast_pb2_grpc,
    intent_pb2,
    intent_pb2_grpc,
    opportunity_pb2,
    opportunity_pb2_grpc,
    pipeline_pb2,
    pipeline_pb2_grpc,
    process_health_pb2,
    process_health_pb2_grpc,
    stage_hint_pb2,
    stage_hint_pb2_grpc,
)
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.grpc_client import Peer
from crm_shared.partner_check import PartnerCheck
from crm_shared.runtime import Runtime

from opportunity.adapters.approval_client import ApprovalClient
from opportunity.adapters.approval_locks import GrpcSubjectLocks
from opportunity.adapters.contracts import GrpcContracts
from opportunity.adapters.gates import GrpcGateFacts
from opportunity.adapters.knowledge import GrpcKnowledge
from opportunity.adapters.peers import SystemPeer
from opportunity.config import SERVICE, Settings
from opportunity.entrypoints.anomaly_servicer import AnomalyServicer
from opportunity.entrypoints.confirmation_servicer import ConfirmationTaskServicer
from opportunity.entrypoints.consumers import OpportunityConsumers
from opportunity.entrypoints.contact_depth_consumers import ContactDepthConsumers
from opportunity.entrypoints.contact_depth_servicer import ContactDepthServicer
from opportunity.entrypoints.conversation_servicer import ConversationServicer
from opportunity.entrypoints.customer_servicer import CustomerServicer
from opportunity.entrypoints.customer_value_consumers import CustomerHealthConsumers
from opportunity.entrypoints.customer_value_servicer import CustomerValueServicer
from opportunity.entrypoints.ecn_consumers import EcnConsumers
from opportunity.entrypoints.forecast_servicer import ForecastServicer
from opportunity.entrypoints.intent_consumers import IntentConsumers
from opportunity.entrypoints.intent_servicer import IntentServicer
from opportunity.entrypoints.opportunity_servicer import OpportunityServicer
from opportunity.entrypoints.pipeline_servicer import PipelineServicer
from opportunity.entrypoints.process_health_consumers import APPROVAL_EVENTS, MOVING_EVENTS, ProcessHealthConsumers
from opportunity.entrypoints.process_health_servicer import KpiServicer, ProcessHealthServicer
from opportunity.entrypoints.stage_hint_consumers import StageHintConsumers
from opportunity.entrypoints.stage_hint_servicer import StageHintServicer
from opportunity.entrypoints.subject_access_servicer import SubjectAccessServicer
from opportunity.entrypoints.win_model_consumers import WinModelConsumers
from opportunity.service_layer.activities import ActivityHandlers
from opportunity.service_layer.anomalies import AnomalyHandlers
from opportunity.service_layer.contact_depth import ContactDepthHandlers
from opportunity.service_layer.contacts import ContactHandlers
from opportunity.service_layer.conversations import ConversationHandlers
from opportunity.service_layer.customer_value import CustomerValueHandlers
from opportunity.service_layer.customers import CustomerHandlers
from opportunity.service_layer.deliveries import DeliveryHandlers
from opportunity.service_layer.forecast import ForecastHandlers
from opportunity.service_layer.health import HealthHandlers
from opportunity.service_layer.intent import IntentHandlers
from opportunity.service_layer.kpi import KpiHandlers
from opportunity.service_layer.notes import NoteHandlers
from opportunity.service_layer.opportunities import OpportunityHandlers
from opportunity.service_layer.pipelines import PipelineHandlers
from opportunity.service_layer.process_health import ProcessHealthHandlers
from opportunity.service_layer.stage_hints import StageHintHandlers
from opportunity.service_layer.stage_moves import StageMoveHandlers
from opportunity.service_layer.subject_access import SubjectAccessHandlers
from opportunity.service_layer.tagging import TaggingHandlers
from opportunity.service_layer.tasks import EcnTaskHandlers, TaskHandlers
from opportunity.service_layer.timers import TimerHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork
from opportunity.service_layer.wecom_import import WecomImportHandlers
from opportunity.service_layer.win_model import WinModelHandlers


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)

    def uow() -> OpportunityUnitOfWork:
        return OpportunityUnitOfWork(db)

    # One client of approval: the gates' latest requests and the subject lock's fields (which
    # fields its pending requests hold) over one channel.
    approval = ApprovalClient(SystemPeer(Peer("approval", settings.approval_addr, timeout_s=settings.gate_timeout_s)))
    documents = SystemPeer(
        Peer("document-versioning", settings.document_versioning_addr, timeout_s=settings.gate_timeout_s)
    )
    gates = GrpcGateFacts(documents, approval)
    locks = GrpcSubjectLocks(approval)
    partners = PartnerCheck(settings.lead_routing_addr, SERVICE, settings.gate_timeout_s)
    opportunities = OpportunityHandlers(uow, gates, locks, partners)
    # A delivery names a contract: document-versioning says whose it is.
    contracts = GrpcContracts(documents)
    deliveries = DeliveryHandlers(uow, contracts)
    timers = TimerHandlers(uow)
    consumers = OpportunityConsumers(opportunities, timers)
    ecn_tasks = EcnTaskHandlers(uow)
    anomalies = AnomalyHandlers(uow)
    customer_servicer = CustomerServicer(
        CustomerHandlers(uow, partners),
        ContactHandlers(uow),
        NoteHandlers(uow),
        ActivityHandlers(uow, timedelta(minutes=settings.visit_photo_window_minutes)),
    )
    stage_moves = StageMoveHandlers(uow, gates)
    pipeline_servicer = PipelineServicer(PipelineHandlers(uow), stage_moves, TaskHandlers(uow, partners))
    # Stage hints move only through the stage-move handler (its gates), as the system with auto_move.
    stage_hints = StageHintHandlers(uow, stage_moves)
    # High intent's tool pack: the knowledge base's recommendations (document-versioning).
    intents = IntentHandlers(uow, GrpcKnowledge(documents))
    contact_depth = ContactDepthHandlers(uow)
    # Value tiers (seed 002) and customer health (seed 001); the alert's material from the knowledge base.
    value_tiers = CustomerValueHandlers(uow)
    health = HealthHandlers(uow, GrpcKnowledge(documents))
    win_models = WinModelHandlers(uow)
    process_health = ProcessHealthHandlers(uow)
    kpis = KpiHandlers(uow)

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc
        for add, servicer, descriptor, name in (
            (
                opportunity_pb2_grpc.add_OpportunityServiceServicer_to_server,
                OpportunityServicer(opportunities, deliveries),
                opportunity_pb2,
                "OpportunityService",
            ),
            (
                pipeline_pb2_grpc.add_PipelineServiceServicer_to_server,
                pipeline_servicer,
                pipeline_pb2,
                "PipelineService",
            ),
            (
                customer_pb2_grpc.add_CustomerServiceServicer_to_server,
                customer_servicer,
                customer_pb2,
                "CustomerService",
            ),
            (
                confirmation_pb2_grpc.add_ConfirmationTaskServiceServicer_to_server,
                ConfirmationTaskServicer(ecn_tasks),
                confirmation_pb2,
                "ConfirmationTaskService",
            ),
            (
                access_pb2_grpc.add_SubjectAccessServiceServicer_to_server,
                SubjectAccessServicer(SubjectAccessHandlers(uow)),
                access_pb2,
                "SubjectAccessService",
            ),
            (
                stage_hint_pb2_grpc.add_StageHintServiceServicer_to_server,
                StageHintServicer(stage_hints),
                stage_hint_pb2,
                "StageHintService",
            ),
            (
                conversation_pb2_grpc.add_ConversationServiceServicer_to_server,
                ConversationServicer(ConversationHandlers(uow), WecomImportHandlers(uow), TaggingHandlers(uow)),
                conversation_pb2,
                "ConversationService",
            ),
            (
                anomaly_pb2_grpc.add_AnomalyServiceServicer_to_server,
                AnomalyServicer(anomalies),
                anomaly_pb2,
                "AnomalyService",
            ),
            (
                intent_pb2_grpc.add_IntentServiceServicer_to_server,
                IntentServicer(intents),
                intent_pb2,
                "IntentService",
            ),
            (
                contact_depth_pb2_grpc.add_ContactDepthServiceServicer_to_server,
                ContactDepthServicer(contact_depth),
                contact_depth_pb2,
                "ContactDepthService",
            ),
            (
                customer_value_pb2_grpc.add_CustomerValueServiceServicer_to_server,
                CustomerValueServicer(value_tiers, health),
                customer_value_pb2,
                "CustomerValueService",
            ),
            (
                forecast_pb2_grpc.add_ForecastServiceServicer_to_server,
                ForecastServicer(win_models, ForecastHandlers(uow)),
                forecast_pb2,
                "ForecastService",
            ),
            (
                process_health_pb2_grpc.add_ProcessHealthServiceServicer_to_server,
                ProcessHealthServicer(process_health),
                process_health_pb2,
                "ProcessHealthService",
            ),
            (
                process_health_pb2_grpc.add_KpiServiceServicer_to_server,
                KpiServicer(kpis),
                process_health_pb2,
                "KpiService",
            ),
        ):
            runtime.grpc.add(add, servicer, descriptor.DESCRIPTOR.services_by_name[name].full_name)

    runtime = Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
    runtime.on_close.append(documents.close)
    runtime.on_close.append(approval.close)
    runtime.on_close.append(partners.close)
    runtime.every("opportunity-timers", settings.timer_interval_s, timers.run)
    # An ECN's confirmation task overdue: the owner's manager is told (seed 002).
    runtime.every("opportunity-ecn-escalations", settings.timer_interval_s, ecn_tasks.escalate_overdue)
    # Anomaly flags (stuck, month-end bulk entry, backdating, follow-ups moved, evidence failures).
    runtime.every("opportunity-anomaly-scan", settings.anomaly_scan_interval_s, anomalies.run)
    # A stage hint under auto_move: the system's gated move, outside the event's transaction.
    runtime.every("opportunity-stage-hint-moves", settings.stage_hint_interval_s, stage_hints.auto_move_pending)
    runtime.consume(
        "opportunity-stage-hints", ["activity.tagged"], StageHintConsumers(stage_hints).activity_tagged, uow=uow
    )
    # Intent signals → high intent; a proposal version meets the countdown; overdue ones swept.
    intent_consumers = IntentConsumers(intents)
    runtime.consume("opportunity-intent-signals", ["activity.tagged"], intent_consumers.activity_tagged, uow=uow)
    runtime.consume(
        "opportunity-intent-proposals", ["document.version_created"], intent_consumers.document_version_created, uow=uow
    )
    runtime.every("opportunity-intent-countdown", settings.timer_interval_s, intents.sweep)
    # A new episode's tool pack: the knowledge base asked after the episode's commit, outside the event's.
    runtime.every("opportunity-intent-tool-packs", settings.tool_pack_interval_s, intents.send_tool_packs)
    # CDI: a customer's log changed → its index recomputed (a batch at a time); time alone → the sweep.
    runtime.consume_batch(
        "opportunity-contact-depth",
        ["activity.logged", "activity.tagged"],
        ContactDepthConsumers(contact_depth).activities_changed,
        uow=uow,
        batch_size=200,
    )
    runtime.every("opportunity-contact-depth-sweep", settings.contact_depth_interval_s, contact_depth.sweep)
    # Win model: retrained once per Shanghai night; an opportunity moved or worked on is scored again.
    runtime.every("opportunity-win-model-nightly", settings.win_model_interval_s, win_models.nightly)
    win_consumers = WinModelConsumers(win_models)
    runtime.consume("opportunity-win-scores-stage", ["opportunity.stage_changed"], win_consumers.stage_changed, uow=uow)
    runtime.consume("opportunity-win-scores-activity", ["activity.logged"], win_consumers.activity_logged, uow=uow)
    # PHI: what moves a rep's current month recomputes their row; time alone → the sweep; the month
    # just ended's rep profiles once, at the start of the next.
    ph_consumers = ProcessHealthConsumers(process_health)
    runtime.consume("opportunity-process-health", MOVING_EVENTS, ph_consumers.moved, uow=uow)
    runtime.consume("opportunity-process-health-approvals", APPROVAL_EVENTS, ph_consumers.approval, uow=uow)
    runtime.every("opportunity-process-health-sweep", settings.process_health_interval_s, process_health.sweep)
    runtime.every("opportunity-rep-profiles", settings.process_health_interval_s, kpis.monthly)
    # Value tiers: receipts recompute with the receipts consumer; the month's run and the tier gauge here.
    runtime.every("opportunity-value-tiers-monthly", settings.value_tier_interval_s, value_tiers.monthly)
    health_consumers = CustomerHealthConsumers()
    runtime.consume(
        "opportunity-health-payment-stats", ["payment.customer_stats"], health_consumers.payment_stats, uow=uow
    )
    runtime.consume(
        "opportunity-health-consultations",
        ["customer.service_requested"],
        health_consumers.service_requested,
        uow=uow,
    )
    # A new health alert: the rep told with the 账期延长 material, asked after the alert's commit.
    runtime.every("opportunity-health-alerts", settings.health_alert_interval_s, health.send_alerts)
    runtime.consume("opportunity-ecn-published", ["ecn.published"], EcnConsumers(ecn_tasks).ecn_published, uow=uow)
    for durable, event_type, handler in (
        ("opportunity-lead-converted", "lead.converted", consumers.lead_converted),
        ("opportunity-approval-decided", "approval.decided", consumers.approval_decided),
        ("opportunity-activity-timers", "activity.logged", consumers.activity_logged),
        ("opportunity-rep-profile-changed", "rep.profile_changed", consumers.rep_profile_changed),
        ("opportunity-service-requested", "customer.service_requested", consumers.service_requested),
    ):
        runtime.consume(durable, [event_type], handler, uow=uow)
    runtime.consume(
        "opportunity-receipts",
        ["payment.receipt_recorded", "payment.receipt_reversed"],
        consumers.receipt_changed,
        uow=uow,
    )
    return runtime
