"""approval as a real process would run: gRPC, database, outbox to JetStream."""

from __future__ import annotations

import asyncio

import grpc
import nats
import pytest

from approval.bootstrap import build
from approval.config import Settings
from crm.approval.v1 import approval_pb2 as pb
from crm.approval.v1 import approval_pb2_grpc as pb_grpc
from crm.events.v1 import approval_pb2 as events
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from tests.support.infra import migrate, run_service

REP = Caller("tenant-a", "rep-1", "rep")
MANAGER = Caller("tenant-a", "mgr-1", "manager")
REVIEWER = Caller("tenant-a", "rev-1", "reviewer")
FINANCE = Caller("tenant-a", "fin-1", "finance")
OTHER_TENANT = Caller("tenant-b", "mgr-9", "manager")


@pytest.fixture
async def service(nats_url: str, database_url: str):
    await migrate("approval", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as running:
        yield running


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


async def submit(stub, subject_id: str, caller: Caller = REP) -> pb.ApprovalRequest:
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
    approval = await submit(stub, "opp-1")
    assert (approval.status, approval.requested_by, approval.tenant_id) == ("pending", "rep-1", "tenant-a")

    msg = await sub.next_msg(timeout=10)
    envelope = Envelope.FromString(msg.data)
    assert msg.headers["Nats-Msg-Id"] == envelope.event_id
    event = unpack(envelope, events.ApprovalRequested)
    assert (envelope.tenant_id, event.approval_id, event.subject_id) == ("tenant-a", approval.approval_id, "opp-1")

    assert (await get(stub, approval.approval_id, FINANCE)).reason == "折扣 15% 超出权限"
    err = await refused(get(stub, approval.approval_id, OTHER_TENANT))
    assert err.code() == grpc.StatusCode.NOT_FOUND


async def test_bad_submit_is_refused_with_fields_named_and_nothing_stored(service) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    err = await refused(stub.SubmitApproval(pb.SubmitApprovalRequest(subject_type="lead"), metadata=REP.metadata()))
    remote = decode_rpc_error(err)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in remote.field_violations} == {"subject_type", "subject_id"}
    err = await refused(submit(stub, "opp-1", FINANCE))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    # Neither refusal left a pending request behind.
    assert (await submit(stub, "opp-1")).status == "pending"


async def test_second_pending_request_for_a_subject_is_refused_naming_the_first(service) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    first = await submit(stub, "opp-2")
    err = await refused(submit(stub, "opp-2", MANAGER))
    remote = decode_rpc_error(err)
    assert remote.code == grpc.StatusCode.FAILED_PRECONDITION and first.approval_id in remote.message
    assert [v.subject for v in remote.precondition_violations] == [first.approval_id]
    # Another tenant's subject with the same id is unrelated.
    await submit(stub, "opp-2", OTHER_TENANT)
    # Once decided, the subject may be submitted again.
    await decide(stub, first.approval_id, MANAGER, pb.DECISION_REJECT)
    assert (await submit(stub, "opp-2")).approval_id != first.approval_id


async def test_concurrent_submits_leave_one_pending_request(service) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    results = await asyncio.gather(*(submit(stub, "opp-race") for _ in range(4)), return_exceptions=True)
    assert len([r for r in results if isinstance(r, pb.ApprovalRequest)]) == 1
    assert {r.code() for r in results if isinstance(r, grpc.aio.AioRpcError)} == {grpc.StatusCode.FAILED_PRECONDITION}


async def test_decision_is_stored_and_published(service, events_of) -> None:
    stub = pb_grpc.ApprovalServiceStub(service.channel)
    sub = await events_of("crm.approval.decided")
    approval = await submit(stub, "opp-3")
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
    own = await submit(stub, "opp-4", MANAGER)

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
    approval = await submit(stub, "opp-5")
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
