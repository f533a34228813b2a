"""Acceptance through the gateway: the three seed routes and the seed formula
(seeds 001 and 003), written by a sales manager over REST and applied to
leads and reps created over REST, against the real lead-routing service,
NATS and database. Wins arrive as real `opportunity.closed` events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import opportunity_pb2
from lead_routing.bootstrap import build as build_lead_routing
from lead_routing.config import Settings as LeadRoutingSettings
from tests.integration.gateway.test_gateway import is_problem, login
from tests.integration.lead_routing.routing_helpers import publish_event
from tests.support.infra import eventually, migrate, run_service

SEED_FORMULA = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
NINGBO = (29.87, 121.54)  # 宁波
CIXI = (30.17, 121.27)  # 慈溪, ~40 km from 宁波
HARBIN = (45.80, 126.53)
CATCH_ALL = {"route_id": "rest", "name": "其余进公海", "target": {"kind": "pool"}}


@pytest.fixture
async def lead_routing(nats_url: str, database_url: str):
    """lead-routing on a fixed clock, its jobs run only when a test says so."""
    from crm_shared.clock import FixedClock

    await migrate("lead-routing", database_url)
    async with run_service(
        build_lead_routing,
        LeadRoutingSettings,
        nats_url=nats_url,
        database_url=database_url,
        clock=FixedClock(NOW),
        rerank_interval_s=3600.0,
        sla_check_interval_s=3600.0,
    ) as svc:
        yield svc


async def ok(reply: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert reply.status_code == status, reply.text
    return reply.json()


async def put_rep(client: httpx.AsyncClient, auth: dict, rep_id: str, **profile: Any) -> None:
    body = {"name": rep_id, "seniority": "senior"} | profile
    reply = await client.put(f"/v1/reps/{rep_id}", json=body, headers=auth)
    assert reply.status_code in (200, 201), reply.text


async def new_lead(client: httpx.AsyncClient, auth: dict, company: str, phone: str, **fields: Any) -> str:
    for money in ("budget", "annual_revenue", "purchases_6m"):
        if money in fields:
            fields[money] = {"amount_minor": int(fields[money] * 100), "currency": "CNY"}  # 元 -> 分
    body = await ok(
        await client.post("/v1/leads", json={"company_name": company, "phone": phone} | fields, headers=auth), 201
    )
    return body["lead"]["lead_id"]


async def activate(client: httpx.AsyncClient, auth: dict, *, routes: list | None = None, formula: str = "") -> None:
    if routes is not None:
        saved = await ok(await client.post("/v1/routing/routes", json={"routes": routes}, headers=auth), 201)
        v = saved["version"]["version"]
        await ok(await client.post(f"/v1/routing/routes/versions/{v}/activate", headers=auth))
    if formula:
        saved = await ok(await client.post("/v1/routing/formulas", json={"formula": formula}, headers=auth), 201)
        v = saved["version"]["version"]
        await ok(await client.post(f"/v1/routing/formulas/versions/{v}/activate", headers=auth))


async def dry_run_candidates(client: httpx.AsyncClient, auth: dict) -> dict[str, list[str]]:
    body = await ok(await client.post("/v1/routing/dry-run", json={"candidates_per_lead": 10}, headers=auth))
    return {x["lead_id"]: [c["rep_id"] for c in x["candidates"]] for x in body["leads"]}


async def won(nats_url: str, rep_id: str, opportunity_id: str, at: tuple[float, float], closed: datetime) -> None:
    event = opportunity_pb2.OpportunityClosed(
        opportunity_id=opportunity_id,
        customer_id=f"cust-{opportunity_id}",
        owner_id=rep_id,
        outcome="won",
        amount=Money(amount_minor=50_000_00, currency="CNY"),
        latitude=at[0],
        longitude=at[1],
        city="宁波市",
    )
    event.closed_at.FromDatetime(closed)
    await publish_event(nats_url, "opportunity.closed", "demo", opportunity_id, event, closed)


async def test_route_1_baidu_injection_moulding_goes_to_reps_who_won_nearby(
    client: httpx.AsyncClient, nats_url: str
) -> None:
    manager = await login(client, "wangqiang")
    for rep_id in ("rep-ningbo", "rep-harbin", "rep-stale"):
        await put_rep(client, manager, rep_id)
    await activate(
        client,
        manager,
        routes=[
            {
                "route_id": "baidu-im",
                "name": "百度爱采购·注塑机按近3月成交半径",
                "condition": 'AND(来源="百度爱采购",CONTAINS(行业标签,"注塑机"))',
                "target": {"kind": "all"},
                "rep_filter": "DISTANCE(纬度,经度,近3月成交客户位置)<=50",
            },
            CATCH_ALL,
        ],
        formula=SEED_FORMULA,
    )
    await won(nats_url, "rep-ningbo", "opp-1", CIXI, NOW - timedelta(days=20))
    await won(nats_url, "rep-harbin", "opp-2", HARBIN, NOW - timedelta(days=10))
    await won(nats_url, "rep-stale", "opp-3", NINGBO, NOW - timedelta(days=120))  # older than 3 months
    lead_id = await new_lead(
        client,
        manager,
        "宁波北仑精密注塑",
        "13805741001",
        source="百度爱采购",
        industry_tags=["注塑机", "模具"],
        latitude=NINGBO[0],
        longitude=NINGBO[1],
    )
    other = await new_lead(
        client,
        manager,
        "宁波北仑五金",
        "13805741002",
        source="百度爱采购",
        industry_tags=["五金"],
        latitude=NINGBO[0],
        longitude=NINGBO[1],
    )

    async def routed() -> bool:  # the wins are consumed from NATS asynchronously
        return (await dry_run_candidates(client, manager)).get(lead_id) == ["rep-ningbo"]

    await eventually(routed)
    assert (await dry_run_candidates(client, manager))[other] == []  # the catch-all: the pool

    body = await ok(await client.post("/v1/pool/assign", headers=manager))
    assert [(a["lead_id"], a["rep_id"]) for a in body["assignments"]] == [(lead_id, "rep-ningbo")]
    why = (await ok(await client.get(f"/v1/leads/{lead_id}/explanation", headers=manager)))["explanation"]
    assert (why["route_id"], why["route_name"]) == ("baidu-im", "百度爱采购·注塑机按近3月成交半径")
    assert why["runners_up"] == []
    pool = await ok(await client.get("/v1/pool", headers=manager))
    assert [e["lead_id"] for e in pool["entries"]] == [other]


async def test_route_2_exhibition_big_revenue_goes_to_key_accounts_skipping_juniors(client: httpx.AsyncClient) -> None:
    manager = await login(client, "wangqiang")
    await put_rep(client, manager, "ka-1", seniority="key_account", region="萧山区")
    await put_rep(client, manager, "lina", seniority="junior", region="滨江区")  # would score best
    await put_rep(client, manager, "sr-1", seniority="senior", region="滨江区")
    await activate(
        client,
        manager,
        routes=[
            {
                "route_id": "expo-ka",
                "name": "展会扫码·年营收5000万+ 大客户直通",
                "condition": 'AND(来源="展会扫码",年营业额>=50000000)',
                "target": {"kind": "key_account"},
                "rep_filter": '职级<>"junior"',
            },
            CATCH_ALL,
        ],
        formula=SEED_FORMULA,
    )
    big = await new_lead(
        client,
        manager,
        "杭州滨江智能制造",
        "13805742001",
        source="展会扫码",
        district="滨江区",
        city="杭州市",
        annual_revenue=80_000_000,
        purchases_6m=60_000,
    )
    small = await new_lead(
        client,
        manager,
        "杭州滨江小五金",
        "13805742002",
        source="展会扫码",
        district="滨江区",
        city="杭州市",
        annual_revenue=30_000_000,
        purchases_6m=60_000,
    )
    candidates = await dry_run_candidates(client, manager)
    assert candidates[big] == ["ka-1"] and candidates[small] == []

    lina = await login(client, "lina")
    refused = is_problem(await client.post(f"/v1/leads/{big}/claim", headers=lina), 409)
    assert [v["type"] for v in refused["violations"]] == ["route"]

    body = await ok(await client.post("/v1/pool/assign", headers=manager))
    assert [(a["lead_id"], a["rep_id"], a["route_id"]) for a in body["assignments"]] == [(big, "ka-1", "expo-ka")]
    assert body["left_in_pool"] == 1
    # the small one stays in the pool, where the junior may claim it
    claimed = await ok(await client.post(f"/v1/leads/{small}/claim", headers=lina))
    assert (claimed["assignment"]["rep_id"], claimed["assignment"]["mode"]) == ("lina", "claim")


async def test_route_3_keqiao_repeat_buyers_go_to_local_reps(client: httpx.AsyncClient) -> None:
    manager = await login(client, "wangqiang")
    await put_rep(client, manager, "zhangwei", native_place="柯桥区", region="越城区")
    await put_rep(client, manager, "lina", native_place="杭州市", region="柯桥区")
    await put_rep(client, manager, "rep-sx", native_place="绍兴市", region="上虞区")
    await activate(
        client,
        manager,
        routes=[
            {
                "route_id": "keqiao-local",
                "name": "柯桥区近3月下单≥3次 本地籍优先",
                "condition": 'AND(行政区划="柯桥区",近3月订单数>=3)',
                "target": {"kind": "all"},
                "rep_filter": "OR(籍贯=行政区划,籍贯=城市)",
                "sla_hours": 24,
            },
            CATCH_ALL,
        ],
    )
    repeat = await new_lead(
        client,
        manager,
        "柯桥轻纺城布业",
        "13805743001",
        province="浙江省",
        city="绍兴市",
        district="柯桥区",
        orders_3m=5,
    )
    once = await new_lead(
        client, manager, "柯桥印染小厂", "13805743002", province="浙江省", city="绍兴市", district="柯桥区", orders_3m=2
    )
    candidates = await dry_run_candidates(client, manager)
    assert sorted(candidates[repeat]) == ["rep-sx", "zhangwei"] and candidates[once] == []

    lina, zhangwei = await login(client, "lina"), await login(client, "zhangwei")
    is_problem(await client.post(f"/v1/leads/{repeat}/claim", headers=lina), 409)
    claimed = await ok(await client.post(f"/v1/leads/{repeat}/claim", headers=zhangwei))
    assert claimed["assignment"]["route_id"] == "keqiao-local"
    assert is_problem(await client.post(f"/v1/leads/{repeat}/claim", headers=lina), 409)["type"].endswith(
        "concurrent-change"
    )

    why = (await ok(await client.get(f"/v1/leads/{repeat}/explanation", headers=zhangwei)))["explanation"]
    assert why["route_condition"] == 'AND(行政区划="柯桥区",近3月订单数>=3)'
    # nobody else sees the lead's explanation: another rep, a partner, another tenant
    for user in ("lina", "zhaolei", "other-rep"):
        reply = await client.get(f"/v1/leads/{repeat}/explanation", headers=await login(client, user))
        assert reply.status_code in (403, 404), (user, reply.text)
    partner_pool = await client.get("/v1/pool", headers=await login(client, "zhaolei"))
    is_problem(partner_pool, 403)
    other_pool = await ok(await client.get("/v1/pool", headers=await login(client, "other-rep")))
    assert other_pool["entries"] == []


async def test_seed_formula_scores_and_explains_the_assignment(client: httpx.AsyncClient) -> None:
    manager = await login(client, "wangqiang")
    bad = is_problem(
        await client.post(
            "/v1/routing/formulas",
            json={"formula": "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100"},
            headers=manager,
        ),
        400,
    )
    assert bad["errors"][0]["field"] == "formula" and bad["errors"][0]["description"].startswith("line 1, column ")
    is_problem(
        await client.post(
            "/v1/routing/formulas", json={"formula": SEED_FORMULA}, headers=await login(client, "zhangwei")
        ),
        403,
    )

    await put_rep(client, manager, "zhangwei", region="柯桥区", capacity=10)
    await put_rep(client, manager, "lina", region="余杭区", capacity=10)
    await activate(client, manager, formula=SEED_FORMULA)  # the formula verbatim, as a director types it
    lead_id = await new_lead(
        client,
        manager,
        "柯桥恒锐纺机",
        "13805744001",
        province="浙江省",
        city="绍兴市",
        district="柯桥区",
        purchases_6m=80_000,
    )

    body = await ok(await client.post("/v1/pool/assign", headers=manager))
    [a] = body["assignments"]
    assert (a["rep_id"], a["score"], a["mode"], a["actor_id"]) == ("zhangwei", 100.0, "auto", "wangqiang")
    why = (await ok(await client.get(f"/v1/leads/{lead_id}/explanation", headers=await login(client, "zhangwei"))))[
        "explanation"
    ]
    assert why["formula"] == SEED_FORMULA and why["score"] == 100.0
    terms = {t["term"]: t["value"] for t in why["terms"]}
    assert terms["行政区划"] == "柯桥区" and terms["销售员所在地"] == "柯桥区"
    assert terms["近6月采购金额"] == "80000"
    assert any("行政区划=销售员所在地" in t and v == "TRUE" for t, v in terms.items())
    assert why["runners_up"] == [{"rep_id": "lina", "score": 70.0}]
    assert (why["capacity"], why["open_leads"]) == (10, 0)
    deadline = datetime.fromisoformat(why["assignment"]["first_touch_due"].replace("Z", "+00:00"))
    assert deadline - datetime.fromisoformat(why["assignment"]["assigned_at"].replace("Z", "+00:00")) == timedelta(
        hours=24
    )

    audit = await ok(await client.get("/v1/routing/audit", headers=manager))
    assert {(e["kind"], e["action"], e["actor_id"]) for e in audit["entries"]} == {
        ("formula", "saved", "wangqiang"),
        ("formula", "activated", "wangqiang"),
    }
    touched = await ok(
        await client.post(f"/v1/leads/{lead_id}/touch", json={"kind": "call"}, headers=await login(client, "zhangwei"))
    )
    assert touched["assignment"]["first_touched_at"] is not None


async def test_a_lead_posted_on_an_auto_assign_route_reaches_its_rep_without_a_manager(
    client: httpx.AsyncClient, nats_url: str
) -> None:
    import nats

    from crm.events.v1 import lead_pb2
    from crm.events.v1.envelope_pb2 import Envelope
    from crm_shared.events import unpack

    manager = await login(client, "wangqiang")
    await put_rep(client, manager, "zhangwei", region="柯桥区", capacity=10)
    await put_rep(client, manager, "lina", region="余杭区", capacity=10)
    await activate(
        client,
        manager,
        routes=[
            {
                "route_id": "web",
                "name": "官网询盘直派",
                "condition": '来源="官网表单"',
                "target": {"kind": "all"},
                "sla_hours": 1,
                "auto_assign": True,
            },
            CATCH_ALL,
        ],
        formula=SEED_FORMULA,
    )
    active = await ok(await client.get("/v1/routing/active", headers=manager))
    assert [r.get("auto_assign", False) for r in active["routes"]["routes"]] == [True, False]
    bad = is_problem(
        await client.post(
            "/v1/routing/routes",
            json={"routes": [{"name": "x", "target": {"kind": "all"}, "auto_assign": "yes"}]},
            headers=manager,
        ),
        422,
    )
    assert "auto_assign" in bad["errors"][0]["field"]

    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe(
        "crm.lead.assigned", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )
    try:
        lead_id = await new_lead(
            client,
            manager,
            "柯桥恒锐纺机",
            "13805744101",
            source="官网表单",
            province="浙江省",
            city="绍兴市",
            district="柯桥区",
            purchases_6m=80_000,
        )

        async def owner() -> str:
            return (await ok(await client.get(f"/v1/leads/{lead_id}", headers=manager)))["lead"].get("owner_id", "")

        assert await eventually(owner) == "zhangwei"
        event = unpack(Envelope.FromString((await sub.next_msg(timeout=10)).data), lead_pb2.LeadAssigned)
        assert (event.lead_id, event.rep_id, event.mode, event.actor_id, event.route_id, event.score) == (
            lead_id,
            "zhangwei",
            "auto",
            "system",
            "web",
            100.0,
        )
    finally:
        await nc.close()
    # the rep sees it as theirs, with why
    zhangwei = await login(client, "zhangwei")
    why = (await ok(await client.get(f"/v1/leads/{lead_id}/explanation", headers=zhangwei)))["explanation"]
    assert (why["route_id"], why["score"], why["assignment"]["mode"]) == ("web", 100.0, "auto")
    assert why["runners_up"] == [{"rep_id": "lina", "score": 70.0}]
    due = datetime.fromisoformat(why["assignment"]["first_touch_due"].replace("Z", "+00:00"))
    assert due - datetime.fromisoformat(why["assignment"]["assigned_at"].replace("Z", "+00:00")) == timedelta(hours=1)
    assert (await ok(await client.get("/v1/pool", headers=manager)))["entries"] == []


async def test_a_manager_pages_through_the_pool_with_the_tokens_it_answers(client: httpx.AsyncClient) -> None:
    manager = await login(client, "wangqiang")
    await activate(client, manager, routes=[CATCH_ALL])
    made = {await new_lead(client, manager, f"翻页{i}有限公司", f"1390000{i:04d}") for i in range(3)}
    seen: list[str] = []
    token = ""
    for _ in range(5):
        page = await ok(await client.get("/v1/pool", params={"page_size": 1, "page_token": token}, headers=manager))
        seen += [e["lead_id"] for e in page["entries"]]
        if not (token := page["next_page_token"]):
            break
    assert sorted(seen) == sorted(made)


async def test_a_batch_lists_only_the_assignments_asked_for_and_counts_them_all(client: httpx.AsyncClient) -> None:
    manager = await login(client, "wangqiang")
    await put_rep(client, manager, "zhangwei", region="柯桥区", capacity=10)
    await activate(client, manager, formula=SEED_FORMULA)
    leads = [
        await new_lead(client, manager, f"柯桥纺机{k}号", f"1380574500{k}", city="绍兴市", district="柯桥区")
        for k in range(3)
    ]
    is_problem(await client.post("/v1/pool/assign?max_listed=-1", headers=manager), 422)  # refused before any work
    assert len((await ok(await client.get("/v1/pool", headers=manager)))["entries"]) == 3

    body = await ok(await client.post("/v1/pool/assign?max_listed=1", headers=manager))
    assert (len(body["assignments"]), body["assigned"], body["left_in_pool"]) == (1, 3, 0)
    assert body["assignments"][0]["lead_id"] in leads and body["assignments"][0]["rep_id"] == "zhangwei"
    assert (await ok(await client.get("/v1/pool", headers=manager)))["entries"] == []  # every one given, listed or not
    for lead_id in leads:
        why = (await ok(await client.get(f"/v1/leads/{lead_id}/explanation", headers=manager)))["explanation"]
        assert why["assignment"]["rep_id"] == "zhangwei"
