"""Why a rep scores what they score on a pool lead, before anyone takes it:
the route, the rep filter, the formula's terms and values, the score and rank
— the same a claim then records — with nothing assigned or written, and only
for whom the caller may ask. Real gRPC, NATS and database."""

from __future__ import annotations

import grpc
import pytest
from crm.lead_routing.v1 import lead_routing_pb2 as lpb
from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared.context import Caller

from tests.integration.lead_routing.routing_helpers import (
    ADMIN,
    MANAGER,
    SEED_FORMULA,
    Api,
    rep,
    route,
)


async def _pool_why(api: Api, lead_id: str, by: Caller, rep_id: str = "") -> pb.ExplainPoolLeadResponse:
    request = pb.ExplainPoolLeadRequest(lead_id=lead_id, rep_id=rep_id)
    return await api.routing.ExplainPoolLead(request, metadata=by.metadata())


async def _refused(api: Api, lead_id: str, by: Caller, rep_id: str = "") -> grpc.StatusCode:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await _pool_why(api, lead_id, by, rep_id)
    return err.value.code()


async def test_a_reps_pool_explanation_is_what_their_claim_then_records_and_writes_nothing(api: Api) -> None:
    await api.activate_formula(SEED_FORMULA)
    await api.put_rep("near", region="柯桥区")
    await api.put_rep("far", region="余杭区")
    lead_id = await api.lead("柯桥恒盛印染", district="柯桥区", city="绍兴市", purchases_6m=80_000)
    await api.routing.RerankPool(pb.RerankPoolRequest(), metadata=MANAGER.metadata())

    why = await _pool_why(api, lead_id, rep("far"), rep_id="near")  # a rep asks for themself, whatever they name
    assert (why.rep_id, why.score, why.rank, why.candidates) == ("far", 70.0, 2, 2)
    assert why.formula == SEED_FORMULA and why.terms and why.rep_filter_passed and why.in_candidate_set
    assert any(t.value == "FALSE" for t in why.terms)  # 行政区划=销售员所在地 fails for the far rep
    near = await _pool_why(api, lead_id, MANAGER, rep_id="near")
    assert (near.rep_id, near.score, near.rank) == ("near", 100.0, 1)

    # nothing written: the lead is still in the pool and has never had an owner
    lead = await api.leads.GetLead(lpb.GetLeadRequest(lead_id=lead_id), metadata=MANAGER.metadata())
    assert lead.lead.owner_id == ""
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.GetExplanation(pb.GetExplanationRequest(lead_id=lead_id), metadata=MANAGER.metadata())
    assert err.value.code() == grpc.StatusCode.NOT_FOUND

    await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("far").metadata())
    recorded = (
        await api.routing.GetExplanation(pb.GetExplanationRequest(lead_id=lead_id), metadata=rep("far").metadata())
    ).explanation
    assert [(t.term, t.value) for t in why.terms] == [(t.term, t.value) for t in recorded.terms]
    assert (why.score, why.rank, why.candidates, why.formula_version) == (
        recorded.score,
        recorded.rank,
        recorded.candidates,
        recorded.formula_version,
    )
    # once owned it is no longer a pool lead
    assert await _refused(api, lead_id, rep("far")) == grpc.StatusCode.NOT_FOUND


async def test_the_route_and_its_rep_filter_and_who_may_ask(api: Api) -> None:
    await api.activate_formula(SEED_FORMULA)
    await api.put_rep("r1", region="柯桥区")
    await api.put_rep("r2", region="余杭区")
    await api.put_rep("theirs", region="柯桥区", manager_id="mgr-2", by=ADMIN)
    await api.activate_routes(
        [route("kq", "柯桥印染", '行政区划="柯桥区"', "reps", rep_ids=["r1", "r2"], rep_filter='销售员所在地="柯桥区"')]
    )
    lead_id = await api.lead("柯桥恒盛印染", district="柯桥区", city="绍兴市", purchases_6m=80_000)

    why = await _pool_why(api, lead_id, rep("r1"))
    assert (why.route_id, why.route_name, why.route_condition) == ("kq", "柯桥印染", '行政区划="柯桥区"')
    assert (why.rep_filter, why.rep_filter_passed, why.in_candidate_set) == ('销售员所在地="柯桥区"', True, True)
    assert (why.rank, why.candidates) == (1, 1)

    # the manager sees why r2 is not a candidate: the rep filter fails
    r2 = await _pool_why(api, lead_id, MANAGER, rep_id="r2")
    assert (r2.rep_filter_passed, r2.in_candidate_set, r2.rank) == (False, False, 0)

    assert await _refused(api, lead_id, rep("r2")) == grpc.StatusCode.NOT_FOUND  # not theirs to see in the pool
    assert await _refused(api, lead_id, MANAGER, "theirs") == grpc.StatusCode.PERMISSION_DENIED  # another team
    assert (await _pool_why(api, lead_id, ADMIN, rep_id="theirs")).rep_filter_passed
    assert await _refused(api, lead_id, MANAGER) == grpc.StatusCode.INVALID_ARGUMENT  # a manager names the rep
    assert await _refused(api, lead_id, MANAGER, "nobody") == grpc.StatusCode.NOT_FOUND
    assert await _refused(api, lead_id, Caller("tenant-other", "r1", "rep")) == grpc.StatusCode.NOT_FOUND
    assert await _refused(api, "no-such-lead", rep("r1")) == grpc.StatusCode.NOT_FOUND
