"""The only place approval is wired together."""

from __future__ import annotations

from datetime import timedelta

from crm.approval.v1 import lock_pb2, lock_pb2_grpc
from crm.approval.v1 import approval_pb2, approval_pb2_grpc, inbox_pb2, inbox_pb2_grpc, organisation_pb2, organisation_pb2_grpc, policy_pb2, policy_pb2_grpc
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.runtime import Runtime
from crm_shared.subject_access import SubjectAccess

from approval.adapters.documents import DocumentVersions
from approval.adapters.opportunities import Opportunities
from approval.config import SERVICE, Settings
from approval.entrypoints.approval_servicer import ApprovalServicer
from approval.entrypoints.inbox_servicer import InboxServicer
from approval.entrypoints.lock_servicer import LockServicer
from approval.entrypoints.organisation_servicer import OrganisationServicer
from approval.entrypoints.policy_servicer import PolicyServicer
from approval.service_layer.facts import Facts, on_opportunity_closed
from approval.entrypoints.consumers import EngineConsumers
from approval.service_layer.actions import ActionHandlers
from approval.service_layer.inbox import InboxHandlers
from approval.service_layer.report import ReportHandlers
from approval.service_layer.sla import SlaJob
from approval.service_layer.requests import RequestHandlers
from approval.service_layer.running import Engine
from approval.service_layer.organisation import DelegationHandlers, DepartmentHandlers, on_rep_profile_changed
from approval.service_layer.policies import PolicyHandlers
from approval.service_layer.locks import LockHandlers
from approval.service_layer.uow import ApprovalUnitOfWork


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)
    access = SubjectAccess(settings.opportunity_addr, SERVICE, settings.access_timeout_s, settings.lead_routing_addr)
    documents = DocumentVersions(settings.document_versioning_addr, settings.access_timeout_s)
    # Policies, organisation and facts (the engine asks `facts.collect` before a request's unit of work opens).
    opportunities = Opportunities(settings.opportunity_addr, settings.access_timeout_s)
    facts = Facts(lambda: ApprovalUnitOfWork(db), opportunities)
    departments = DepartmentHandlers(lambda: ApprovalUnitOfWork(db))
    delegations = DelegationHandlers(lambda: ApprovalUnitOfWork(db))
    # The request engine: requests and every action on their tasks.
    engine = Engine(lambda: ApprovalUnitOfWork(db))
    # A partner's request: the channel manager's working days under the built-in policies.
    review = settings.review_days()
    policies = PolicyHandlers(lambda: ApprovalUnitOfWork(db), facts, access,
                              review=lambda tenant_id: review.working_minutes(tenant_id, engine.calendar))
    requests = RequestHandlers(engine, access, documents, facts,
                               remind_every=timedelta(minutes=settings.remind_interval_minutes), review=review)
    task_actions = ActionHandlers(engine)
    # SLAs (reminders, then the step's outcome), inbox/outbox/team view and the bottleneck report.
    sla_job = SlaJob(lambda: ApprovalUnitOfWork(db), task_actions, engine.calendar)
    inbox = InboxHandlers(lambda: ApprovalUnitOfWork(db), engine.calendar)
    reports = ReportHandlers(lambda: ApprovalUnitOfWork(db))

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc
        runtime.grpc.add(
            approval_pb2_grpc.add_ApprovalServiceServicer_to_server,
            ApprovalServicer(requests, task_actions),
            approval_pb2.DESCRIPTOR.services_by_name["ApprovalService"].full_name,
        )
        runtime.grpc.add(
            policy_pb2_grpc.add_ApprovalPolicyServiceServicer_to_server,
            PolicyServicer(policies),
            policy_pb2.DESCRIPTOR.services_by_name["ApprovalPolicyService"].full_name,
        )
        runtime.grpc.add(
            organisation_pb2_grpc.add_OrganisationServiceServicer_to_server,
            OrganisationServicer(departments, delegations),
            organisation_pb2.DESCRIPTOR.services_by_name["OrganisationService"].full_name,
        )
        # Opportunity asks which fields pending requests lock before it changes them.
        runtime.grpc.add(
            lock_pb2_grpc.add_ApprovalLockServiceServicer_to_server,
            LockServicer(LockHandlers(lambda: ApprovalUnitOfWork(db))),
            lock_pb2.DESCRIPTOR.services_by_name["ApprovalLockService"].full_name,
        )
        runtime.grpc.add(
            inbox_pb2_grpc.add_ApprovalInboxServiceServicer_to_server,
            InboxServicer(inbox, reports),
            inbox_pb2.DESCRIPTOR.services_by_name["ApprovalInboxService"].full_name,
        )
        runtime.every("approval-sla", settings.sla_interval_s, sla_job.run)
        uow = lambda: ApprovalUnitOfWork(db)  # noqa: E731
        runtime.consume("approval-rep-profiles", ["rep.profile_changed"], on_rep_profile_changed, uow=uow)
        runtime.consume("approval-won-averages", ["opportunity.closed"], on_opportunity_closed, uow=uow)
        runtime.consume("approval-document-versions", ["document.version_created"],
                        EngineConsumers(engine).document_version_created, uow=uow)
        runtime.on_close += [access.close, documents.close, opportunities.close]

    return Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
