"""Routing rules, scoring formulas, the pool and assignment (lead-routing's RoutingService)."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared import formula
from crm_shared.limits import (
    MAX_AUDIT_ENTRIES,
    MAX_CANDIDATES_PER_LEAD,
    MAX_LEAD_REASON,
    MAX_ROUTES,
    MAX_RULE_COMMENT,
    MAX_TARGET_REPS,
)
from crm_shared.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from crm_shared.roles import LEAD_CLAIMERS, POOL_RERANKERS, POOL_USERS, ROUTING_MANAGERS
from fastapi import APIRouter, Path, Query
from pydantic import Field, StrictBool, StrictFloat, StrictInt

from gateway.adapters.stubs import routing
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import INT32, Body, Id, PageToken, Text

router = APIRouter(prefix="/v1")

Formula = Annotated[str, Field(max_length=formula.MAX_LENGTH)]
Hours = Annotated[StrictFloat, Field(ge=0, le=24 * 90)]  # integers too (24 -> 24.0)


class RouteTarget(Body):
    """team: the reps of `team`; reps: `rep_ids`; key_account: reps of
    seniority key_account; all: every rep; pool: no candidates, stays in the pool."""

    kind: Literal["team", "reps", "key_account", "all", "pool"]
    team: Text = ""
    rep_ids: Annotated[list[Id], Field(max_length=MAX_TARGET_REPS)] = []


class Route(Body):
    route_id: Id = ""
    name: Text
    # A logical formula over lead fields, e.g. AND(来源="百度爱采购",CONTAINS(行业标签,"注塑机")); empty = every lead.
    condition: Formula = ""
    target: RouteTarget
    # A logical formula over lead and rep fields, e.g. DISTANCE(纬度,经度,近3月成交客户位置)<=30.
    rep_filter: Formula = ""
    # First-touch deadline after assignment (default 24).
    sla_hours: Hours = 0
    # How long a rep who missed the deadline may not take the lead back (default 24).
    cooldown_hours: Hours = 0
    # New leads on this route go at once to their best candidate with free capacity;
    # the scheduled batch assigns the route's pool leads optimally.
    auto_assign: StrictBool = False


class SaveRoutes(Body):
    routes: Annotated[list[Route], Field(max_length=MAX_ROUTES)]
    comment: Annotated[str, Field(max_length=MAX_RULE_COMMENT)] = ""


class SaveFormula(Body):
    formula: Formula
    comment: Annotated[str, Field(max_length=MAX_RULE_COMMENT)] = ""


class DryRun(Body):
    """A draft to try: routes and/or formula inline, or saved versions; what is
    not given is the active one."""

    routes: Annotated[list[Route], Field(max_length=MAX_ROUTES)] = []
    routes_version: Annotated[StrictInt, Field(ge=0, le=INT32)] = 0
    formula: Formula = ""
    formula_version: Annotated[StrictInt, Field(ge=0, le=INT32)] = 0
    candidates_per_lead: Annotated[StrictInt, Field(ge=0, le=MAX_CANDIDATES_PER_LEAD)] = 3


class AssignLead(Body):
    rep_id: Id


class ReleaseLead(Body):
    reason: Annotated[str, Field(max_length=MAX_LEAD_REASON)] = ""


class TouchLead(Body):
    kind: Annotated[str, Field(max_length=20)] = "call"


Kind = Literal["routes", "formulas"]


def _kind(kind: Kind) -> str:
    return "routes" if kind == "routes" else "formula"


@router.post(
    "/routing/routes",
    status_code=201,
    summary="Save a new version of the route list (managers)",
    dependencies=[allow(ROUTING_MANAGERS)],
    response_model=reply(routing.SaveRoutes),
)
async def save_routes(body: SaveRoutes, rpc: RpcDep) -> dict:
    return await rpc(routing.SaveRoutes, to_proto(body, pb.SaveRoutesRequest()))


@router.post(
    "/routing/formulas",
    status_code=201,
    summary="Save a new version of the scoring formula (managers)",
    dependencies=[allow(ROUTING_MANAGERS)],
    response_model=reply(routing.SaveFormula),
)
async def save_formula(body: SaveFormula, rpc: RpcDep) -> dict:
    return await rpc(routing.SaveFormula, to_proto(body, pb.SaveFormulaRequest()))


@router.get(
    "/routing/{kind}/versions",
    summary="Saved versions, newest first, with who and when",
    dependencies=[allow(ROUTING_MANAGERS)],
    response_model=reply(routing.ListRuleVersions),
)
async def list_rule_versions(kind: Kind, rpc: RpcDep) -> dict:
    return await rpc(routing.ListRuleVersions, pb.ListRuleVersionsRequest(kind=_kind(kind)))


@router.post(
    "/routing/{kind}/versions/{version}/activate",
    summary="Route with this version from now on",
    dependencies=[allow(ROUTING_MANAGERS)],
    response_model=reply(routing.ActivateRuleVersion),
)
async def activate_rule_version(kind: Kind, version: Annotated[int, Path(ge=1, le=INT32)], rpc: RpcDep) -> dict:
    return await rpc(routing.ActivateRuleVersion, pb.ActivateRuleVersionRequest(kind=_kind(kind), version=version))


@router.get(
    "/routing/active",
    summary="The active route list and formula",
    dependencies=[allow(ROUTING_MANAGERS)],
    response_model=reply(routing.GetActiveRules),
)
async def get_active_rules(rpc: RpcDep) -> dict:
    return await rpc(routing.GetActiveRules, pb.GetActiveRulesRequest())


@router.get(
    "/routing/audit",
    summary="Who saved or activated which version, when",
    dependencies=[allow(ROUTING_MANAGERS)],
    response_model=reply(routing.ListRuleAudit),
)
async def list_rule_audit(rpc: RpcDep, page_size: Annotated[int, Query(ge=1, le=MAX_AUDIT_ENTRIES)] = 100) -> dict:
    return await rpc(routing.ListRuleAudit, pb.ListRuleAuditRequest(page_size=page_size))


@router.post(
    "/routing/dry-run",
    summary="What a draft would do to today's open leads (changes nothing)",
    dependencies=[allow(ROUTING_MANAGERS)],
    response_model=reply(routing.DryRun),
)
async def dry_run(body: DryRun, rpc: RpcDep) -> dict:
    return await rpc(routing.DryRun, to_proto(body, pb.DryRunRequest()))


@router.get(
    "/pool",
    summary="The pool: unowned open leads with their candidates (a rep: their own score)",
    dependencies=[allow(POOL_USERS)],
    response_model=reply(routing.ListPool),
)
async def list_pool(
    rpc: RpcDep,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    return await rpc(routing.ListPool, pb.ListPoolRequest(page_size=page_size, page_token=page_token))


@router.get(
    "/pool/{lead_id}/explanation",
    summary="Why a rep scores what they score on a pool lead: route, rep filter, formula terms, rank",
    dependencies=[allow(POOL_USERS)],
    response_model=reply(routing.ExplainPoolLead),
)
async def explain_pool_lead(
    lead_id: str,
    rpc: RpcDep,
    # A rep is always themself; a manager names one of their reps, an admin anyone.
    rep_id: Annotated[str, Query(max_length=64)] = "",
) -> dict:
    return await rpc(routing.ExplainPoolLead, pb.ExplainPoolLeadRequest(lead_id=lead_id, rep_id=rep_id))


@router.post(
    "/pool/rerank",
    summary="Re-score the pool now (managers)",
    dependencies=[allow(POOL_RERANKERS)],
    response_model=reply(routing.RerankPool),
)
async def rerank_pool(rpc: RpcDep) -> dict:
    return await rpc(routing.RerankPool, pb.RerankPoolRequest(), batch=True)


@router.post(
    "/pool/assign",
    summary="Assign the pool automatically: best total score under capacity (managers)",
    dependencies=[allow(POOL_RERANKERS)],
    response_model=reply(routing.AssignPool),
)
async def assign_pool(
    rpc: RpcDep,
    # A batch assigns thousands: list only the first max_listed (0 = every one); `assigned` counts them all.
    max_listed: Annotated[int, Query(ge=0, le=INT32)] = 0,
) -> dict:
    return await rpc(routing.AssignPool, pb.AssignPoolRequest(max_listed=max_listed), batch=True)


@router.post(
    "/leads/{lead_id}/claim",
    summary="Claim a lead from the pool (reps)",
    dependencies=[allow(LEAD_CLAIMERS)],
    response_model=reply(routing.ClaimLead),
)
async def claim_lead(lead_id: str, rpc: RpcDep) -> dict:
    return await rpc(routing.ClaimLead, pb.ClaimLeadRequest(lead_id=lead_id))


@router.post(
    "/leads/{lead_id}/assign",
    summary="Assign a lead to a rep (managers)",
    dependencies=[allow(ROUTING_MANAGERS)],
    response_model=reply(routing.AssignLead),
)
async def assign_lead(lead_id: str, body: AssignLead, rpc: RpcDep) -> dict:
    return await rpc(routing.AssignLead, pb.AssignLeadRequest(lead_id=lead_id, rep_id=body.rep_id))


@router.post(
    "/leads/{lead_id}/release",
    summary="Give a lead back to the pool",
    dependencies=[allow(POOL_USERS)],
    response_model=reply(routing.ReleaseLead),
)
async def release_lead(lead_id: str, body: ReleaseLead, rpc: RpcDep) -> dict:
    return await rpc(routing.ReleaseLead, pb.ReleaseLeadRequest(lead_id=lead_id, reason=body.reason))


@router.post(
    "/leads/{lead_id}/touch",
    summary="Record the first touch of an assigned lead",
    dependencies=[allow(POOL_USERS)],
    response_model=reply(routing.TouchLead),
)
async def touch_lead(lead_id: str, body: TouchLead, rpc: RpcDep) -> dict:
    return await rpc(routing.TouchLead, pb.TouchLeadRequest(lead_id=lead_id, kind=body.kind))


@router.get(
    "/leads/{lead_id}/explanation",
    summary="Why the lead went to its rep: route, formula terms, runners-up",
    dependencies=[allow(POOL_USERS)],
    response_model=reply(routing.GetExplanation),
)
async def get_explanation(lead_id: str, rpc: RpcDep) -> dict:
    return await rpc(routing.GetExplanation, pb.GetExplanationRequest(lead_id=lead_id))
