"""ApprovalLockService over real gRPC and databases (SQLite and PostgreSQL):
the fields pending requests lock, for backend callers only; a decision frees
them; opportunity refuses to change a field when approval cannot say (fails
closed, nothing changed)."""

from __future__ import annotations

from pathlib import Path

import grpc
from crm.approval.v1 import approval_pb2 as pb
from crm.approval.v1 import lock_pb2, lock_pb2_grpc
from crm.common.v1.common_pb2 import Money
from crm.opportunity.v1 import opportunity_pb2 as opp_pb
from crm.opportunity.v1 import opportunity_pb2_grpc as opp_grpc
from crm_shared.context import Caller

from tests.integration.approval.test_approvals import (  # noqa: F401 (fixture)
    MANAGER,
    OTHER_TENANT,
    REP,
    SYSTEM,
    TENANT,
    Stack,
    act,
    refused,
    service,
    step,
    submit,
    task_of,
)
from tests.integration.gateway.conftest import nowhere
from tests.support.subjects import opportunity_service


def locks_of(s: Stack, subject_id: str, caller: Caller = SYSTEM):  # type: ignore[no-untyped-def]
    stub = lock_pb2_grpc.ApprovalLockServiceStub(s.svc.channel)
    request = lock_pb2.GetSubjectLocksRequest(subject_type="opportunity", subject_id=subject_id)
    return stub.GetSubjectLocks(request, metadata=caller.metadata())


async def test_pending_requests_lock_their_policys_fields_until_decided(service: Stack) -> None:  # noqa: F811
    s = service
    await s.policy("quote", (step("主管", "mgr-1"),), locked_fields=("amount", "expected_close_date"))
    await s.policy("discount", (step("主管", "mgr-1"),))
    quote = await submit(s, "opp-1", kind="quote")
    await submit(s, "opp-1", kind="discount")  # locks nothing
    opp = await s.opp("opp-1")

    [lock] = (await locks_of(s, opp)).locks
    assert (lock.approval_id, lock.kind, list(lock.fields)) == (
        quote.approval_id,
        "quote",
        ["amount", "expected_close_date"],
    )
    # Only a backend service asks; another tenant's system sees nothing of it; bad input names the field.
    assert (await refused(locks_of(s, opp, REP))).code() == grpc.StatusCode.PERMISSION_DENIED
    assert list((await locks_of(s, opp, Caller(OTHER_TENANT.tenant_id, "opportunity", "system"))).locks) == []
    bad = await refused(
        lock_pb2_grpc.ApprovalLockServiceStub(s.svc.channel).GetSubjectLocks(
            lock_pb2.GetSubjectLocksRequest(subject_type="lead", subject_id=opp), metadata=SYSTEM.metadata()
        )
    )
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT and "subject_type" in (bad.details() or "")

    await act(s, await task_of(s, quote.approval_id, "mgr-1"), MANAGER)
    assert list((await locks_of(s, opp)).locks) == []
    # A rejection frees them too.
    again = await submit(s, "opp-1", kind="quote")
    assert [k.approval_id for k in (await locks_of(s, opp)).locks] == [again.approval_id]
    await act(
        s, await task_of(s, again.approval_id, "mgr-1"), MANAGER, action=pb.TASK_ACTION_REJECT, comment="价格过低"
    )
    assert list((await locks_of(s, opp)).locks) == []


async def test_opportunity_refuses_a_change_when_approval_cannot_say_what_is_locked(
    nats_url: str, database_url: str, tmp_path: Path
) -> None:
    async with opportunity_service(
        nats_url, database_url, tmp_path, approval_addr=nowhere(), gate_timeout_s=1.0
    ) as opps:
        rep = Caller(TENANT, "rep-1", "rep")
        opp = await opps.create(rep, amount=Money(amount_minor=50_000_000, currency="CNY"))
        stub = opp_grpc.OpportunityServiceStub(opps.svc.channel)
        change = opp_pb.UpdateOpportunityRequest(opportunity_id=opp, amount=Money(amount_minor=1, currency="CNY"))
        err = await refused(stub.UpdateOpportunity(change, metadata=rep.metadata()))
        assert err.code() == grpc.StatusCode.UNAVAILABLE and "nothing was changed" in (err.details() or "")
        got = await stub.GetOpportunity(opp_pb.GetOpportunityRequest(opportunity_id=opp), metadata=rep.metadata())
        assert got.opportunity.amount.amount_minor == 50_000_000
        # An update naming no field asks nothing and still answers.
        same = await stub.UpdateOpportunity(
            opp_pb.UpdateOpportunityRequest(opportunity_id=opp), metadata=rep.metadata()
        )
        assert same.opportunity.amount.amount_minor == 50_000_000
