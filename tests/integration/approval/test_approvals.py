"""approval as a real process would run: gRPC, database (SQLite and
PostgreSQL), outbox to JetStream, document-versioning and opportunity
(in-process, real gRPC) deciding who may ask for and see a request, the
policies in approval's own tables."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import nats
import pytest
import sqlalchemy as sa
from approval.adapters.orm import approval_requests, approval_timers
from approval.bootstrap import build
from approval.config import Settings
from approval.domain.organisation import Delegation, Department, Member
from approval.domain.policy import ApproverRule, Policy, SlaRule, Stage, Step
from approval.service_layer.uow import ApprovalUnitOfWork
from crm.approval.v1 import approval_pb2 as pb
from crm.approval.v1 import approval_pb2_grpc as pb_grpc
from crm.document_versioning.v1 import document_versioning_pb2 as docs_pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as docs_grpc
from crm.events.v1 import approval_pb2 as events
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.business_calendar import BusinessCalendar
from crm_shared.clock import as_utc
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from crm_shared.ids import new_id

from tests.integration.gateway.conftest import nowhere, other_backend
from tests.support.infra import RunningService, eventually, migrate, run_service
from tests.support.subjects import Opportunities, opportunity_service, reserve

TENANT = "tenant-a"
REP = Caller(TENANT, "rep-1", "rep")
REP_B = Caller(TENANT, "rep-2", "rep")
MANAGER = Caller(TENANT, "mgr-1", "manager")  # manages rep-1
OTHER_MANAGER = Caller(TENANT, "mgr-2", "manager")  # manages rep-2
TECH = Caller(TENANT, "tech-1", "rep")  # 技术部: sees no opportunity of rep-1, but may hold a task
PROD = Caller(TENANT, "prod-1", "reviewer")
FINANCE = Caller(TENANT, "fin-1", "finance")
PARTNER = Caller(TENANT, "partner-1", "partner")
SYSTEM = Caller(TENANT, "opportunity", "system")
OTHER_TENANT = Caller("tenant-b", "mgr-9", "manager")


def step(step_id: str, user: str = "", *, department: str = "", mode: str = "all", **kw) -> Step:
    rule = ApproverRule("user", user) if user else ApproverRule("department_members", department)
    return Step(step_id=step_id, name=step_id, approvers=rule, mode=mode, **kw)


@dataclass
class Stack:
    svc: RunningService
    opps: Opportunities
    docs: RunningService

    @property
    def stub(self) -> pb_grpc.ApprovalServiceStub:
        return pb_grpc.ApprovalServiceStub(self.svc.channel)

    async def opp(self, key: str, owner: Caller = REP) -> str:
        return await self.opps.id_of(key, owner)

    async def policy(self, kind: str, *stages: tuple[Step, ...], tenant: str = TENANT, **kw) -> None:
        """The kind's default policy in approval's own tables."""
        policy = Policy(
            policy_id=new_id(), tenant_id=tenant, kind=kind, name=f"{kind} 审批", version=1, position=0, criteria="",
            is_default=True, stages=tuple(Stage(f"s{i}", f"第{i + 1}级", st) for i, st in enumerate(stages)),
            updated_by="admin", updated_at=datetime.now(UTC), **kw,
        )
        async with ApprovalUnitOfWork(self.svc.runtime.db) as uow:
            assert await uow.policies.add(policy, "test")
            await uow.commit()

    async def department(self, department_id: str, name: str, head: str, *members: str) -> None:
        department = Department(
            department_id=department_id, tenant_id=TENANT, name=name, head_id=head,
            members=tuple(Member(m) for m in (head, *members)), version=1, updated_by="admin",
            updated_at=datetime.now(UTC),
        )
        async with ApprovalUnitOfWork(self.svc.runtime.db) as uow:
            assert await uow.departments.add(department)
            await uow.commit()

    async def upload(self, opportunity_id: str, content: bytes, document_id: str = "",
                     caller: Caller = REP) -> docs_pb.DocumentVersion:
        stub = docs_grpc.DocumentVersioningServiceStub(self.docs.channel)
        request = docs_pb.UploadVersionRequest(
            document_id=document_id, opportunity_id=opportunity_id, doc_type="技术方案", title="技术方案",
            filename="方案.pdf", content=content,
        )
        return (await stub.UploadVersion(request, metadata=caller.metadata())).version

    async def stored(self) -> int:
        async with self.svc.runtime.db.sessions() as s:
            return await s.scalar(sa.select(sa.func.count()).select_from(approval_requests))


@pytest.fixture
async def service(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    await migrate("approval", database_url)
    opportunity = reserve()
    async with (
        other_backend("document_versioning", nats_url, tmp_path, opportunity_addr=opportunity.address) as docs,
        run_service(
            build, Settings, nats_url=nats_url, database_url=database_url,
            opportunity_addr=opportunity.address, document_versioning_addr=docs.address,
        ) as running,opportunity_service(
        nats_url, database_url, tmp_path, opportunity,
        approval_addr=running.address, document_versioning_addr=docs.address,
    ) as opps
    ):
        await opps.announce_reps(TENANT, {"rep-1": "mgr-1", "rep-2": "mgr-2"})
        yield Stack(running, opps, docs)


@pytest.fixture
async def events_of(nats_url: str):
    """Subscribe (before the test acts) to new events on a subject; returns their envelopes as they come."""
    nc = await nats.connect(nats_url)

    async def subscribe(subject: str):
        return await nc.jetstream().subscribe(
            subject, ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
        )

    yield subscribe
    await nc.close()


async def refused(call) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call
    return err.value


async def submit(s: Stack, key: str, caller: Caller = REP, owner: Caller = REP, kind: str = "quote",
                 **fields) -> pb.ApprovalRequest:
    subject_id = fields.pop("subject_id", None) or await s.opp(key, owner)
    request = pb.SubmitApprovalRequest(kind=kind, subject_type="opportunity", subject_id=subject_id,
                                       reason=fields.pop("reason", "折扣 15% 超出权限"), **fields)
    return (await s.stub.SubmitApproval(request, metadata=caller.metadata())).approval


async def detail(s: Stack, approval_id: str, caller: Caller = REP) -> pb.GetApprovalResponse:
    return await s.stub.GetApproval(pb.GetApprovalRequest(approval_id=approval_id), metadata=caller.metadata())


async def task_of(s: Stack, approval_id: str, user: str, status: str = "pending") -> str:
    tasks = (await detail(s, approval_id)).tasks
    return next(t.task_id for t in tasks if t.assignee == user and t.status == status)


def act(s: Stack, task_id: str, caller: Caller, action=pb.TASK_ACTION_APPROVE, **fields):
    return s.stub.ActOnTask(pb.ActOnTaskRequest(task_id=task_id, action=action, **fields), metadata=caller.metadata())


async def drain(sub, approval_id: str, quiet: float = 1.0) -> list[Envelope]:
    """Every envelope about approval_id until none has come for `quiet` seconds."""
    found = []
    while True:
        try:
            msg = await sub.next_msg(timeout=quiet)
        except nats.errors.TimeoutError:
            return found
        envelope = Envelope.FromString(msg.data)
        if envelope.aggregate_id == approval_id:
            found.append(envelope)


async def test_the_default_policy_asks_the_requesters_manager_and_the_decision_is_published(service, events_of) -> None:
    s = service
    decided_sub = await events_of("crm.approval.decided")
    assigned_sub = await events_of("crm.approval.task_assigned")

    async def profiled() -> bool:
        async with ApprovalUnitOfWork(s.svc.runtime.db) as uow:
            return bool(await uow.profiles.chain(TENANT, "rep-1", 1))

    await eventually(profiled)
    approval = await submit(s, "opp-1")
    assert (approval.status, approval.kind, approval.stale, approval.tenant_id) == ("pending", "quote", False, TENANT)
    [assigned] = [unpack(e, events.ApprovalTaskAssigned) for e in await drain(assigned_sub, approval.approval_id)]
    assert assigned.assignee == "mgr-1"
    got = await detail(s, approval.approval_id, FINANCE)
    assert [(t.assignee, t.status) for t in got.tasks] == [("mgr-1", "pending")]
    assert [h.action for h in got.history][:2] == ["submitted", "stage_started"]

    # Only the task's holder acts on it; the requester never decides their own.
    assert (await refused(act(s, assigned.task_id, REP))).code() == grpc.StatusCode.NOT_FOUND
    assert (await refused(act(s, assigned.task_id, OTHER_TENANT))).code() == grpc.StatusCode.NOT_FOUND
    acted = await act(s, assigned.task_id, MANAGER, comment="同意，注意回款")
    assert (acted.approval.status, acted.approval.decided_by, acted.approval.comment) == (
        "approved", "mgr-1", "同意，注意回款")
    [event] = [unpack(e, events.ApprovalDecided) for e in await drain(decided_sub, approval.approval_id)]
    assert (event.approval_id, event.subject_id, event.decision, event.decided_by, event.comment, event.kind) == (
        approval.approval_id, approval.subject_id, "approved", "mgr-1", "同意，注意回款", "quote")
    task = (await detail(s, approval.approval_id)).tasks[0]
    assert task.HasField("decided_at") and task.dwell_seconds >= 0

    # The gates ask by kind.
    ask = pb.GetLatestApprovalRequest(subject_type="opportunity", subject_id=approval.subject_id, kind="quote")
    latest = (await s.stub.GetLatestApproval(ask, metadata=SYSTEM.metadata())).approval
    assert (latest.approval_id, latest.status, latest.stale) == (approval.approval_id, "approved", False)
    ask.kind = "contract"
    assert not (await s.stub.GetLatestApproval(ask, metadata=SYSTEM.metadata())).HasField("approval")


async def test_bad_submits_are_refused_with_fields_named_and_nothing_stored(service) -> None:
    s = service
    bad = pb.SubmitApprovalRequest(subject_type="lead", kind="bribe", document_sha256="xyz")
    remote = decode_rpc_error(await refused(s.stub.SubmitApproval(bad, metadata=REP.metadata())))
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in remote.field_violations} == {"kind", "subject_type", "subject_id", "document_sha256"}
    opp = await s.opp("opp-1")
    given = [pb.Fact(name="amount_minor", value="1")]
    remote = decode_rpc_error(await refused(submit(s, "opp-1", subject_id=opp, given=given)))
    assert [v.field for v in remote.field_violations] == ["given.amount_minor"]
    assert (await refused(submit(s, "opp-1", FINANCE))).code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await refused(submit(s, "opp-1", PARTNER))).code() == grpc.StatusCode.PERMISSION_DENIED
    for subject_id in ("no-such-opportunity", await s.opp("theirs", OTHER_TENANT)):
        assert (await refused(submit(s, "x", subject_id=subject_id))).code() == grpc.StatusCode.NOT_FOUND
    assert await s.stored() == 0


async def test_one_pending_request_per_subject_and_kind_even_when_submits_race(service) -> None:
    s = service
    await s.policy("quote", (step("a", "mgr-1"),))
    await s.opp("opp-race")
    results = await asyncio.gather(*(submit(s, "opp-race") for _ in range(4)), return_exceptions=True)
    won = [r for r in results if isinstance(r, pb.ApprovalRequest)]
    assert len(won) == 1
    assert {r.code() for r in results if isinstance(r, grpc.aio.AioRpcError)} == {grpc.StatusCode.FAILED_PRECONDITION}
    remote = decode_rpc_error(await refused(submit(s, "opp-race", MANAGER)))
    assert won[0].approval_id in remote.message
    # Another kind of request on the same subject is its own.
    assert (await submit(s, "opp-race", kind="discount")).status == "pending"


async def test_two_actions_at_the_same_moment_exactly_one_wins(service, events_of) -> None:
    s = service
    sub = await events_of("crm.approval.decided")
    await s.policy("quote", (step("a", department="qa", mode="any"),))
    other_reviewer = Caller(TENANT, "rev-2", "reviewer")
    await s.department("qa", "质量部", "prod-1", "rev-2")
    approval = await submit(s, "opp-5")
    tasks = {t.assignee: t.task_id for t in (await detail(s, approval.approval_id)).tasks}
    assert set(tasks) == {"prod-1", "rev-2"}
    # 或签: both approvers answer at once; the first answer decides, the other hears it is decided.
    results = await asyncio.gather(
        act(s, tasks["prod-1"], PROD, pb.TASK_ACTION_APPROVE),
        act(s, tasks["rev-2"], other_reviewer, pb.TASK_ACTION_REJECT),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, pb.ActOnTaskResponse)]
    lost = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].code() in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.ABORTED)
    published = await drain(sub, approval.approval_id)
    assert [unpack(e, events.ApprovalDecided).decision for e in published] == [won[0].approval.status]
    # One holder answering twice at once (two devices): one answer.
    second = await submit(s, "opp-6")
    task = await task_of(s, second.approval_id, "prod-1")
    results = await asyncio.gather(act(s, task, PROD), act(s, task, PROD, pb.TASK_ACTION_REJECT),
                                   return_exceptions=True)
    assert len([r for r in results if isinstance(r, pb.ActOnTaskResponse)]) == 1


async def test_who_may_see_a_request_follows_its_subject_or_a_place_on_it(service) -> None:
    s = service
    await s.policy("technical_proposal", (step("tech", "tech-1"),))
    approval = await submit(s, "opp-a", kind="technical_proposal")
    # Rep B and another team's manager cannot see rep-1's opportunity: its request is "not found" to them.
    for outsider in (REP_B, OTHER_MANAGER, OTHER_TENANT):
        err = await refused(detail(s, approval.approval_id, outsider))
        assert err.code() == grpc.StatusCode.NOT_FOUND and approval.subject_id not in (err.details() or "")
    assert (await refused(detail(s, approval.approval_id, PARTNER))).code() == grpc.StatusCode.PERMISSION_DENIED
    # 技术部's rep holds a task: they read the request and act, though the opportunity is not theirs.
    assert (await detail(s, approval.approval_id, TECH)).approval.reason == "折扣 15% 超出权限"
    # 抄送 gives rep B read access, with no task.
    cc = await s.stub.CopyApproval(pb.CopyApprovalRequest(approval_id=approval.approval_id, users=["rep-2"]),
                                   metadata=TECH.metadata())
    assert list(cc.cc_users) == ["rep-2"]
    got = await detail(s, approval.approval_id, REP_B)
    assert [t.assignee for t in got.tasks] == ["tech-1"] and "copied" in [h.action for h in got.history]
    task = await task_of(s, approval.approval_id, "tech-1")
    assert (await refused(act(s, task, REP_B))).code() == grpc.StatusCode.NOT_FOUND
    assert (await act(s, task, TECH, comment="工艺可行")).approval.status == "approved"


async def test_a_newer_document_version_voids_a_pending_request_and_stales_an_approved_one(
    service, events_of
) -> None:
    s = service
    voided_sub = await events_of("crm.approval.voided")
    notices_sub = await events_of("crm.notification.requested")
    await s.policy("technical_proposal", (step("tech", "tech-1"),))
    opp = await s.opp("opp-doc")
    v1 = await s.upload(opp, b"proposal v1")
    # The sha256 must be the version's own.
    remote = decode_rpc_error(await refused(submit(s, "opp-doc", kind="technical_proposal",
                                                   document_version_id=v1.version_id, document_sha256="0" * 64)))
    assert [v.field for v in remote.field_violations] == ["document_sha256"]
    pending = await submit(s, "opp-doc", kind="technical_proposal", document_version_id=v1.version_id,
                           document_sha256=v1.sha256)
    assert pending.document_sha256 == v1.sha256
    v2 = await s.upload(opp, b"proposal v2", document_id=v1.document_id)

    async def status_of(approval_id: str) -> pb.ApprovalRequest:
        return (await detail(s, approval_id)).approval

    await eventually(lambda: _is(status_of(pending.approval_id), "voided"))
    [voided] = [unpack(e, events.ApprovalVoided) for e in await drain(voided_sub, pending.approval_id)]
    assert (voided.approved_version_id, voided.new_version_id, voided.new_sha256) == (
        v1.version_id, v2.version_id, v2.sha256)
    assert [t.status for t in (await detail(s, pending.approval_id)).tasks] == ["cancelled"]
    # The requester and the approver are told, naming both versions.
    notices = [unpack(e, NotificationRequested) for e in await drain(notices_sub, pending.approval_id)]
    voided_notices = {n.recipient_id: n.body for n in notices if n.kind == "approval_voided"}
    assert set(voided_notices) == {"rep-1", "tech-1"}
    assert v1.version_id in voided_notices["rep-1"] and v2.version_id in voided_notices["rep-1"]
    assert [n.recipient_id for n in notices if n.kind == "approval_task"] == ["tech-1"]

    approved = await submit(s, "opp-doc", kind="technical_proposal", document_version_id=v2.version_id)
    await act(s, await task_of(s, approved.approval_id, "tech-1"), TECH)
    await s.upload(opp, b"proposal v3", document_id=v1.document_id)

    async def stale() -> bool:
        return (await status_of(approved.approval_id)).stale

    await eventually(stale)
    ask = pb.GetLatestApprovalRequest(subject_type="opportunity", subject_id=opp, kind="technical_proposal")
    latest = (await s.stub.GetLatestApproval(ask, metadata=SYSTEM.metadata())).approval
    assert (latest.approval_id, latest.status, latest.stale) == (approved.approval_id, "approved", True)


async def test_a_task_is_timed_by_its_steps_sla_and_a_deputy_takes_it_in_a_delegation_window(service) -> None:
    s = service
    major = SlaRule(impact="涉及停产", working_minutes=120, outcome="escalate",
                    target=ApproverRule("department_head", "prod"))
    await s.policy("quote", (step("a", "mgr-1", sla=(major, SlaRule(impact="", working_minutes=480))),))
    now = datetime.now(UTC)
    async with ApprovalUnitOfWork(s.svc.runtime.db) as uow:  # mgr-1 is away; rev-1 stands in
        await uow.delegations.add(Delegation(
            delegation_id=new_id(), tenant_id=TENANT, user_id="mgr-1", deputy_id="rev-1",
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1), reason="出差",
            created_by="mgr-1", created_at=now))
        await uow.commit()
    approval = await submit(s, "opp-sla", impact_scope="涉及停产")
    [task] = (await detail(s, approval.approval_id)).tasks
    assert (task.assignee, task.original_assignee, task.status) == ("rev-1", "mgr-1", "pending")
    assert "substituted" in [h.action for h in (await detail(s, approval.approval_id)).history]
    due = task.due_at.ToDatetime(tzinfo=UTC)
    expected = BusinessCalendar().add_working_time(task.started_at.ToDatetime(tzinfo=UTC), timedelta(minutes=120))
    assert abs((due - expected).total_seconds()) < 1

    async def timer() -> tuple[str, datetime] | None:
        async with s.svc.runtime.db.sessions() as session:
            row = (await session.execute(sa.select(approval_timers.c.status, approval_timers.c.due_at)
                                         .where(approval_timers.c.task_id == task.task_id))).first()
        return row and (row[0], as_utc(row[1]))

    assert await timer() == ("scheduled", due)
    await act(s, task.task_id, Caller(TENANT, "rev-1", "reviewer"), comment="代批：同意")
    assert (await timer())[0] == "cancelled"


async def _is(reply, status: str) -> bool:
    return (await reply).status == status


async def test_without_opportunity_nothing_is_asked_for(nats_url: str, database_url: str) -> None:
    await migrate("approval", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, opportunity_addr=nowhere(), access_timeout_s=1.0
    ) as running:
        stub = pb_grpc.ApprovalServiceStub(running.channel)
        request = pb.SubmitApprovalRequest(kind="quote", subject_type="opportunity", subject_id="opp-1", reason="折扣")
        assert (await refused(stub.SubmitApproval(request, metadata=REP.metadata()))).code() == (
            grpc.StatusCode.UNAVAILABLE
        )
        async with running.runtime.db.sessions() as session:
            assert await session.scalar(sa.select(sa.func.count()).select_from(approval_requests)) == 0
