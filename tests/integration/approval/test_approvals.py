"""approval as a real process would run: gRPC, database, outbox to
JetStream, and opportunity (in-process, real gRPC) deciding who may ask
for, see and decide an approval of an opportunity."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import nats
import pytest
import sqlalchemy as sa

from approval.adapters.orm import approvals
from approval.bootstrap import build
from approval.config import Settings
from crm.approval.v1 import approval_pb2 as pb
from crm.approval.v1 import approval_pb2_grpc as pb_grpc
from crm.document_versioning.v1 import document_versioning_pb2 as docs_pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as docs_grpc
from crm.events.v1 import approval_pb2 as events
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from tests.integration.gateway.conftest import nowhere, other_backend
from tests.support.infra import RunningService, migrate, run_service
from tests.support.subjects import Opportunities, opportunity_service, reserve

REP = Caller("tenant-a", "rep-1", "rep")
REP_B = Caller("tenant-a", "rep-2", "rep")
MANAGER = Caller("tenant-a", "mgr-1", "manager")  # manages rep-1
OTHER_MANAGER = Caller("tenant-a", "mgr-2", "manager")  # manages rep-2
REVIEWER = Caller("tenant-a", "rev-1", "reviewer")
FINANCE = Caller("tenant-a", "fin-1", "finance")
PARTNER = Caller("tenant-a", "partner-1", "partner")
SYSTEM = Caller("tenant-a", "opportunity", "system")
OTHER_TENANT = Caller("tenant-b", "mgr-9", "manager")


@dataclass
class Stack:
    svc: RunningService
    opps: Opportunities
    docs: RunningService

    async def document_version(self, opportunity_id: str, caller: Caller = REP) -> str:
        stub = docs_grpc.DocumentVersioningServiceStub(self.docs.channel)
        request = docs_pb.UploadVersionRequest(
            opportunity_id=opportunity_id, doc_type="报价单", title="报价单", filename="报价单.pdf", content=b"quote"
        )
        return (await stub.UploadVersion(request, metadata=caller.metadata())).version.version_id

    @property
    def channel(self) -> grpc.aio.Channel:
        return self.svc.channel

    async def opp(self, key: str, owner: Caller = REP) -> str:
        return await self.opps.id_of(key, owner)

    async def stored(self) -> int:
        async with self.svc.runtime.db.sessions() as s:
            return await s.scalar(sa.select(sa.func.count()).select_from(approvals))


@pytest.fixture
async def service(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    await migrate("approval", database_url)
    opportunity = reserve()
    async with (
        other_backend("document_versioning", nats_url, tmp_path, opportunity_addr=opportunity.address) as docs,
        run_service(
            build, Settings, nats_url=nats_url, database_url=database_url,
            opportunity_addr=opportunity.address, document_versioning_addr=docs.address,
        ) as running,
    ):
        async with opportunity_service(
            nats_url, database_url, tmp_path, opportunity,
            approval_addr=running.address, document_versioning_addr=docs.address,
        ) as opps:
            await opps.announce_reps("tenant-a", {"rep-1": "mgr-1", "rep-2": "mgr-2"})
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


async def submit(s: Stack, key: str, caller: Caller = REP, owner: Caller = REP) -> pb.ApprovalRequest:
    """A request by `caller` about the opportunity the test calls `key` (owned by `owner`)."""
    stub = pb_grpc.ApprovalServiceStub(s.channel)
    subject_id = await s.opp(key, owner)
    response = await stub.SubmitApproval(
        pb.SubmitApprovalRequest(subject_type="opportunity", subject_id=subject_id, reason="折扣 15% 超出权限"),
        metadata=caller.metadata(),
    )
    return response.approval


def decide(stub, approval_id: str, caller: Caller, decision=pb.DECISION_APPROVE):
    request = pb.DecideApprovalRequest(approval_id=approval_id, decision=decision)
    return stub.DecideApproval(request, metadata=caller.metadata())


async def get(stub, approval_id: str, caller: Caller) -> pb.ApprovalRequest:
    return (await stub.GetApproval(pb.GetApprovalRequest(approval_id=approval_id), metadata=caller.metadata())).approval


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


async def test_submitted_request_is_stored_and_published(service, events_of) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    sub = await events_of("crm.approval.requested")
    approval = await submit(service, "opp-1")
    assert (approval.status, approval.requested_by, approval.tenant_id) == ("pending", "rep-1", "tenant-a")

    msg = await sub.next_msg(timeout=10)
    envelope = Envelope.FromString(msg.data)
    assert msg.headers["Nats-Msg-Id"] == envelope.event_id
    event = unpack(envelope, events.ApprovalRequested)
    assert (envelope.tenant_id, event.approval_id, event.subject_id) == (
        "tenant-a", approval.approval_id, await service.opp("opp-1")
    )

    assert (await get(stub, approval.approval_id, FINANCE)).reason == "折扣 15% 超出权限"
    err = await refused(get(stub, approval.approval_id, OTHER_TENANT))
    assert err.code() == grpc.StatusCode.NOT_FOUND


async def test_bad_submit_is_refused_with_fields_named_and_nothing_stored(service) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    err = await refused(stub.SubmitApproval(pb.SubmitApprovalRequest(subject_type="lead"), metadata=REP.metadata()))
    remote = decode_rpc_error(err)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in remote.field_violations} == {"subject_type", "subject_id"}
    err = await refused(submit(service, "opp-1", FINANCE))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    # Neither refusal left a pending request behind.
    assert (await submit(service, "opp-1")).status == "pending"


async def test_second_pending_request_for_a_subject_is_refused_naming_the_first(service) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    first = await submit(service, "opp-2")
    err = await refused(submit(service, "opp-2", MANAGER))
    remote = decode_rpc_error(err)
    assert remote.code == grpc.StatusCode.FAILED_PRECONDITION and first.approval_id in remote.message
    assert [v.subject for v in remote.precondition_violations] == [first.approval_id]
    # Another tenant's subject with the same id is unrelated.
    await submit(service, "theirs", OTHER_TENANT, owner=OTHER_TENANT)
    # Once decided, the subject may be submitted again.
    await decide(stub, first.approval_id, MANAGER, pb.DECISION_REJECT)
    assert (await submit(service, "opp-2")).approval_id != first.approval_id


async def test_concurrent_submits_leave_one_pending_request(service) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    await service.opp("opp-race")
    results = await asyncio.gather(*(submit(service, "opp-race") for _ in range(4)), return_exceptions=True)
    assert len([r for r in results if isinstance(r, pb.ApprovalRequest)]) == 1
    assert {r.code() for r in results if isinstance(r, grpc.aio.AioRpcError)} == {grpc.StatusCode.FAILED_PRECONDITION}


async def test_decision_is_stored_and_published(service, events_of) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    sub = await events_of("crm.approval.decided")
    approval = await submit(service, "opp-3")
    decided = await stub.DecideApproval(
        pb.DecideApprovalRequest(approval_id=approval.approval_id, decision=pb.DECISION_APPROVE, comment="同意，注意回款"),
        metadata=REVIEWER.metadata(),
    )
    assert (decided.approval.status, decided.approval.decided_by) == ("approved", "rev-1")
    assert decided.approval.HasField("decided_at")
    event = unpack(Envelope.FromString((await sub.next_msg(timeout=10)).data), events.ApprovalDecided)
    assert (event.approval_id, event.decision, event.decided_by, event.comment) == (
        approval.approval_id, "approved", "rev-1", "同意，注意回款"
    )
    assert (await get(stub, approval.approval_id, REP)).status == "approved"


async def test_decision_refusals_change_nothing(service) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    own = await submit(service, "opp-4", MANAGER)

    async def code_of(caller: Caller, decision=pb.DECISION_APPROVE, approval_id: str = own.approval_id):
        return (await refused(decide(stub, approval_id, caller, decision))).code()

    remote = decode_rpc_error(await refused(decide(stub, own.approval_id, REVIEWER, pb.DECISION_UNSPECIFIED)))
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in remote.field_violations] == ["decision"]
    assert await code_of(REP) == grpc.StatusCode.PERMISSION_DENIED
    assert await code_of(FINANCE) == grpc.StatusCode.PERMISSION_DENIED
    assert await code_of(MANAGER) == grpc.StatusCode.PERMISSION_DENIED  # their own request
    assert await code_of(OTHER_TENANT) == grpc.StatusCode.NOT_FOUND
    assert await code_of(REVIEWER, approval_id="missing") == grpc.StatusCode.NOT_FOUND
    still = await get(stub, own.approval_id, MANAGER)
    assert (still.status, still.decided_by) == ("pending", "")

    await decide(stub, own.approval_id, REVIEWER, pb.DECISION_REJECT)
    assert await code_of(Caller("tenant-a", "admin-1", "admin")) == grpc.StatusCode.FAILED_PRECONDITION


async def test_concurrent_decisions_exactly_one_wins(service, events_of) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    sub = await events_of("crm.approval.decided")
    approval = await submit(service, "opp-5")
    results = await asyncio.gather(
        decide(stub, approval.approval_id, MANAGER, pb.DECISION_APPROVE),
        decide(stub, approval.approval_id, REVIEWER, pb.DECISION_REJECT),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, pb.DecideApprovalResponse)]
    lost = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].code() in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.ABORTED)
    published = await drain(sub, approval.approval_id)
    assert len(published) == 1
    assert unpack(published[0], events.ApprovalDecided).decision == won[0].approval.status
    assert (await get(stub, approval.approval_id, REP)).decided_by == won[0].approval.decided_by


async def test_who_may_ask_see_and_decide_follows_who_may_see_the_subject(service) -> None:
    s = service
    stub = pb_grpc.ApprovalServiceStub(s.channel)
    opp_a = await s.opp("opp-a")
    approval = await submit(s, "opp-a")

    # Rep B and a manager of another team cannot see rep A's opportunity: its approval is "not found" to them.
    for outsider in (REP_B, OTHER_MANAGER):
        err = await refused(get(stub, approval.approval_id, outsider))
        assert err.code() == grpc.StatusCode.NOT_FOUND
        assert opp_a not in (err.details() or "")
        latest = pb.GetLatestApprovalRequest(subject_type="opportunity", subject_id=opp_a)
        err = await refused(stub.GetLatestApproval(latest, metadata=outsider.metadata()))
        assert err.code() == grpc.StatusCode.NOT_FOUND
    # Nor may the other team's manager decide it, nor rep B ask about the opportunity.
    assert (await refused(decide(stub, approval.approval_id, OTHER_MANAGER))).code() == grpc.StatusCode.NOT_FOUND
    assert (await refused(submit(s, "opp-b-asks", REP_B, owner=REP))).code() == grpc.StatusCode.NOT_FOUND
    # Partners get nothing of approvals.
    assert (await refused(get(stub, approval.approval_id, PARTNER))).code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await refused(submit(s, "opp-a", PARTNER))).code() == grpc.StatusCode.PERMISSION_DENIED
    # An opportunity id that does not exist, and another tenant's, are alike not found; nothing is stored.
    theirs = await s.opp("theirs", OTHER_TENANT)
    for subject_id in ("no-such-opportunity", theirs):
        request = pb.SubmitApprovalRequest(subject_type="opportunity", subject_id=subject_id, reason="越权")
        err = await refused(stub.SubmitApproval(request, metadata=REP.metadata()))
        assert err.code() == grpc.StatusCode.NOT_FOUND
    assert await s.stored() == 1
    still = await get(stub, approval.approval_id, REP)
    assert (still.status, still.decided_by) == ("pending", "")

    # The owner's manager, reviewers and finance see it; the owner's manager decides.
    assert (await get(stub, approval.approval_id, FINANCE)).reason == "折扣 15% 超出权限"
    assert (await get(stub, approval.approval_id, REVIEWER)).requested_by == "rep-1"
    decided = await decide(stub, approval.approval_id, MANAGER)
    assert decided.approval.status == "approved"
    # Opportunity's stage gates (a system caller) read the latest request.
    latest = pb.GetLatestApprovalRequest(subject_type="opportunity", subject_id=opp_a)
    assert (await stub.GetLatestApproval(latest, metadata=SYSTEM.metadata())).approval.status == "approved"


async def test_without_opportunity_nothing_is_asked_for_or_decided(nats_url: str, database_url: str) -> None:
    await migrate("approval", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, opportunity_addr=nowhere(), access_timeout_s=1.0
    ) as running:
        stub = pb_grpc.ApprovalServiceStub(running.channel)
        request = pb.SubmitApprovalRequest(subject_type="opportunity", subject_id="opp-1", reason="折扣")
        assert (await refused(stub.SubmitApproval(request, metadata=REP.metadata()))).code() == (
            grpc.StatusCode.UNAVAILABLE
        )
        async with running.runtime.db.sessions() as session:
            assert await session.scalar(sa.select(sa.func.count()).select_from(approvals)) == 0


async def test_latest_approval_of_a_subject(service) -> None:
    """What opportunity's stage gates ask (as the tenant's system caller): the newest request of the subject."""
    s = service
    stub = pb_grpc.ApprovalServiceStub(s.channel)
    ask = pb.GetLatestApprovalRequest(subject_type="opportunity", subject_id=await s.opp("opp-1"))
    assert not (await stub.GetLatestApproval(ask, metadata=SYSTEM.metadata())).HasField("approval")
    first = await submit(s, "opp-1")
    await decide(stub, first.approval_id, MANAGER, pb.DECISION_REJECT)
    second = await submit(s, "opp-1")
    latest = (await stub.GetLatestApproval(ask, metadata=SYSTEM.metadata())).approval
    assert (latest.approval_id, latest.status) == (second.approval_id, "pending")
    assert (await stub.GetLatestApproval(ask, metadata=REP.metadata())).approval.approval_id == second.approval_id
    bad = pb.GetLatestApprovalRequest(subject_type="lead", subject_id="x")
    remote = decode_rpc_error(await refused(stub.GetLatestApproval(bad, metadata=REP.metadata())))
    assert [v.field for v in remote.field_violations] == ["subject_type"]


async def test_a_request_points_only_at_a_document_of_its_own_opportunity(service) -> None:
    s = service
    stub = pb_grpc.ApprovalServiceStub(s.channel)
    mine, other = await s.opp("opp-1"), await s.opp("opp-2")
    theirs = await s.opp("theirs", OTHER_TENANT)
    own_quote = await s.document_version(mine)
    for version_id in (
        await s.document_version(other),  # the same rep's other opportunity
        await s.document_version(theirs, OTHER_TENANT),  # another tenant's
        "no-such-version",
    ):
        request = pb.SubmitApprovalRequest(
            subject_type="opportunity", subject_id=mine, document_version_id=version_id, reason="报价审批"
        )
        remote = decode_rpc_error(await refused(stub.SubmitApproval(request, metadata=REP.metadata())))
        assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
        assert [v.field for v in remote.field_violations] == ["document_version_id"]
    assert await s.stored() == 0
    request = pb.SubmitApprovalRequest(
        subject_type="opportunity", subject_id=mine, document_version_id=own_quote, reason="报价审批"
    )
    approval = (await stub.SubmitApproval(request, metadata=REP.metadata())).approval
    assert approval.document_version_id == own_quote
