"""Every change of a lead's owner says why: a claim (score and rank then), a
manager's assignment (who, and the rep's score), a release (the reason), an
SLA reclaim (the missed deadline), a rep's own intake, a conversion from the
pool; GET explanation shows the latest. Real gRPC, NATS and database."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from crm.lead_routing.v1 import lead_routing_pb2 as lpb
from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared.grpc_errors import decode_rpc_error
from tests.integration.lead_routing.routing_helpers import (
    MANAGER,
    SEED_FORMULA,
    Api,
    rep,
    route,
)


async def _why(api: Api, lead_id: str, by=MANAGER) -> pb.Explanation:
    reply = await api.routing.GetExplanation(pb.GetExplanationRequest(lead_id=lead_id), metadata=by.metadata())
    return reply.explanation


async def test_a_claimer_sees_their_score_and_rank_then_a_manager_assignment_and_a_release(api: Api) -> None:
    await api.activate_formula(SEED_FORMULA)
    await api.put_rep("near", region="柯桥区")
    await api.put_rep("far", region="余杭区")
    lead_id = await api.lead("柯桥恒盛印染", district="柯桥区", city="绍兴市", purchases_6m=80_000)
    await api.routing.RerankPool(pb.RerankPoolRequest(), metadata=MANAGER.metadata())
    await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("far").metadata())

    why = await _why(api, lead_id, rep("far"))
    assert (why.change, why.actor_id, why.owner_id, why.previous_owner_id) == ("claim", "far", "far", "")
    assert (why.score, why.rank, why.candidates) == (70.0, 2, 2)
    assert why.assignment.mode == "claim" and "排第 2" in why.summary

    await api.routing.AssignLead(pb.AssignLeadRequest(lead_id=lead_id, rep_id="near"), metadata=MANAGER.metadata())
    why = await _why(api, lead_id, rep("near"))
    assert (why.change, why.actor_id, why.owner_id, why.previous_owner_id) == ("manager", "mgr-1", "near", "far")
    assert (why.score, why.rank) == (100.0, 1)
    assert "mgr-1" in why.summary

    await api.routing.ReleaseLead(
        pb.ReleaseLeadRequest(lead_id=lead_id, reason="客户已由经销商跟进"), metadata=rep("near").metadata()
    )
    why = await _why(api, lead_id)
    assert (why.change, why.actor_id, why.previous_owner_id, why.owner_id) == ("release", "near", "near", "")
    assert why.reason == "客户已由经销商跟进" and "客户已由经销商跟进" in why.summary
    assert not why.HasField("assignment")
    with pytest.raises(grpc.aio.AioRpcError) as err:  # no longer theirs
        await _why(api, lead_id, rep("near"))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


async def test_a_reclaim_says_which_deadline_was_missed_and_the_reroute_follows(api: Api, fixed_clock) -> None:
    await api.put_rep("r1")
    await api.put_rep("r2")
    await api.activate_routes([route("all", "全员", "", "all", sla_hours=2)])
    lead_id = await api.lead("上虞精细化工")
    await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("r1").metadata())
    fixed_clock.advance(timedelta(hours=3))
    await api.run_job("first-touch-sla")
    why = await _why(api, lead_id)
    assert (why.change, why.actor_id, why.owner_id) == ("reroute", "system", "r2")
    # the reclaim before it is recorded too: release r2 and the latest is the release, not the reclaim
    await api.routing.ReleaseLead(pb.ReleaseLeadRequest(lead_id=lead_id, reason="换人"), metadata=MANAGER.metadata())
    assert (await _why(api, lead_id)).change == "release"


async def test_a_reclaim_into_the_pool_says_why(api: Api, fixed_clock) -> None:
    await api.put_rep("r1")
    await api.activate_routes([route("all", "全员", "", "reps", rep_ids=["r1"], sla_hours=2)])
    lead_id = await api.lead("嵊州领带厂")
    await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("r1").metadata())
    fixed_clock.advance(timedelta(hours=3))
    await api.run_job("first-touch-sla")
    why = await _why(api, lead_id)
    assert (why.change, why.actor_id, why.previous_owner_id, why.owner_id) == ("reclaim", "system", "r1", "")
    assert "首次跟进截止 2026-11-23 11:00" in why.reason and "冷却至" in why.reason


async def test_a_reps_own_lead_and_a_pool_lead_converted_by_a_manager_say_why_they_are_theirs(api: Api) -> None:
    await api.put_rep("r1")
    own = await api.lead("诸暨袜业", by=rep("r1"))
    why = await _why(api, own, rep("r1"))
    assert (why.change, why.owner_id, why.actor_id) == ("intake", "r1", "r1")
    pool_lead = await api.lead("新昌轴承")
    await api.leads.ConvertLead(lpb.ConvertLeadRequest(lead_id=pool_lead), metadata=MANAGER.metadata())
    why = await _why(api, pool_lead)
    assert (why.change, why.owner_id, why.actor_id) == ("convert", "mgr-1", "mgr-1")


async def test_a_rep_cannot_take_a_pool_lead_by_converting_it_past_the_claim_limits(api: Api) -> None:
    await api.put_rep("r1", daily_claim_limit=1)
    first, second = await api.lead("天台汽配一厂"), await api.lead("天台汽配二厂")
    await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=first), metadata=rep("r1").metadata())
    with pytest.raises(grpc.aio.AioRpcError) as err:  # at the daily limit: converting would be a claim past it
        await api.leads.ConvertLead(lpb.ConvertLeadRequest(lead_id=second), metadata=rep("r1").metadata())
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.FAILED_PRECONDITION
    assert [v.type for v in remote.precondition_violations] == ["lead"]
    lead = await api.leads.GetLead(lpb.GetLeadRequest(lead_id=second), metadata=MANAGER.metadata())
    assert (lead.lead.status, lead.lead.owner_id) == ("open", "")
    # their claimed lead converts as before
    await api.leads.ConvertLead(lpb.ConvertLeadRequest(lead_id=first), metadata=rep("r1").metadata())
