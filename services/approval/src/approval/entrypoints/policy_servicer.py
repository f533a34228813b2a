"""gRPC servicer of ApprovalPolicyService: requests to handler calls, policies to messages."""

from __future__ import annotations

import grpc
from crm.approval.v1 import policy_pb2 as pb
from crm.approval.v1 import policy_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from approval.domain.facts import CATALOGUE
from approval.domain.policy import ApproverRule, Policy, PolicyChange, SlaRule, Stage, Step
from approval.domain.policy_choice import builtin_default
from approval.service_layer.policies import PolicyHandlers


def _rule_in(m: pb.ApproverRule) -> ApproverRule:
    return ApproverRule(kind=m.kind, value=m.value, level=m.level or 1)


def _rule_out(r: ApproverRule) -> pb.ApproverRule:
    return pb.ApproverRule(kind=r.kind, value=r.value, level=r.level)


def policy_in(spec: pb.PolicySpec) -> Policy:
    """A policy as written (identity filled in by the handler)."""
    stages = tuple(
        Stage(
            s.stage_id,
            s.name,
            tuple(
                Step(
                    step_id=st.step_id,
                    name=st.name,
                    approvers=_rule_in(st.approvers),
                    mode=st.mode or "all",
                    k=st.k,
                    ratio_percent=st.ratio_percent,
                    veto=st.veto,
                    on_reject=st.on_reject or "reject",
                    send_back_to=st.send_back_to,
                    sla=tuple(
                        SlaRule(
                            impact=r.impact,
                            working_minutes=r.working_minutes,
                            reminders=r.reminders,
                            outcome=r.outcome or "none",
                            target=_rule_in(r.target) if r.HasField("target") else None,
                        )
                        for r in st.sla
                    ),
                )
                for st in s.steps
            ),
        )
        for s in spec.stages
    )
    return Policy(
        policy_id="",
        tenant_id="",
        kind=spec.kind,
        name=spec.name,
        version=0,
        position=spec.position,
        criteria=spec.criteria,
        is_default=spec.is_default,
        stages=stages,
        locked_fields=tuple(spec.locked_fields),
        skip_repeat_approvers=spec.skip_repeat_approvers,
        allow_batch=spec.allow_batch if spec.HasField("allow_batch") else True,
        recall_while=spec.recall_while or "undecided",
        fallback_user=spec.fallback_user,
    )


def spec_out(p: Policy) -> pb.PolicySpec:
    return pb.PolicySpec(
        kind=p.kind,
        name=p.name,
        position=p.position,
        criteria=p.criteria,
        is_default=p.is_default,
        stages=[
            pb.PolicyStage(
                stage_id=s.stage_id,
                name=s.name,
                steps=[
                    pb.PolicyStep(
                        step_id=st.step_id,
                        name=st.name,
                        approvers=_rule_out(st.approvers),
                        mode=st.mode,
                        k=st.k,
                        ratio_percent=st.ratio_percent,
                        veto=st.veto,
                        on_reject=st.on_reject,
                        send_back_to=st.send_back_to,
                        sla=[
                            pb.SlaRule(
                                impact=r.impact,
                                working_minutes=r.working_minutes,
                                reminders=r.reminders,
                                outcome=r.outcome,
                                target=_rule_out(r.target) if r.target else None,
                            )
                            for r in st.sla
                        ],
                    )
                    for st in s.steps
                ],
            )
            for s in p.stages
        ],
        locked_fields=list(p.locked_fields),
        skip_repeat_approvers=p.skip_repeat_approvers,
        allow_batch=p.allow_batch,
        recall_while=p.recall_while,
        fallback_user=p.fallback_user,
    )


def policy_out(p: Policy) -> pb.ApprovalPolicy:
    return pb.ApprovalPolicy(
        policy_id=p.policy_id,
        version=p.version,
        spec=spec_out(p),
        active=p.active,
        updated_by=p.updated_by,
        updated_at=timestamp(p.updated_at),
    )


def _change_out(c: PolicyChange) -> pb.PolicyVersion:
    return pb.PolicyVersion(
        policy=policy_out(c.policy),
        action=c.action,
        comment=c.comment,
        changed_by=c.changed_by,
        changed_at=timestamp(c.changed_at),
    )


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class PolicyServicer(pb_grpc.ApprovalPolicyServiceServicer):
    def __init__(self, handlers: PolicyHandlers) -> None:
        self.handlers = handlers

    async def CreatePolicy(
        self, request: pb.CreatePolicyRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreatePolicyResponse:
        policy = await self.handlers.create(current_caller(), policy_in(request.spec), request.comment)
        return pb.CreatePolicyResponse(policy=policy_out(policy))

    async def UpdatePolicy(
        self, request: pb.UpdatePolicyRequest, context: grpc.aio.ServicerContext
    ) -> pb.UpdatePolicyResponse:
        policy = await self.handlers.update(
            current_caller(), request.policy_id, request.expected_version, policy_in(request.spec), request.comment
        )
        return pb.UpdatePolicyResponse(policy=policy_out(policy))

    async def DeletePolicy(
        self, request: pb.DeletePolicyRequest, context: grpc.aio.ServicerContext
    ) -> pb.DeletePolicyResponse:
        policy = await self.handlers.delete(current_caller(), request.policy_id, request.comment)
        return pb.DeletePolicyResponse(policy=policy_out(policy))

    async def GetPolicy(self, request: pb.GetPolicyRequest, context: grpc.aio.ServicerContext) -> pb.GetPolicyResponse:
        policy = await self.handlers.get(current_caller(), request.policy_id, request.version)
        return pb.GetPolicyResponse(policy=policy_out(policy))

    async def ListPolicies(
        self, request: pb.ListPoliciesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPoliciesResponse:
        policies = await self.handlers.list(current_caller(), request.kind)
        return pb.ListPoliciesResponse(policies=[policy_out(p) for p in policies])

    async def ListPolicyVersions(
        self, request: pb.ListPolicyVersionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPolicyVersionsResponse:
        changes = await self.handlers.versions(current_caller(), request.policy_id)
        return pb.ListPolicyVersionsResponse(versions=[_change_out(c) for c in changes])

    async def ListPolicyAudit(
        self, request: pb.ListPolicyAuditRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPolicyAuditResponse:
        changes = await self.handlers.audit(current_caller(), request.kind, request.page_size)
        return pb.ListPolicyAuditResponse(
            entries=[
                pb.PolicyAuditEntry(
                    policy_id=c.policy.policy_id,
                    kind=c.policy.kind,
                    name=c.policy.name,
                    version=c.policy.version,
                    action=c.action,
                    comment=c.comment,
                    changed_by=c.changed_by,
                    changed_at=timestamp(c.changed_at),
                )
                for c in changes
            ]
        )

    async def CheckPolicy(
        self, request: pb.CheckPolicyRequest, context: grpc.aio.ServicerContext
    ) -> pb.CheckPolicyResponse:
        checked, fields = await self.handlers.check(current_caller(), policy_in(request.spec))
        return pb.CheckPolicyResponse(spec=spec_out(checked), fields=fields)

    async def DryRunPolicy(
        self, request: pb.DryRunPolicyRequest, context: grpc.aio.ServicerContext
    ) -> pb.DryRunPolicyResponse:
        run = await self.handlers.dry_run(
            current_caller(),
            request.kind,
            dict(request.facts),
            request.subject_type,
            request.subject_id,
            request.requester_id,
            policy_in(request.draft) if request.HasField("draft") else None,
            request.replaces_policy_id,
        )
        chosen = run.choice.policy
        return pb.DryRunPolicyResponse(
            policy=policy_out(chosen),
            reason=run.choice.reason,
            builtin=chosen.policy_id == builtin_default(chosen.tenant_id, chosen.kind).policy_id,
            tried=[
                pb.TriedPolicy(
                    policy_id=t.policy_id,
                    name=t.name,
                    version=t.version,
                    position=t.position,
                    criteria=t.criteria,
                    outcome=t.outcome,
                    detail=t.detail,
                )
                for t in run.choice.tried
            ],
            steps=[
                pb.DryRunStep(
                    stage_id=p.stage_id,
                    step_id=p.step_id,
                    name=p.name,
                    approvers=[pb.DryRunApprover(user_id=u, deputy_for=d) for u, d in p.approvers],
                    note=p.note,
                )
                for p in run.steps
            ],
            facts=[
                pb.PolicyFact(name=k, value=_text(v))
                for k, v in run.facts.items()
                if k in CATALOGUE and v is not None and v != ""
            ],
        )
