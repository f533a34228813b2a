"""gRPC servicer of RoutingService: translates requests to handler calls and back."""

from __future__ import annotations

from typing import Any

import grpc
from crm.lead_routing.v1 import routing_pb2 as pb
from crm.lead_routing.v1 import routing_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.domain.errors import InvalidArgument
from crm_shared.grpc_server import current_caller

from lead_routing.domain.assignment import Assignment
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.pool import PoolEntry
from lead_routing.domain.rule_set import Route, RuleVersion, new_route
from lead_routing.service_layer.assignment import AssignmentHandlers
from lead_routing.service_layer.batch import BatchHandlers
from lead_routing.service_layer.explanation import ExplanationHandlers, PoolExplanation
from lead_routing.service_layer.ranking import Ranking
from lead_routing.service_layer.rules import RuleHandlers
from lead_routing.service_layer.sla import SlaHandlers


def routes_from(messages: Any) -> list[Route]:
    return [
        new_route(
            i,
            route_id=m.route_id,
            name=m.name,
            condition=m.condition,
            target_kind=m.target.kind,
            team=m.target.team,
            rep_ids=list(m.target.rep_ids),
            rep_filter=m.rep_filter,
            sla_hours=m.sla_hours,
            cooldown_hours=m.cooldown_hours,
            auto_assign=m.auto_assign,
        )
        for i, m in enumerate(messages)
    ]


def route_message(r: Route) -> pb.Route:
    return pb.Route(
        route_id=r.route_id,
        name=r.name,
        condition=r.condition,
        target=pb.RouteTarget(kind=r.target_kind, team=r.team, rep_ids=list(r.rep_ids)),
        rep_filter=r.rep_filter,
        sla_hours=r.sla_hours,
        cooldown_hours=r.cooldown_hours,
        auto_assign=r.auto_assign,
    )


def version_message(v: RuleVersion) -> pb.RuleVersion:
    msg = pb.RuleVersion(
        kind=v.kind,
        version=v.version,
        comment=v.comment,
        created_by=v.created_by,
        created_at=timestamp(v.created_at),
        active=v.active,
    )
    if v.kind == "routes":
        msg.routes.extend(route_message(r) for r in v.routes)
    else:
        msg.formula = v.formula
    return msg


def assignment_message(a: Assignment) -> pb.Assignment:
    msg = pb.Assignment(
        assignment_id=a.assignment_id,
        lead_id=a.lead_id,
        rep_id=a.rep_id,
        mode=a.mode,
        actor_id=a.actor_id,
        route_id=a.route_id,
        route_name=a.route_name,
        score=a.score,
        assigned_at=timestamp(a.assigned_at),
        first_touch_due=timestamp(a.first_touch_due),
    )
    if a.first_touched_at:
        msg.first_touched_at.CopyFrom(timestamp(a.first_touched_at))
    return msg


def explanation_message(lead_id: str, change: OwnerChange | None, a: Assignment | None) -> pb.Explanation:
    out = pb.Explanation(lead_id=lead_id)
    if a is not None:
        e = a.explanation
        out.MergeFrom(
            pb.Explanation(
                assignment=assignment_message(a),
                route_id=e.route_id,
                route_name=e.route_name,
                route_condition=e.route_condition,
                routes_version=e.routes_version,
                formula=e.formula,
                formula_version=e.formula_version,
                score=e.score,
                terms=[pb.FormulaTerm(term=t, value=v) for t, v in e.terms],
                runners_up=[pb.Candidate(rep_id=r, score=s) for r, s in e.runners_up],
                capacity=e.capacity,
                open_leads=e.open_leads,
                rank=e.rank,
                candidates=e.candidates,
                change=a.mode,
                actor_id=a.actor_id,
                owner_id=a.rep_id,
                changed_at=timestamp(a.assigned_at),
            )
        )
    if change is not None:
        out.MergeFrom(
            pb.Explanation(
                change=change.change,
                actor_id=change.actor_id,
                rank=change.rank,
                candidates=change.candidates,
                reason=change.reason,
                previous_owner_id=change.previous_owner_id or "",
                owner_id=change.owner_id or "",
                changed_at=timestamp(change.at),
                summary=change.summary,
            )
        )
    return out


def pool_explanation_message(x: PoolExplanation) -> pb.ExplainPoolLeadResponse:
    a, e = x.assignment, x.assignment.explanation
    return pb.ExplainPoolLeadResponse(
        lead_id=a.lead_id,
        rep_id=a.rep_id,
        route_id=e.route_id,
        route_name=e.route_name,
        route_condition=e.route_condition,
        routes_version=e.routes_version,
        rep_filter=x.rep_filter,
        rep_filter_passed=x.rep_filter_passed,
        in_candidate_set=x.in_candidate_set,
        formula=e.formula,
        formula_version=e.formula_version,
        terms=[pb.FormulaTerm(term=t, value=v) for t, v in e.terms],
        score=e.score,
        rank=e.rank,
        candidates=e.candidates,
        capacity=e.capacity,
        open_leads=e.open_leads,
    )


def pool_entry_message(x: PoolEntry) -> pb.PoolEntry:
    entry = pb.PoolEntry(
        lead_id=x.lead_id,
        company_name=x.company_name,
        source=x.source,
        route_id=x.route_id,
        route_name=x.route_name,
        candidates=[pb.Candidate(rep_id=r, score=s) for r, s in x.candidates],
    )
    if x.ranked_at:
        entry.ranked_at.CopyFrom(timestamp(x.ranked_at))
    return entry


class RoutingServicer(pb_grpc.RoutingServiceServicer):
    def __init__(
        self,
        rules: RuleHandlers,
        ranking: Ranking,
        assigning: AssignmentHandlers,
        batch: BatchHandlers,
        sla: SlaHandlers,
        explaining: ExplanationHandlers,
    ) -> None:
        self.rules = rules
        self.ranking = ranking
        self.assigning = assigning
        self.batch = batch
        self.sla = sla
        self.explaining = explaining

    async def SaveRoutes(
        self, request: pb.SaveRoutesRequest, context: grpc.aio.ServicerContext
    ) -> pb.SaveRoutesResponse:
        saved = await self.rules.save_routes(current_caller(), routes_from(request.routes), request.comment)
        return pb.SaveRoutesResponse(version=version_message(saved))

    async def SaveFormula(
        self, request: pb.SaveFormulaRequest, context: grpc.aio.ServicerContext
    ) -> pb.SaveFormulaResponse:
        row = await self.rules.save_formula(current_caller(), request.formula, request.comment)
        return pb.SaveFormulaResponse(version=version_message(row))

    async def ListRuleVersions(
        self, request: pb.ListRuleVersionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListRuleVersionsResponse:
        rows = await self.rules.list_versions(current_caller(), request.kind)
        return pb.ListRuleVersionsResponse(versions=[version_message(r) for r in rows])

    async def ActivateRuleVersion(
        self, request: pb.ActivateRuleVersionRequest, context: grpc.aio.ServicerContext
    ) -> pb.ActivateRuleVersionResponse:
        row = await self.rules.activate(current_caller(), request.kind, request.version)
        return pb.ActivateRuleVersionResponse(version=version_message(row))

    async def GetActiveRules(
        self, request: pb.GetActiveRulesRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetActiveRulesResponse:
        active = await self.rules.active_rules(current_caller())
        reply = pb.GetActiveRulesResponse()
        if active["routes"]:
            reply.routes.CopyFrom(version_message(active["routes"]))
        if active["formula"]:
            reply.formula.CopyFrom(version_message(active["formula"]))
        return reply

    async def ListRuleAudit(
        self, request: pb.ListRuleAuditRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListRuleAuditResponse:
        rows = await self.rules.audit(current_caller(), request.page_size)
        return pb.ListRuleAuditResponse(
            entries=[
                pb.AuditEntry(kind=r.kind, version=r.version, action=r.action, actor_id=r.actor_id, at=timestamp(r.at))
                for r in rows
            ]
        )

    async def DryRun(self, request: pb.DryRunRequest, context: grpc.aio.ServicerContext) -> pb.DryRunResponse:
        leads, summary = await self.rules.dry_run(
            current_caller(),
            routes=routes_from(request.routes),
            routes_version=request.routes_version,
            formula=request.formula,
            formula_version=request.formula_version,
            per_lead=request.candidates_per_lead,
        )
        return pb.DryRunResponse(
            leads=[
                pb.DryRunLead(
                    lead_id=x.lead_id,
                    company_name=x.company_name,
                    route_id=x.route_id,
                    route_name=x.route_name,
                    to_pool=x.to_pool,
                    candidates=[pb.Candidate(rep_id=r, score=s) for r, s in x.candidates],
                    owner_id=x.owner_id,
                )
                for x in leads
            ],
            summary=pb.DryRunSummary(
                open_leads=summary.open_leads,
                per_route=[pb.RouteCount(route_id=a, route_name=b, leads=n) for a, b, n in summary.per_route],
                unmatched=summary.unmatched,
                to_pool=summary.to_pool,
                without_candidates=summary.without_candidates,
                changed_best_candidate=summary.changed_best_candidate,
            ),
        )

    async def RerankPool(
        self, request: pb.RerankPoolRequest, context: grpc.aio.ServicerContext
    ) -> pb.RerankPoolResponse:
        leads, pairs, pushes = await self.ranking.rerank(current_caller())
        return pb.RerankPoolResponse(leads=leads, scored_pairs=pairs, notifications=pushes)

    async def ListPool(self, request: pb.ListPoolRequest, context: grpc.aio.ServicerContext) -> pb.ListPoolResponse:
        entries, token = await self.ranking.list_pool(current_caller(), request.page_size, request.page_token)
        return pb.ListPoolResponse(entries=[pool_entry_message(x) for x in entries], next_page_token=token)

    async def AssignPool(
        self, request: pb.AssignPoolRequest, context: grpc.aio.ServicerContext
    ) -> pb.AssignPoolResponse:
        if request.max_listed < 0:
            raise InvalidArgument.field("max_listed", "must be 0 (list every assignment) or more")
        done, left = await self.batch.assign_pool(current_caller())
        listed = done[: request.max_listed] if request.max_listed else done
        return pb.AssignPoolResponse(
            assignments=[assignment_message(a) for a in listed], left_in_pool=left, assigned=len(done)
        )

    async def ClaimLead(self, request: pb.ClaimLeadRequest, context: grpc.aio.ServicerContext) -> pb.ClaimLeadResponse:
        return pb.ClaimLeadResponse(
            assignment=assignment_message(await self.assigning.claim(current_caller(), request.lead_id))
        )

    async def AssignLead(
        self, request: pb.AssignLeadRequest, context: grpc.aio.ServicerContext
    ) -> pb.AssignLeadResponse:
        a = await self.assigning.assign(current_caller(), request.lead_id, request.rep_id)
        return pb.AssignLeadResponse(assignment=assignment_message(a))

    async def ReleaseLead(
        self, request: pb.ReleaseLeadRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReleaseLeadResponse:
        await self.assigning.release(current_caller(), request.lead_id, request.reason)
        return pb.ReleaseLeadResponse()

    async def TouchLead(self, request: pb.TouchLeadRequest, context: grpc.aio.ServicerContext) -> pb.TouchLeadResponse:
        a = await self.sla.touch(current_caller(), request.lead_id, request.kind)
        return pb.TouchLeadResponse(assignment=assignment_message(a))

    async def GetExplanation(
        self, request: pb.GetExplanationRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetExplanationResponse:
        change, a = await self.explaining.explanation(current_caller(), request.lead_id)
        return pb.GetExplanationResponse(explanation=explanation_message(request.lead_id, change, a))

    async def ExplainPoolLead(
        self, request: pb.ExplainPoolLeadRequest, context: grpc.aio.ServicerContext
    ) -> pb.ExplainPoolLeadResponse:
        why = await self.explaining.pool_explanation(current_caller(), request.lead_id, request.rep_id)
        return pool_explanation_message(why)
