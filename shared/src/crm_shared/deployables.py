"""The one list of deployables: every process of the product, its folder,
package, settings prefix, default ports, the gRPC services it serves and
the backends it calls.

Everything that names the services reads this list or is checked against it
by a test: the local runner (scripts/localstack.py), the Procfile, the
Makefile's SERVICES, the gateway's backends, the chart's values.yaml, the
skaffold artifacts and crm_shared.events.STREAMS. Adding a service is adding
an entry here (and its folder); the tests then name every other place that
must know it. Pure data: importing it costs nothing and needs no generated code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Deployable:
    # The folder under services/, the image name (crm/<name>), the chart's
    # services.<name> key and the name readiness reports give.
    name: str
    folder: str
    # The Python package: `python -m <package>` serves, `... migrate` migrates.
    package: str
    # Settings prefix without the trailing underscore (LEAD_ROUTING -> LEAD_ROUTING_GRPC_PORT).
    env_prefix: str
    # Defaults of the service's own Settings; None where the process has no such port.
    grpc_port: int | None
    metrics_port: int | None
    http_port: int | None
    # Full protobuf names of the gRPC services it serves (besides grpc.health.v1.Health).
    grpc_services: tuple[str, ...]
    # Backends it calls over gRPC (names): it gets <PREFIX>_<PEER>_ADDR for each.
    # The gateway calls every backend (GATEWAY_<BACKEND>_ADDR), not listed here.
    grpc_peers: tuple[str, ...] = ()
    # It owns a database (migrated by `python -m <package> migrate`, <PREFIX>_DATABASE_URL);
    # the web console keeps nothing of its own (sessions live in the browser's cookie).
    database: bool = True

    def addr_env(self, peer: Deployable) -> str:
        """The variable holding a peer's host:port in this deployable's settings."""
        return f"{self.env_prefix}_{peer.env_prefix}_ADDR"

    @property
    def stream(self) -> str:
        """The JetStream stream of the events it publishes (crm_shared.events.STREAMS)."""
        return self.env_prefix


GATEWAY = Deployable(
    name="gateway",
    folder="services/gateway",
    package="gateway",
    env_prefix="GATEWAY",
    grpc_port=None,
    # The gateway serves /metrics on its HTTP port.
    metrics_port=None,
    http_port=8080,
    grpc_services=(),
)

# The web console: server-rendered pages over the gateway's public REST API only
# (no gRPC, no database, no NATS). Like the gateway it serves /metrics on its HTTP port.
WEB = Deployable(
    name="web",
    folder="services/web",
    package="web",
    env_prefix="WEB",
    grpc_port=None,
    metrics_port=None,
    http_port=8090,
    grpc_services=(),
    database=False,
)

DEPLOYABLES: tuple[Deployable, ...] = (
    GATEWAY,
    Deployable(
        name="lead-routing",
        folder="services/lead-routing",
        package="lead_routing",
        env_prefix="LEAD_ROUTING",
        grpc_port=50051,
        metrics_port=9101,
        http_port=None,
        grpc_services=(
            "crm.lead_routing.v1.LeadRoutingService",
            "crm.lead_routing.v1.RoutingService",
            "crm.lead_routing.v1.PartnerSubjectAccessService",
            "crm.lead_routing.v1.DistributorService",
            "crm.lead_routing.v1.PromotionService",
            "crm.lead_routing.v1.RegistrationService",
            "crm.lead_routing.v1.ProtectionService",
        ),
        # Deal registrations are submitted to approval and checked against opportunity's customers.
        grpc_peers=("approval", "opportunity"),
    ),
    Deployable(
        name="opportunity",
        folder="services/opportunity",
        package="opportunity",
        env_prefix="OPPORTUNITY",
        grpc_port=50052,
        metrics_port=9102,
        http_port=None,
        grpc_services=(
            "crm.opportunity.v1.AnomalyService",
            "crm.opportunity.v1.ConfirmationTaskService",
            "crm.opportunity.v1.ContactDepthService",
            "crm.opportunity.v1.ConversationService",
            "crm.opportunity.v1.CustomerService",
            "crm.opportunity.v1.CustomerValueService",
            "crm.opportunity.v1.ForecastService",
            "crm.opportunity.v1.IntentService",
            "crm.opportunity.v1.KpiService",
            "crm.opportunity.v1.OpportunityService",
            "crm.opportunity.v1.PipelineService",
            "crm.opportunity.v1.ProcessHealthService",
            "crm.opportunity.v1.StageHintService",
            "crm.opportunity.v1.SubjectAccessService",
        ),
        # Stage gates ask document-versioning and approval; a partner's sales lists, lead-routing.
        grpc_peers=("document-versioning", "approval", "lead-routing"),
    ),
    Deployable(
        name="approval",
        folder="services/approval",
        package="approval",
        env_prefix="APPROVAL",
        grpc_port=50053,
        metrics_port=9103,
        http_port=None,
        grpc_services=(
            "crm.approval.v1.ApprovalService",
            "crm.approval.v1.ApprovalPolicyService",
            "crm.approval.v1.OrganisationService",
            "crm.approval.v1.ApprovalLockService",
            "crm.approval.v1.ApprovalInboxService",
        ),
        # Opportunity (lead-routing for a partner's registration or application) says who may see a
        # subject; document-versioning which opportunity a document is of.
        grpc_peers=("opportunity", "document-versioning", "lead-routing"),
    ),
    Deployable(
        name="document-versioning",
        folder="services/document-versioning",
        package="document_versioning",
        env_prefix="DOCUMENT_VERSIONING",
        grpc_port=50054,
        metrics_port=9104,
        http_port=None,
        grpc_services=(
            "crm.document_versioning.v1.ContractService",
            "crm.document_versioning.v1.DocumentContentService",
            "crm.document_versioning.v1.DocumentDiffService",
            "crm.document_versioning.v1.DocumentVersioningService",
            "crm.document_versioning.v1.EcnService",
            "crm.document_versioning.v1.KnowledgeService",
        ),
        # Who may see a document's subject: opportunity, lead-routing for a promotion application.
        grpc_peers=("opportunity", "lead-routing"),
    ),
    Deployable(
        name="finance-reconciliation",
        folder="services/finance-reconciliation",
        package="finance_reconciliation",
        env_prefix="FINANCE_RECONCILIATION",
        grpc_port=50055,
        metrics_port=9105,
        http_port=None,
        grpc_services=(
            "crm.finance_reconciliation.v1.FinanceReconciliationService",
            "crm.finance_reconciliation.v1.BankStatementService",
            "crm.finance_reconciliation.v1.MatchingService",
            "crm.finance_reconciliation.v1.AgingService",
            "crm.finance_reconciliation.v1.PlanTemplateService",
            "crm.finance_reconciliation.v1.RebateService",
        ),
        # Who may see a payment's opportunity; whether a partner still acts for a distributor (rebates).
        grpc_peers=("opportunity", "lead-routing"),
    ),
    WEB,
)

# The gRPC backends: every deployable serving gRPC (all but the gateway and the console), in the order above.
BACKENDS: tuple[Deployable, ...] = tuple(d for d in DEPLOYABLES if d.grpc_port is not None)
# The deployables with a database of their own: the gateway and the backends.
WITH_DATABASE: tuple[Deployable, ...] = tuple(d for d in DEPLOYABLES if d.database)

_BY_NAME = {d.name: d for d in DEPLOYABLES}


def by_name(name: str) -> Deployable:
    """The deployable called `name` (e.g. "lead-routing"); KeyError naming the known ones otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no deployable {name!r}; known: {', '.join(_BY_NAME)}") from None
