"""First-touch SLAs with a controllable clock: reclaim, re-route, cool-down,
first touches from the API and from activity.logged, deadlines across restarts."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from prometheus_client import REGISTRY

from crm.events.v1 import lead_pb2, opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import lead_routing_pb2 as lpb
from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from lead_routing.bootstrap import build
from lead_routing.config import Settings
from tests.integration.lead_routing.routing_helpers import (
    MANAGER,
    QUIET_JOBS,
    TENANT,
    Api,
    publish_event,
    rep,
    route,
)
from tests.support.infra import eventually, migrate, run_service

TECH = route("tech", "技术顾问首次触达", '来源="展会扫码"', "reps", rep_ids=["r1"], sla_hours=48, cooldown_hours=24)


@pytest.fixture
async def migrated(database_url: str) -> str:
    await migrate("lead-routing", database_url)
    return database_url


@pytest.fixture
async def api(nats_url: str, migrated: str, fixed_clock):
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=migrated, clock=fixed_clock, **QUIET_JOBS
    ) as svc:
        yield Api(svc)


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_leads_idle_over_72_hours_are_counted_by_the_job(api: Api, fixed_clock) -> None:
    await api.lead("无人问津的线索")
    fixed_clock.advance(timedelta(hours=71))
    await api.run_job("first-touch-sla")
    assert metric("crm_leads_idle") == 0
    fixed_clock.advance(timedelta(hours=2))
    await api.run_job("first-touch-sla")
    assert metric("crm_leads_idle") == 1


async def owner(api: Api, lead_id: str) -> str:
    return (await api.leads.GetLead(lpb.GetLeadRequest(lead_id=lead_id), metadata=MANAGER.metadata())).lead.owner_id


async def test_missed_deadline_reclaims_and_bars_the_owner_for_the_cooldown(api: Api, fixed_clock) -> None:
    await api.put_rep("r1")
    await api.activate_routes([TECH])
    lead_id = await api.lead("绍兴恒锐智能装备", source="展会扫码")
    claimed = await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("r1").metadata())
    a = claimed.assignment
    assert a.route_id == "tech"
    assert a.first_touch_due.seconds - a.assigned_at.seconds == 48 * 3600

    fixed_clock.advance(timedelta(hours=47, minutes=59))
    await api.run_job("first-touch-sla")
    assert await owner(api, lead_id) == "r1"

    reclaims = metric("crm_lead_reclaims_total", tenant=TENANT)
    fixed_clock.advance(timedelta(minutes=2))
    await api.run_job("first-touch-sla")
    assert await owner(api, lead_id) == ""
    assert (
        metric("crm_lead_reclaims_total", tenant=TENANT) == reclaims + 1
    )  # back in the pool: r1 was the route's only candidate
    [reclaimed] = await api.outbox("crm.lead.reclaimed")
    event = unpack(Envelope.FromString(reclaimed), lead_pb2.LeadReclaimed)
    assert (event.lead_id, event.rep_id, event.route_id) == (lead_id, "r1", "tech")

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("r1").metadata())
    remote = decode_rpc_error(err.value)
    assert [v.type for v in remote.precondition_violations] == ["cooldown"]
    with pytest.raises(grpc.aio.AioRpcError):  # nor may a manager hand it back
        await api.routing.AssignLead(pb.AssignLeadRequest(lead_id=lead_id, rep_id="r1"), metadata=MANAGER.metadata())

    fixed_clock.advance(timedelta(hours=24))
    again = await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("r1").metadata())
    assert again.assignment.rep_id == "r1"


async def test_reclaimed_lead_is_rerouted_to_the_next_candidate(api: Api, fixed_clock) -> None:
    await api.put_rep("r1")
    await api.put_rep("r2")
    await api.activate_formula('IF(销售员="r1",90,80)')
    lead_id = await api.lead("诸暨袜业")
    await api.routing.AssignLead(pb.AssignLeadRequest(lead_id=lead_id, rep_id="r1"), metadata=MANAGER.metadata())
    fixed_clock.advance(timedelta(hours=24, seconds=1))  # the default first-touch SLA
    await api.run_job("first-touch-sla")
    assert await owner(api, lead_id) == "r2"
    why = await api.routing.GetExplanation(pb.GetExplanationRequest(lead_id=lead_id), metadata=MANAGER.metadata())
    assert (why.explanation.assignment.mode, why.explanation.assignment.actor_id) == ("reroute", "system")
    assert why.explanation.score == 80.0
    assert [c.rep_id for c in why.explanation.runners_up] == []  # r1 is barred, not a runner-up


async def test_a_first_touch_stops_the_clock_from_the_api_or_an_activity(api: Api, fixed_clock, nats_url: str) -> None:
    await api.put_rep("r1", capacity=10, daily_claim_limit=10)
    touched_by_api = await api.lead("嵊州厨具")
    touched_by_event = await api.lead("新昌轴承")
    for lead_id in (touched_by_api, touched_by_event):
        await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("r1").metadata())
    touches = metric("crm_lead_first_touch_seconds_count", tenant=TENANT)
    fixed_clock.advance(timedelta(hours=2))
    reply = await api.routing.TouchLead(
        pb.TouchLeadRequest(lead_id=touched_by_api, kind="call"), metadata=rep("r1").metadata()
    )
    assert reply.assignment.first_touched_at.seconds - reply.assignment.assigned_at.seconds == 2 * 3600

    activity = opportunity_pb2.ActivityLogged(
        activity_id="act-1", lead_id=touched_by_event, kind="visit", actor_id="r1"
    )
    activity.occurred_at.FromDatetime(fixed_clock.now())
    await publish_event(nats_url, "activity.logged", TENANT, "cust-1", activity, fixed_clock.now())

    async def touched() -> bool:
        why = await api.routing.GetExplanation(
            pb.GetExplanationRequest(lead_id=touched_by_event), metadata=rep("r1").metadata()
        )
        return why.explanation.assignment.HasField("first_touched_at")

    await eventually(touched)
    assert metric("crm_lead_first_touch_seconds_count", tenant=TENANT) == touches + 2
    fixed_clock.advance(timedelta(hours=30))
    await api.run_job("first-touch-sla")
    assert {await owner(api, touched_by_api), await owner(api, touched_by_event)} == {"r1"}
    assert await api.outbox("crm.lead.reclaimed") == []


async def test_deadlines_survive_a_restart(nats_url: str, migrated: str, fixed_clock) -> None:
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=migrated, clock=fixed_clock, **QUIET_JOBS
    ) as svc:
        api = Api(svc)
        await api.put_rep("r1")
        lead_id = await api.lead("上虞风机")
        await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("r1").metadata())
    fixed_clock.advance(timedelta(hours=25))
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=migrated, clock=fixed_clock, **QUIET_JOBS
    ) as svc:
        api = Api(svc)
        await api.run_job("first-touch-sla")
        assert await owner(api, lead_id) == ""
        assert len(await api.outbox("crm.lead.reclaimed")) == 1
