"""Automatic assignment over real gRPC, NATS and the database: a new lead on
an auto_assign route goes to its best free candidate on arrival (intake and
import), and the scheduled batch assigns the rest optimally."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from crm.events.v1 import lead_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import lead_routing_pb2 as lpb
from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared.db import inbox_table
from crm_shared.events import unpack
from lead_routing.bootstrap import build
from lead_routing.config import Settings

from tests.integration.lead_routing.routing_helpers import (
    MANAGER,
    QUIET_JOBS,
    SEED_FORMULA,
    START,
    Api,
    clock,
    rep,
    route,
)
from tests.support.infra import eventually, migrate, run_service


@pytest.fixture
async def api(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, clock=clock(), **QUIET_JOBS
    ) as svc:
        yield Api(svc)


@pytest.fixture
async def api_with_batch(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(
        build,
        Settings,
        nats_url=nats_url,
        database_url=database_url,
        clock=clock(),
        auto_assign_interval_s=3600.0,
        **QUIET_JOBS,
    ) as svc:
        yield Api(svc)


async def ranked_on_arrival(api: Api, n: int) -> bool:
    """Whether the ranking consumer has handled n lead.created events."""
    async with api.svc.runtime.db.sessions() as session:
        handled = await session.execute(
            sa.select(sa.func.count()).select_from(inbox_table).where(inbox_table.c.consumer == "lead-routing-rerank")
        )
        return handled.scalar_one() >= n


async def owner(api: Api, lead_id: str) -> str:
    reply = await api.leads.GetLead(lpb.GetLeadRequest(lead_id=lead_id), metadata=MANAGER.metadata())
    return reply.lead.owner_id


async def assigned_events(api: Api) -> list[lead_pb2.LeadAssigned]:
    return [unpack(Envelope.FromString(e), lead_pb2.LeadAssigned) for e in await api.outbox("crm.lead.assigned")]


WEB = route("web", "官网询盘直派", '来源="官网表单"', "all", auto_assign=True, sla_hours=2)
REST = route("rest", "其余进公海", "", "pool")


async def test_a_new_lead_on_an_auto_assign_route_goes_to_its_best_free_candidate_at_once(api: Api) -> None:
    await api.activate_formula(SEED_FORMULA)
    await api.put_rep("away", region="柯桥区", leave=[lpb.LeaveRange(start_date="2026-11-20", end_date="2026-11-30")])
    await api.put_rep("full", region="柯桥区", capacity=1)
    await api.put_rep("free", region="余杭区", capacity=5)
    await api.activate_routes([WEB, REST])
    active = await api.routing.GetActiveRules(pb.GetActiveRulesRequest(), metadata=MANAGER.metadata())
    assert [r.auto_assign for r in active.routes.routes] == [True, False]  # stored with the version

    await api.lead("full 自己录入的客户", by=rep("full"))  # "full" is now at capacity
    manual = await api.lead("手工录入的客户", district="柯桥区", city="绍兴市", purchases_6m=80_000)
    web = await api.lead("柯桥恒锐纺机", source="官网表单", district="柯桥区", city="绍兴市", purchases_6m=80_000)

    # "away" (on leave) and "full" (at capacity) would score 100; "free" scores 70
    assert await eventually(lambda: owner(api, web)) == "free"
    assert await owner(api, manual) == ""  # its route keeps it in the pool
    why = (
        await api.routing.GetExplanation(pb.GetExplanationRequest(lead_id=web), metadata=MANAGER.metadata())
    ).explanation
    assert (why.route_id, why.score, why.assignment.mode, why.assignment.actor_id) == ("web", 70.0, "auto", "system")
    assert why.formula == SEED_FORMULA and (why.capacity, why.open_leads) == (5, 0)
    assert {t.term: t.value for t in why.terms}["近6月采购金额"] == "80000"
    assert why.assignment.first_touch_due.ToDatetime() - why.assignment.assigned_at.ToDatetime() == timedelta(hours=2)
    assert why.assignment.assigned_at.ToDatetime() == START.replace(tzinfo=None)
    [event] = [e for e in await assigned_events(api) if e.lead_id == web]
    assert (event.rep_id, event.mode, event.route_id, event.score) == ("free", "auto", "web", 70.0)
    # the batch job is off unless configured
    assert "auto-assign" not in [j.name for j in api.svc.runtime.jobs]


async def test_imported_leads_on_an_auto_assign_route_are_spread_by_free_capacity(api: Api) -> None:
    await api.activate_formula(SEED_FORMULA)
    await api.put_rep("near", region="柯桥区", capacity=1)
    await api.put_rep("far", region="余杭区", capacity=1)
    await api.activate_routes([route("import", "导入直派", '来源="导入"', "all", auto_assign=True), REST])
    content = "公司名称,电话,地址,近6月采购金额\n柯桥一号纺织,13805740001,浙江省绍兴市柯桥区,8万\n柯桥二号纺织,13805740002,浙江省绍兴市柯桥区,9万\n"
    report = await api.leads.ImportLeads(
        lpb.ImportLeadsRequest(filename="展会.csv", content=content.encode()), metadata=MANAGER.metadata()
    )
    assert report.accepted == 2
    ids = [r.lead_id for r in report.rows]

    async def owners() -> list[str] | None:
        got = [await owner(api, i) for i in ids]
        return got if all(got) else None

    # whichever arrives first gets "near" (100), which is then full: the other goes to "far"
    assert sorted(await eventually(owners)) == ["far", "near"]
    assert sorted(e.rep_id for e in await assigned_events(api)) == ["far", "near"]


async def test_the_scheduled_batch_assigns_auto_assign_pool_leads_optimally(api_with_batch: Api) -> None:
    api = api_with_batch
    await api.activate_formula(
        'IF(CONTAINS(擅长行业,"纺织"),IF(CONTAINS(行业标签,"纺织"),100,95),IF(CONTAINS(行业标签,"纺织"),90,50))'
    )
    await api.activate_routes(
        [
            route("web", "官网询盘直派", '来源="官网表单"', "all", auto_assign=True),
            route("manual", "经理分配", "", "all"),
        ]
    )
    # No rep yet: the leads arrive and stay in the pool.
    a = await api.lead("柯桥纺织一厂", source="官网表单", industry_tags=["纺织"])
    b = await api.lead("义乌五金", source="官网表单", industry_tags=["五金"])
    c = await api.lead("嘉兴纺织", industry_tags=["纺织"])  # not an auto_assign route
    ranked = await api.routing.RerankPool(pb.RerankPoolRequest(), metadata=MANAGER.metadata())
    assert ranked.leads == 3
    await eventually(lambda: ranked_on_arrival(api, 3))  # before any rep exists, so nobody takes them on arrival
    await api.put_rep("tex", industries=["纺织"], capacity=1)
    await api.put_rep("gen", industries=["五金"], capacity=5)
    assert [await owner(api, x) for x in (a, b, c)] == ["", "", ""]  # a rep profile change only re-ranks

    await api.run_job("auto-assign")
    # Greedy would give tex<-a (100) + gen<-b (50) = 150; the optimum is tex<-b (95) + gen<-a (90).
    assert [await owner(api, x) for x in (a, b, c)] == ["gen", "tex", ""]
    got = {e.lead_id: (e.rep_id, e.mode, e.actor_id, e.score) for e in await assigned_events(api)}
    assert got == {a: ("gen", "auto", "system", 90.0), b: ("tex", "auto", "system", 95.0)}
    why = (
        await api.routing.GetExplanation(pb.GetExplanationRequest(lead_id=a), metadata=MANAGER.metadata())
    ).explanation
    assert [(x.rep_id, x.score) for x in why.runners_up] == [("tex", 100.0)]
    await api.run_job("auto-assign")  # nothing left to do: no second assignment
    assert len(await assigned_events(api)) == 2
