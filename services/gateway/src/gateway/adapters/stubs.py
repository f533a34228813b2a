"""The gRPC services the gateway calls, one name per service, each built from
its generated stub class so a route names the method it calls:

    reply = await rpc(lead_routing.IngestLead, request)

`lead_routing.IngestLead` is a `Method` (service, name, response class), not
a call: it needs no channel, so routes can name it at import, a misspelt
method fails at import, and the response class gives the route its response
model. `Backends` turns a Method into a call on the deployable serving it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crm.approval.v1 import approval_pb2_grpc, inbox_pb2_grpc, organisation_pb2_grpc, policy_pb2_grpc
from crm.document_versioning.v1 import (
    content_pb2_grpc,
    contract_pb2_grpc,
    diff_pb2_grpc,
    document_versioning_pb2_grpc,
    ecn_pb2_grpc,
    knowledge_pb2_grpc,
)
from crm.finance_reconciliation.v1 import (
    aging_pb2_grpc,
    finance_reconciliation_pb2_grpc,
    matching_pb2_grpc,
    plan_template_pb2_grpc,
    rebate_pb2_grpc,
    statement_pb2_grpc,
)
from crm.lead_routing.v1 import (
    lead_routing_pb2_grpc,
    partner_pb2_grpc,
    promotion_pb2_grpc,
    protection_pb2_grpc,
    registration_pb2_grpc,
    routing_pb2_grpc,
)
from crm.opportunity.v1 import (
    anomaly_pb2_grpc,
    confirmation_pb2_grpc,
    contact_depth_pb2_grpc,
    customer_value_pb2_grpc,
    conversation_pb2_grpc,
    customer_pb2_grpc,
    forecast_pb2_grpc,
    intent_pb2_grpc,
    opportunity_pb2_grpc,
    pipeline_pb2_grpc,
    process_health_pb2_grpc,
    stage_hint_pb2_grpc,
)
from google.protobuf.message import Message


@dataclass(frozen=True)
class Method:
    service: str  # full name: crm.lead_routing.v1.LeadRoutingService
    name: str  # IngestLead
    response: type[Message]


# Service full name -> its generated stub class, for every service named below.
STUB_CLASSES: dict[str, Callable[[Any], Any]] = {}


class _Describing:
    """Stands in for a channel while a generated stub is built: each method
    the stub would call becomes a Method."""

    def unary_unary(self, path: str, *, response_deserializer: Any, **_: Any) -> Method:
        _, service, name = path.split("/")
        # The deserializer is the response class's FromString.
        return Method(service, name, response_deserializer.__self__)

    # Streaming methods (document content) are Methods too; Backends.upload/download call them.
    stream_unary = unary_unary
    unary_stream = unary_unary


def _methods(stub_class: Callable[[Any], Any]) -> Any:
    stub = stub_class(_Describing())
    services = {method.service for method in vars(stub).values()}
    (service,) = services
    STUB_CLASSES[service] = stub_class
    return stub


lead_routing = _methods(lead_routing_pb2_grpc.LeadRoutingServiceStub)
routing = _methods(routing_pb2_grpc.RoutingServiceStub)
distributors = _methods(partner_pb2_grpc.DistributorServiceStub)
registrations = _methods(registration_pb2_grpc.RegistrationServiceStub)
promotions = _methods(promotion_pb2_grpc.PromotionServiceStub)
protection = _methods(protection_pb2_grpc.ProtectionServiceStub)
opportunity = _methods(opportunity_pb2_grpc.OpportunityServiceStub)
pipeline = _methods(pipeline_pb2_grpc.PipelineServiceStub)
stage_hint = _methods(stage_hint_pb2_grpc.StageHintServiceStub)
conversation = _methods(conversation_pb2_grpc.ConversationServiceStub)
customer = _methods(customer_pb2_grpc.CustomerServiceStub)
approval = _methods(approval_pb2_grpc.ApprovalServiceStub)
approval_policy = _methods(policy_pb2_grpc.ApprovalPolicyServiceStub)
approval_inbox = _methods(inbox_pb2_grpc.ApprovalInboxServiceStub)
organisation = _methods(organisation_pb2_grpc.OrganisationServiceStub)
document_versioning = _methods(document_versioning_pb2_grpc.DocumentVersioningServiceStub)
document_content = _methods(content_pb2_grpc.DocumentContentServiceStub)
document_diff = _methods(diff_pb2_grpc.DocumentDiffServiceStub)
knowledge = _methods(knowledge_pb2_grpc.KnowledgeServiceStub)
contract = _methods(contract_pb2_grpc.ContractServiceStub)
ecn = _methods(ecn_pb2_grpc.EcnServiceStub)
confirmation = _methods(confirmation_pb2_grpc.ConfirmationTaskServiceStub)
anomaly = _methods(anomaly_pb2_grpc.AnomalyServiceStub)
intent = _methods(intent_pb2_grpc.IntentServiceStub)
contact_depth = _methods(contact_depth_pb2_grpc.ContactDepthServiceStub)
customer_value = _methods(customer_value_pb2_grpc.CustomerValueServiceStub)
forecast = _methods(forecast_pb2_grpc.ForecastServiceStub)
process_health = _methods(process_health_pb2_grpc.ProcessHealthServiceStub)
kpi = _methods(process_health_pb2_grpc.KpiServiceStub)
finance_reconciliation = _methods(finance_reconciliation_pb2_grpc.FinanceReconciliationServiceStub)
bank_statements = _methods(statement_pb2_grpc.BankStatementServiceStub)
matching = _methods(matching_pb2_grpc.MatchingServiceStub)
aging = _methods(aging_pb2_grpc.AgingServiceStub)
plan_templates = _methods(plan_template_pb2_grpc.PlanTemplateServiceStub)
rebates = _methods(rebate_pb2_grpc.RebateServiceStub)
