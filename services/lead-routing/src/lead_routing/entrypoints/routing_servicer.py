"""gRPC servicer of RoutingService: translates requests to handler calls and back."""

from __future__ import annotations

from typing import Any

import grpc

from crm.lead_routing.v1 import routing_pb2 as pb
from crm.lead_routing.v1 import routing_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller
from crm_shared.domain.errors import InvalidArgument
from crm_shared.paging import page_size
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.rules import Explanation, Route, new_route
from lead_routing.service_layer.routing_handlers import RoutingHandlers


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


def route_message(data: dict[str, Any]) -> pb.Route:
    r = Route.from_json(data)
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


def version_message(row: dict[str, Any]) -> pb.RuleVersion:
    msg = pb.RuleVersion(
        kind=row["kind"],
        version=row["version"],
        comment=row.get("comment", ""),
        created_by=row["created_by"],
        created_at=timestamp(row["created_at"]),
        active=bool(row.get("active")),
    )
    if row["kind"] == "routes":
        msg.routes.extend(route_message(r) for r in row["body"])
    else:
        msg.formula = row["body"]["formula"]
    return msg


def assignment_message(a: dict[str, Any]) -> pb.Assignment:
    msg = pb.Assignment(
        assignment_id=a["assignment_id"],
        lead_id=a["lead_id"],
        rep_id=a["rep_id"],
        mode=a["mode"],
        actor_id=a["actor_id"],
        route_id=a["route_id"],
        route_name=a["route_name"],
        score=a["score"],
        assigned_at=timestamp(a["assigned_at"]),
        first_touch_due=timestamp(a["first_touch_due"]),
    )
    if a.get("first_touched_at"):
        msg.first_touched_at.CopyFrom(timestamp(a["first_touched_at"]))
    return msg


def explanation_message(
    lead_id: str, change: OwnerChange | None, a: dict[str, Any] | None, e: Explanation | None
) -> pb.Explanation:
    out = pb.Explanation(lead_id=lead_id)
    if a is not None and e is not None:
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
                change=a["mode"],
                actor_id=a["actor_id"],
                owner_id=a["rep_id"],
                changed_at=timestamp(a["assigned_at"]),
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


def _offset(token: str) -> int:
    # The pool is ordered by score, which moves on every re-rank: a plain offset is honest about that.
    if not token:
        return 0
    if not (token.startswith("o") and token[1:].isdigit()):
        raise InvalidArgument.field("page_token", "is not a token this API issued")
    return int(token[1:])


class RoutingServicer(pb_grpc.RoutingServiceServicer):
    def __init__(self, handlers: RoutingHandlers) -> None:
        self.handlers = handlers

    async def SaveRoutes(
        self, request: pb.SaveRoutesRequest, context: grpc.aio.ServicerContext
    ) -> pb.SaveRoutesResponse:
        row = await self.handlers.save_routes(current_caller(), routes_from(request.routes), request.comment)
        return pb.SaveRoutesResponse(version=version_message(row))

    async def SaveFormula(
        self, request: pb.SaveFormulaRequest, context: grpc.aio.ServicerContext
    ) -> pb.SaveFormulaResponse:
        row = await self.handlers.save_formula(current_caller(), request.formula, request.comment)
        return pb.SaveFormulaResponse(version=version_message(row))

    async def ListRuleVersions(
        self, request: pb.ListRuleVersionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListRuleVersionsResponse:
        rows = await self.handlers.list_versions(current_caller(), request.kind)
        return pb.ListRuleVersionsResponse(versions=[version_message(r) for r in rows])

    async def ActivateRuleVersion(
        self, request: pb.ActivateRuleVersionRequest, context: grpc.aio.ServicerContext
    ) -> pb.ActivateRuleVersionResponse:
        row = await self.handlers.activate(current_caller(), request.kind, request.version)
        return pb.ActivateRuleVersionResponse(version=version_message(row))

    async def GetActiveRules(
        self, request: pb.GetActiveRulesRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetActiveRulesResponse:
        active = await self.handlers.active_rules(current_caller())
        reply = pb.GetActiveRulesResponse()
        if active["routes"]:
            reply.routes.CopyFrom(version_message(active["routes"]))
        if active["formula"]:
            reply.formula.CopyFrom(version_message(active["formula"]))
        return reply

    async def ListRuleAudit(
        self, request: pb.ListRuleAuditRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListRuleAuditResponse:
        rows = await self.handlers.audit(current_caller(), request.page_size)
        return pb.ListRuleAuditResponse(
            entries=[
                pb.AuditEntry(
                    kind=r["kind"],
                    version=r["version"],
                    action=r["action"],
                    actor_id=r["actor_id"],
                    at=timestamp(r["at"]),
                )
                for r in rows
            ]
        )

    async def DryRun(self, request: pb.DryRunRequest, context: grpc.aio.ServicerContext) -> pb.DryRunResponse:
        leads, summary = await self.handlers.dry_run(
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
                    lead_id=x["lead_id"],
                    company_name=x["company_name"],
                    route_id=x["route_id"],
                    route_name=x["route_name"],
                    to_pool=x["to_pool"],
                    candidates=[pb.Candidate(rep_id=r, score=s) for r, s in x["candidates"]],
                    owner_id=x["owner_id"],
                )
                for x in leads
            ],
            summary=pb.DryRunSummary(
                open_leads=summary["open_leads"],
                per_route=[pb.RouteCount(route_id=a, route_name=b, leads=n) for a, b, n in summary["per_route"]],
                unmatched=summary["unmatched"],
                to_pool=summary["to_pool"],
                without_candidates=summary["without_candidates"],
                changed_best_candidate=summary["changed_best_candidate"],
            ),
        )

    async def RerankPool(
        self, request: pb.RerankPoolRequest, context: grpc.aio.ServicerContext
    ) -> pb.RerankPoolResponse:
        leads, pairs, pushes = await self.handlers.rerank(current_caller())
        return pb.RerankPoolResponse(leads=leads, scored_pairs=pairs, notifications=pushes)

    async def ListPool(self, request: pb.ListPoolRequest, context: grpc.aio.ServicerContext) -> pb.ListPoolResponse:
        limit = page_size(request.page_size)
        offset = _offset(request.page_token)
        found = await self.handlers.list_pool(current_caller(), limit + 1, offset)
        entries = []
        for lead, route, cands in found[:limit]:
            entry = pb.PoolEntry(
                lead_id=lead["lead_id"],
                company_name=lead["company_name"],
                source=lead["source"],
                route_id=(route or {}).get("route_id", ""),
                route_name=(route or {}).get("route_name", ""),
                candidates=[pb.Candidate(rep_id=r, score=s) for r, s in cands],
            )
            if route and route.get("ranked_at"):
                entry.ranked_at.CopyFrom(timestamp(route["ranked_at"]))
            entries.append(entry)
        token = f"o{offset + limit}" if len(found) > limit else ""
        return pb.ListPoolResponse(entries=entries, next_page_token=token)

    async def AssignPool(
        self, request: pb.AssignPoolRequest, context: grpc.aio.ServicerContext
    ) -> pb.AssignPoolResponse:
        done, left = await self.handlers.assign_pool(current_caller())
        return pb.AssignPoolResponse(assignments=[assignment_message(a) for a in done], left_in_pool=left)

    async def ClaimLead(self, request: pb.ClaimLeadRequest, context: grpc.aio.ServicerContext) -> pb.ClaimLeadResponse:
        return pb.ClaimLeadResponse(
            assignment=assignment_message(await self.handlers.claim(current_caller(), request.lead_id))
        )

    async def AssignLead(
        self, request: pb.AssignLeadRequest, context: grpc.aio.ServicerContext
    ) -> pb.AssignLeadResponse:
        a = await self.handlers.assign(current_caller(), request.lead_id, request.rep_id)
        return pb.AssignLeadResponse(assignment=assignment_message(a))

    async def ReleaseLead(
        self, request: pb.ReleaseLeadRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReleaseLeadResponse:
        await self.handlers.release(current_caller(), request.lead_id, request.reason)
        return pb.ReleaseLeadResponse()

    async def TouchLead(self, request: pb.TouchLeadRequest, context: grpc.aio.ServicerContext) -> pb.TouchLeadResponse:
        a = await self.handlers.touch(current_caller(), request.lead_id, request.kind)
        return pb.TouchLeadResponse(assignment=assignment_message(a))

    async def GetExplanation(
        self, request: pb.GetExplanationRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetExplanationResponse:
        change, a, e = await self.handlers.explanation(current_caller(), request.lead_id)
        return pb.GetExplanationResponse(explanation=explanation_message(request.lead_id, change, a, e))
