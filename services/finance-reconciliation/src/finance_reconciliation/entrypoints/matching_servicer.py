"""gRPC servicer of matching: requests to MatchingHandlers calls, matches and rules to messages."""

from __future__ import annotations

import json

import grpc
from crm.finance_reconciliation.v1 import matching_pb2 as pb
from crm.finance_reconciliation.v1 import matching_pb2_grpc as pb_grpc
from crm_shared.grpc_server import current_caller

from finance_reconciliation.domain.match_rule import MatchRule, Tolerance
from finance_reconciliation.domain.match_state import StoredMatch
from finance_reconciliation.service_layer.matching import MatchingHandlers


def match_message(m: StoredMatch) -> pb.Match:
    return pb.Match(
        match_id=m.match_id, line_id=m.line_id,
        allocations=[pb.MatchAllocation(instalment_id=a.instalment_id, amount_minor=a.amount_minor)
                     for a in m.allocations],
        amount_minor=m.amount_minor, currency=m.currency, rule_id=m.rule_id, rule_kind=m.rule_kind,
        score=m.score, evidence_json=json.dumps(m.evidence, ensure_ascii=False, sort_keys=True),
        status=m.status, by=m.by, at=m.at.isoformat(), reason=m.reason,  # type: ignore[attr-defined]
        receipt_ids=list(m.receipt_ids),
        write_offs=[pb.MatchAllocation(instalment_id=a.instalment_id, amount_minor=a.amount_minor)
                    for a in m.write_offs],
        auto=m.auto, confident=m.confident, confirmed_by=m.confirmed_by or "",
        confirmed_at=m.confirmed_at.isoformat() if m.confirmed_at else "",  # type: ignore[attr-defined]
    )


def rule_message(r: MatchRule) -> pb.MatchRule:
    t = r.tolerance
    return pb.MatchRule(
        rule_id=r.rule_id, position=r.position, kind=r.kind, name=r.name, enabled=r.enabled, pattern=r.pattern,
        min_name_score=r.min_name_score, window_days=r.window_days, auto_score=r.auto_score,
        tolerance=pb.MatchTolerance(under_minor=t.under_minor, over_minor=t.over_minor,
                                    under_bp=t.under_bp, over_bp=t.over_bp),
    )


def rule_from(msg: pb.MatchRule) -> MatchRule:
    t = msg.tolerance
    return MatchRule(
        rule_id=msg.rule_id, tenant_id="", position=msg.position, kind=msg.kind, name=msg.name,
        enabled=msg.enabled, pattern=msg.pattern, min_name_score=msg.min_name_score, window_days=msg.window_days,
        tolerance=Tolerance(t.under_minor, t.over_minor, t.under_bp, t.over_bp), auto_score=msg.auto_score,
    )


class MatchingServicer(pb_grpc.MatchingServiceServicer):
    def __init__(self, handlers: MatchingHandlers) -> None:
        self.handlers = handlers

    async def RunMatching(self, request: pb.RunMatchingRequest, context: grpc.aio.ServicerContext) -> pb.RunMatchingResponse:
        report = await self.handlers.run(current_caller())
        return pb.RunMatchingResponse(lines=report.lines, open_instalments=report.open_instalments,
                                      suggestions=[match_message(m) for m in report.suggestions],
                                      confirmed=[match_message(m) for m in report.confirmed], more=report.more)

    async def ListSuggestions(
        self, request: pb.ListSuggestionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListSuggestionsResponse:
        found = await self.handlers.suggestions(current_caller(), request.after, request.limit or 100)
        return pb.ListSuggestionsResponse(suggestions=[match_message(m) for m in found])

    async def RejectMatch(self, request: pb.RejectMatchRequest, context: grpc.aio.ServicerContext) -> pb.RejectMatchResponse:
        m = await self.handlers.reject(current_caller(), request.match_id, request.reason)
        return pb.RejectMatchResponse(match=match_message(m))

    async def ConfirmMatch(self, request: pb.ConfirmMatchRequest, context: grpc.aio.ServicerContext) -> pb.ConfirmMatchResponse:
        m = await self.handlers.confirm(current_caller(), request.match_id)
        return pb.ConfirmMatchResponse(match=match_message(m))

    async def ReverseMatch(self, request: pb.ReverseMatchRequest, context: grpc.aio.ServicerContext) -> pb.ReverseMatchResponse:
        m = await self.handlers.reverse(current_caller(), request.match_id, request.reason)
        return pb.ReverseMatchResponse(match=match_message(m))

    async def ListMatches(self, request: pb.ListMatchesRequest, context: grpc.aio.ServicerContext) -> pb.ListMatchesResponse:
        found, token = await self.handlers.listed(current_caller(), request.status, request.page_size,
                                                  request.page_token)
        return pb.ListMatchesResponse(matches=[match_message(m) for m in found], next_page_token=token)

    async def ListMatchRules(
        self, request: pb.ListMatchRulesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListMatchRulesResponse:
        return pb.ListMatchRulesResponse(rules=[rule_message(r) for r in await self.handlers.rules(current_caller())])

    async def SaveMatchRule(
        self, request: pb.SaveMatchRuleRequest, context: grpc.aio.ServicerContext
    ) -> pb.SaveMatchRuleResponse:
        rule = await self.handlers.save_rule(current_caller(), rule_from(request.rule))
        return pb.SaveMatchRuleResponse(rule=rule_message(rule))

    async def DeleteMatchRule(
        self, request: pb.DeleteMatchRuleRequest, context: grpc.aio.ServicerContext
    ) -> pb.DeleteMatchRuleResponse:
        await self.handlers.delete_rule(current_caller(), request.rule_id)
        return pb.DeleteMatchRuleResponse()
