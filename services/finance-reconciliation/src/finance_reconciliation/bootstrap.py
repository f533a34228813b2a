"""The only place finance-reconciliation is wired together."""

from __future__ import annotations

from crm.finance_reconciliation.v1 import (
    aging_pb2,
    aging_pb2_grpc,
    finance_reconciliation_pb2,
    finance_reconciliation_pb2_grpc,
    matching_pb2,
    matching_pb2_grpc,
    plan_template_pb2,
    plan_template_pb2_grpc,
    rebate_pb2,
    rebate_pb2_grpc,
    statement_pb2,
    statement_pb2_grpc,
)
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.partner_check import PartnerCheck
from crm_shared.runtime import Runtime
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.config import SERVICE, Settings
from finance_reconciliation.domain.receipt import Tolerance
from finance_reconciliation.entrypoints.aging_servicer import AgingServicer
from finance_reconciliation.entrypoints.consumers import (
    CONTRACT_SIGNED_DURABLE,
    CONTRACT_SUPERSEDED_DURABLE,
    DELIVERY_RECORDED_DURABLE,
    LEAD_CONVERTED_DURABLE,
    OPPORTUNITY_CLOSED_DURABLE,
    OPPORTUNITY_CREATED_DURABLE,
    REP_PROFILE_CHANGED_DURABLE,
    on_contract_signed,
    on_contract_superseded,
    on_delivery_recorded,
    on_lead_converted,
    on_opportunity_closed,
    on_opportunity_created,
    on_rep_profile_changed,
)
from finance_reconciliation.entrypoints.finance_reconciliation_servicer import FinanceReconciliationServicer
from finance_reconciliation.entrypoints.matching_servicer import MatchingServicer
from finance_reconciliation.entrypoints.plan_template_servicer import PlanTemplateServicer
from finance_reconciliation.entrypoints.rebate_servicer import RebateServicer
from finance_reconciliation.entrypoints.statement_servicer import StatementServicer
from finance_reconciliation.service_layer.aging import AgingHandlers
from finance_reconciliation.service_layer.follow_up import FollowUpHandlers, FollowUpJob
from finance_reconciliation.service_layer.held_receipts import HeldReceiptHandlers
from finance_reconciliation.service_layer.ledger_check import LedgerCheckHandlers
from finance_reconciliation.service_layer.matching import MatchingHandlers
from finance_reconciliation.service_layer.matching_job import MatchingJob
from finance_reconciliation.service_layer.plan_templates import PlanTemplateHandlers
from finance_reconciliation.service_layer.plans import PlanHandlers
from finance_reconciliation.service_layer.rebates import RebateHandlers
from finance_reconciliation.service_layer.receipts import ReceiptHandlers
from finance_reconciliation.service_layer.statements import StatementHandlers
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork
from finance_reconciliation.service_layer.waivers import WaiverHandlers
from finance_reconciliation.service_layer.write_offs import WriteOffHandlers


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)
    access = SubjectAccess(settings.opportunity_addr, SERVICE, settings.access_timeout_s)
    partners = PartnerCheck(settings.lead_routing_addr, SERVICE, settings.access_timeout_s)

    def uow() -> FinanceUnitOfWork:
        return FinanceUnitOfWork(db)

    tolerance = Tolerance(
        settings.overpayment_tolerance_minor, settings.overpayment_tolerance_bp, settings.overpayment_hold
    )
    write_offs = WriteOffHandlers(uow, access)
    receipts = ReceiptHandlers(uow, access, tolerance, write_offs)
    plans = PlanHandlers(uow, access)
    matching = MatchingHandlers(uow, receipts, settings.matching_max_lines, settings.matching_confirm_batch)

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc
        runtime.grpc.add(
            finance_reconciliation_pb2_grpc.add_FinanceReconciliationServiceServicer_to_server,
            FinanceReconciliationServicer(
                plans,
                receipts,
                HeldReceiptHandlers(uow, access),
                write_offs,
                WaiverHandlers(uow, access),
                LedgerCheckHandlers(uow),
            ),
            finance_reconciliation_pb2.DESCRIPTOR.services_by_name["FinanceReconciliationService"].full_name,
        )
        runtime.grpc.add(
            statement_pb2_grpc.add_BankStatementServiceServicer_to_server,
            StatementServicer(StatementHandlers(uow)),
            statement_pb2.DESCRIPTOR.services_by_name["BankStatementService"].full_name,
        )
        runtime.grpc.add(
            matching_pb2_grpc.add_MatchingServiceServicer_to_server,
            MatchingServicer(matching),
            matching_pb2.DESCRIPTOR.services_by_name["MatchingService"].full_name,
        )
        runtime.grpc.add(
            plan_template_pb2_grpc.add_PlanTemplateServiceServicer_to_server,
            PlanTemplateServicer(PlanTemplateHandlers(uow)),
            plan_template_pb2.DESCRIPTOR.services_by_name["PlanTemplateService"].full_name,
        )
        runtime.grpc.add(
            rebate_pb2_grpc.add_RebateServiceServicer_to_server,
            RebateServicer(RebateHandlers(uow, partners)),
            rebate_pb2.DESCRIPTOR.services_by_name["RebateService"].full_name,
        )
        runtime.grpc.add(
            aging_pb2_grpc.add_AgingServiceServicer_to_server,
            AgingServicer(AgingHandlers(uow, access), FollowUpHandlers(uow)),
            aging_pb2.DESCRIPTOR.services_by_name["AgingService"].full_name,
        )
        runtime.on_close.append(access.close)
        runtime.on_close.append(partners.close)

    runtime = Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
    runtime.consume(OPPORTUNITY_CREATED_DURABLE, ["opportunity.created"], on_opportunity_created, uow=uow)
    runtime.consume(CONTRACT_SIGNED_DURABLE, ["contract.signed"], on_contract_signed, uow=uow)
    runtime.consume(CONTRACT_SUPERSEDED_DURABLE, ["contract.superseded"], on_contract_superseded, uow=uow)
    runtime.consume(LEAD_CONVERTED_DURABLE, ["lead.converted"], on_lead_converted, uow=uow)
    runtime.consume(OPPORTUNITY_CLOSED_DURABLE, ["opportunity.closed"], on_opportunity_closed, uow=uow)
    runtime.consume(REP_PROFILE_CHANGED_DURABLE, ["rep.profile_changed"], on_rep_profile_changed, uow=uow)
    # Delivery and acceptance as sales record them on the opportunity: the same path as RecordTrigger.
    runtime.consume(DELIVERY_RECORDED_DURABLE, ["opportunity.delivery_recorded"], on_delivery_recorded, uow=uow)
    runtime.every("finance-matching", settings.matching_interval_s, MatchingJob(uow, matching).run)
    runtime.every("finance-follow-up", settings.follow_up_interval_s, FollowUpJob(uow, settings.reminder_days).run)
    return runtime
