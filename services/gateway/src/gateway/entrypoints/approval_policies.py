"""Approval policies (approval's ApprovalPolicyService): versioned data admins
write; managers and admins read, check and dry-run them. The rules (what a
valid policy is, which one a request gets) are approval's; this only shapes
and bounds the JSON."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.approval.v1 import policy_pb2 as pb
from crm_shared import approval_kinds, formula
from crm_shared.roles import APPROVAL_POLICY_EDITORS, APPROVAL_POLICY_READERS
from fastapi import APIRouter, Path, Query
from pydantic import Field, StrictBool, StrictFloat, StrictInt

from gateway.adapters.stubs import approval_policy
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, Text

router = APIRouter(prefix="/v1/approval-policies")

Kind = Literal[approval_kinds.KINDS]  # type: ignore[valid-type]
Comment = Annotated[str, Field(max_length=500)]
PolicyId = Annotated[str, Path(max_length=64)]
Small = Annotated[StrictInt, Field(ge=0, le=10_000)]
# A fact's value may be sent as a number (amount_minor in 分, discount); approval checks its range.
FactNumber = Annotated[StrictInt, Field(ge=0, le=10**15)] | Annotated[StrictFloat, Field(ge=0, le=1e15)]


class ApproverRuleBody(Body):
    """user (value: user id), role (value: rep/manager/finance/reviewer/admin),
    department_members / department_head (value: department id), manager,
    manager_chain (up to `level`), channel_manager (a partner's request: the
    distributor's channel manager; `level` 2 their manager)."""

    kind: Literal[
        "user", "role", "department_members", "department_head", "manager", "manager_chain", "channel_manager"
    ]
    value: Id = ""
    level: Annotated[StrictInt, Field(ge=0, le=10)] = 1


class SlaRuleBody(Body):
    """For requests of impact scope `impact` ("" = any other): after
    working_minutes of working time, up to `reminders` reminders, then `outcome`."""

    impact: Text = ""
    working_minutes: Annotated[StrictInt, Field(ge=1, le=60 * 8 * 60)]
    reminders: Annotated[StrictInt, Field(ge=0, le=10)] = 0
    outcome: Literal["escalate", "auto_approve", "auto_reject", "auto_transfer", "none"] = "none"
    target: ApproverRuleBody | None = None


class PolicyStepBody(Body):
    step_id: Id = ""
    name: Text
    approvers: ApproverRuleBody
    # all 会签, any 或签, sequence 依次, k_of_n, ratio
    mode: Literal["all", "any", "sequence", "k_of_n", "ratio"] = "all"
    k: Small = 0
    ratio_percent: Annotated[StrictInt, Field(ge=0, le=100)] = 0
    veto: StrictBool = False
    on_reject: Literal["reject", "send_back"] = "reject"
    # "requester" or the stage_id of an earlier stage
    send_back_to: Id = "requester"
    sla: Annotated[list[SlaRuleBody], Field(max_length=10, default_factory=list)]


class PolicyStageBody(Body):
    stage_id: Id = ""
    name: Text
    steps: Annotated[list[PolicyStepBody], Field(max_length=10)]


class PolicySpecBody(Body):
    kind: Kind
    name: Text
    position: Small = 0
    # A logical formula over the facts, e.g. 金额>2*区域平均合同额 (amounts in 元); empty: every request.
    criteria: Annotated[str, Field(max_length=formula.MAX_LENGTH)] = ""
    is_default: StrictBool = False
    stages: Annotated[list[PolicyStageBody], Field(max_length=10)]
    locked_fields: Annotated[list[Id], Field(max_length=20, default_factory=list)]
    skip_repeat_approvers: StrictBool = False
    allow_batch: StrictBool = True
    recall_while: Literal["undecided", "pending"] = "undecided"
    fallback_user: Id = "admin"


class CreatePolicyBody(PolicySpecBody):
    comment: Comment = ""


class UpdatePolicyBody(PolicySpecBody):
    # The version edited; another save in between is refused (409). 0: whatever is current.
    expected_version: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)] = 0
    comment: Comment = ""


class DryRunPolicyBody(Body):
    """An example subject: facts as a request gives them (impact_scope, discount,
    amount_minor in 分, region, product_line, customer_tier, or formula names such
    as 金额 in 元), and/or a real subject whose facts are read first."""

    kind: Kind
    facts: Annotated[
        dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=100)] | FactNumber],
        Field(max_length=20, default_factory=dict),
    ]
    subject_type: Literal["opportunity", "customer", ""] = ""
    subject_id: Id = ""
    # Optional: also who each step would ask now if this user submitted it.
    requester_id: Id = ""
    # Optional: an unsaved policy of the same kind tried with the saved ones (standing in for replaces_policy_id).
    draft: PolicySpecBody | None = None
    replaces_policy_id: Id = ""


def _spec(body: PolicySpecBody) -> pb.PolicySpec:
    fields = set(PolicySpecBody.model_fields)
    return to_proto(PolicySpecBody.model_validate(body.model_dump(include=fields)), pb.PolicySpec())


@router.post(
    "",
    status_code=201,
    summary="Create an approval policy (version 1)",
    dependencies=[allow(APPROVAL_POLICY_EDITORS)],
    response_model=reply(approval_policy.CreatePolicy),
)
async def create_policy(body: CreatePolicyBody, rpc: RpcDep) -> dict:
    return await rpc(approval_policy.CreatePolicy, pb.CreatePolicyRequest(spec=_spec(body), comment=body.comment))


@router.get(
    "",
    summary="List approval policies by kind and position (the order they are tried in)",
    dependencies=[allow(APPROVAL_POLICY_READERS)],
    response_model=reply(approval_policy.ListPolicies),
)
async def list_policies(rpc: RpcDep, kind: Annotated[Kind | None, Query()] = None) -> dict:
    return await rpc(approval_policy.ListPolicies, pb.ListPoliciesRequest(kind=kind or ""))


@router.get(
    "/audit",
    summary="The tenant's policy changes, newest first: which policy, what, who, when, why",
    dependencies=[allow(APPROVAL_POLICY_READERS)],
    response_model=reply(approval_policy.ListPolicyAudit),
)
async def list_policy_audit(
    rpc: RpcDep,
    kind: Annotated[Kind | None, Query()] = None,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict:
    return await rpc(approval_policy.ListPolicyAudit, pb.ListPolicyAuditRequest(kind=kind or "", page_size=page_size))


@router.post(
    "/check",
    summary="Check a policy as saving would (errors name their field; a formula's line and column)",
    dependencies=[allow(APPROVAL_POLICY_READERS)],
    response_model=reply(approval_policy.CheckPolicy),
)
async def check_policy(body: PolicySpecBody, rpc: RpcDep) -> dict:
    return await rpc(approval_policy.CheckPolicy, pb.CheckPolicyRequest(spec=_spec(body)))


@router.post(
    "/dry-run",
    summary="Which policy an example subject would get, and why",
    dependencies=[allow(APPROVAL_POLICY_READERS)],
    response_model=reply(approval_policy.DryRunPolicy),
)
async def dry_run_policy(body: DryRunPolicyBody, rpc: RpcDep) -> dict:
    request = pb.DryRunPolicyRequest(
        kind=body.kind,
        facts={name: str(value) for name, value in body.facts.items()},
        subject_type=body.subject_type,
        subject_id=body.subject_id,
        requester_id=body.requester_id,
        draft=_spec(body.draft) if body.draft else None,
        replaces_policy_id=body.replaces_policy_id,
    )
    return await rpc(approval_policy.DryRunPolicy, request)


@router.get(
    "/{policy_id}",
    summary="Get an approval policy (its current version, or `version`)",
    dependencies=[allow(APPROVAL_POLICY_READERS)],
    response_model=reply(approval_policy.GetPolicy),
)
async def get_policy(policy_id: PolicyId, rpc: RpcDep, version: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0) -> dict:
    return await rpc(approval_policy.GetPolicy, pb.GetPolicyRequest(policy_id=policy_id, version=version))


@router.put(
    "/{policy_id}",
    summary="Save a new version of an approval policy",
    dependencies=[allow(APPROVAL_POLICY_EDITORS)],
    response_model=reply(approval_policy.UpdatePolicy),
)
async def update_policy(policy_id: PolicyId, body: UpdatePolicyBody, rpc: RpcDep) -> dict:
    request = pb.UpdatePolicyRequest(
        policy_id=policy_id, expected_version=body.expected_version, spec=_spec(body), comment=body.comment
    )
    return await rpc(approval_policy.UpdatePolicy, request)


@router.delete(
    "/{policy_id}",
    summary="Delete an approval policy (no new requests; its versions stay)",
    dependencies=[allow(APPROVAL_POLICY_EDITORS)],
    response_model=reply(approval_policy.DeletePolicy),
)
async def delete_policy(
    policy_id: PolicyId, rpc: RpcDep, comment: Annotated[str, Query(max_length=500, description="why")] = ""
) -> dict:
    return await rpc(approval_policy.DeletePolicy, pb.DeletePolicyRequest(policy_id=policy_id, comment=comment))


@router.get(
    "/{policy_id}/versions",
    summary="Every saved version of a policy, newest first: who, when, what, why",
    dependencies=[allow(APPROVAL_POLICY_READERS)],
    response_model=reply(approval_policy.ListPolicyVersions),
)
async def list_policy_versions(policy_id: PolicyId, rpc: RpcDep) -> dict:
    return await rpc(approval_policy.ListPolicyVersions, pb.ListPolicyVersionsRequest(policy_id=policy_id))
