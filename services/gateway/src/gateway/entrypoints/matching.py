"""Matching bank statement lines to instalments (finance-reconciliation's
MatchingService): run it, the matches and suggestions, confirming (receipts
under the lock's checks: 409 naming each refusal), rejecting, reversing, the
tenant's ordered rules. Finance and admins only; the service checks again."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.finance_reconciliation.v1 import matching_pb2 as pb
from crm_shared.roles import PAYMENT_RECORDERS
from fastapi import APIRouter, Path, Query
from pydantic import Field, StrictFloat, StrictInt

from gateway.adapters.stubs import matching
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, PageSize, PageToken, Text

router = APIRouter(prefix="/v1/matching")

PathId = Annotated[str, Path(max_length=64)]
Minor = Annotated[StrictInt, Field(ge=0, le=10**12)]
BasisPoints = Annotated[StrictInt, Field(ge=0, le=2_000)]


class ToleranceBody(Body):
    under_minor: Minor = 0
    over_minor: Minor = 0
    under_bp: BasisPoints = 0
    over_bp: BasisPoints = 0


class MatchRuleBody(Body):
    position: Annotated[StrictInt, Field(ge=0, le=1_000)]
    kind: Literal["contract_ref", "payer_amount", "amount_window"]
    name: Text = ""
    enabled: bool = True
    pattern: Annotated[str, Field(max_length=200)] = ""
    min_name_score: Annotated[StrictFloat, Field(ge=0, le=100)] = 85.0
    window_days: Annotated[StrictInt, Field(ge=0, le=366)] = 0
    tolerance: ToleranceBody = ToleranceBody()
    auto_score: Annotated[StrictFloat, Field(ge=0, le=1)] = 0.9


class RejectBody(Body):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class ReverseBody(Body):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


Status = Literal["suggested", "confirmed", "rejected", "reversed"]


@router.post(
    "/runs",
    summary="Match the unmatched credit lines to open instalments (stores suggestions with rule, score, evidence)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(matching.RunMatching),
)
async def run_matching(rpc: RpcDep) -> dict:
    return await rpc(matching.RunMatching, pb.RunMatchingRequest(), batch=True)  # a whole statement: the longer deadline


@router.get(
    "/suggestions",
    summary="Suggested matches for finance to confirm or reject, by match id",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(matching.ListSuggestions),
)
async def list_suggestions(
    rpc: RpcDep,
    after: Annotated[str, Query(max_length=64)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict:
    return await rpc(matching.ListSuggestions, pb.ListSuggestionsRequest(after=after, limit=limit))


@router.post(
    "/matches/{match_id}/reject",
    summary="Reject a suggested match, with a reason (the line is offered again)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(matching.RejectMatch),
)
async def reject_match(match_id: PathId, body: RejectBody, rpc: RpcDep) -> dict:
    return await rpc(matching.RejectMatch, pb.RejectMatchRequest(match_id=match_id, reason=body.reason))


@router.post(
    "/matches/{match_id}/confirm",
    summary="Confirm a suggested match: its receipts (and a settled underpayment's write-off) are recorded",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(matching.ConfirmMatch),
)
async def confirm_match(match_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(matching.ConfirmMatch, pb.ConfirmMatchRequest(match_id=match_id))


@router.post(
    "/matches/{match_id}/reversal",
    summary="Reverse a confirmed match, with a reason: its receipts are reversed, the line is unmatched again",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(matching.ReverseMatch),
)
async def reverse_match(match_id: PathId, body: ReverseBody, rpc: RpcDep) -> dict:
    return await rpc(matching.ReverseMatch, pb.ReverseMatchRequest(match_id=match_id, reason=body.reason))


@router.get(
    "/matches",
    summary="The tenant's matches, of one status or all, oldest first (page_token)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(matching.ListMatches),
)
async def list_matches(
    rpc: RpcDep, status: Annotated[Status | None, Query()] = None, page_size: PageSize = 50,
    page_token: PageToken = "",
) -> dict:
    return await rpc(matching.ListMatches,
                     pb.ListMatchesRequest(status=status or "", page_size=page_size, page_token=page_token))


@router.get(
    "/rules",
    summary="The tenant's match rules in the order they run (the defaults until it stores its own)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(matching.ListMatchRules),
)
async def list_rules(rpc: RpcDep) -> dict:
    return await rpc(matching.ListMatchRules, pb.ListMatchRulesRequest())


@router.post(
    "/rules",
    status_code=201,
    summary="Add a match rule",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(matching.SaveMatchRule),
)
async def create_rule(body: MatchRuleBody, rpc: RpcDep) -> dict:
    return await rpc(matching.SaveMatchRule, pb.SaveMatchRuleRequest(rule=to_proto(body, pb.MatchRule())))


@router.put(
    "/rules/{rule_id}",
    summary="Replace a match rule",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(matching.SaveMatchRule),
)
async def replace_rule(rule_id: PathId, body: MatchRuleBody, rpc: RpcDep) -> dict:
    rule = to_proto(body, pb.MatchRule())
    rule.rule_id = rule_id
    return await rpc(matching.SaveMatchRule, pb.SaveMatchRuleRequest(rule=rule))


@router.delete(
    "/rules/{rule_id}",
    summary="Delete a match rule",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(matching.DeleteMatchRule),
)
async def delete_rule(rule_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(matching.DeleteMatchRule, pb.DeleteMatchRuleRequest(rule_id=rule_id))
