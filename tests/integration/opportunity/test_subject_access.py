"""SubjectAccessService over real gRPC: what opportunity answers the
services that keep documents, approvals and payments about its subjects."""

from __future__ import annotations

from pathlib import Path

import grpc
import pytest

from crm.opportunity.v1 import access_pb2 as pb
from crm.opportunity.v1 import access_pb2_grpc as pb_grpc
from crm.opportunity.v1 import opportunity_pb2 as opp_pb
from crm.opportunity.v1 import opportunity_pb2_grpc as opp_grpc
from crm_shared.context import Caller
from tests.support.subjects import opportunity_service

REP = Caller("tenant-a", "rep-1", "rep")
ASKER = Caller("tenant-a", "document-versioning", "system")


async def test_read_and_write_follow_the_owner_the_team_and_the_role(
    nats_url: str, database_url: str, tmp_path: Path
) -> None:
    async with opportunity_service(nats_url, database_url, tmp_path) as opps:
        await opps.announce_reps("tenant-a", {"rep-1": "mgr-1", "rep-2": "mgr-2"})
        opp_id = await opps.create(REP)
        reply = await opp_grpc.OpportunityServiceStub(opps.svc.channel).GetOpportunity(
            opp_pb.GetOpportunityRequest(opportunity_id=opp_id), metadata=REP.metadata()
        )
        customer_id = reply.opportunity.customer_id
        theirs = await opps.create(Caller("tenant-b", "rep-9", "rep"))
        stub = pb_grpc.SubjectAccessServiceStub(opps.svc.channel)

        async def ask(user_id: str, role: str, subject_id: str = opp_id, subject_type: str = "opportunity"):
            request = pb.CheckSubjectAccessRequest(
                tenant_id="tenant-a", user_id=user_id, role=role, subject_type=subject_type, subject_id=subject_id
            )
            r = await stub.CheckSubjectAccess(request, metadata=ASKER.metadata())
            return (r.exists, r.readable, r.writable)

        assert await ask("rep-1", "rep") == (True, True, True)
        assert await ask("mgr-1", "manager") == (True, True, True)
        assert await ask("admin-1", "admin") == (True, True, True)
        for user_id, role in (("fin-1", "finance"), ("rev-1", "reviewer")):
            assert await ask(user_id, role) == (True, True, False)
        for user_id, role in (("rep-2", "rep"), ("mgr-2", "manager"), ("p-1", "partner")):
            assert await ask(user_id, role) == (True, False, False)
        assert await ask("rep-1", "rep", customer_id, "customer") == (True, True, True)
        assert await ask("rep-2", "rep", customer_id, "customer") == (True, False, False)
        for missing in (theirs, "no-such-opportunity", "x" * 10_000, ""):
            assert await ask("admin-1", "admin", missing) == (False, False, False)

        # Only services ask, and only about their own tenant.
        request = pb.CheckSubjectAccessRequest(
            tenant_id="tenant-a", user_id="rep-2", role="rep", subject_type="opportunity", subject_id=opp_id
        )
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.CheckSubjectAccess(request, metadata=Caller("tenant-a", "rep-2", "rep").metadata())
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.CheckSubjectAccess(request, metadata=Caller("tenant-b", "approval", "system").metadata())
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        bad = pb.CheckSubjectAccessRequest(tenant_id="tenant-a", user_id="u", role="boss", subject_type="lead")
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.CheckSubjectAccess(bad, metadata=ASKER.metadata())
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
