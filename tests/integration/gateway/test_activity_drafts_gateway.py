"""A rep's draft visits (待补全) across customers through the gateway, against
the real opportunity service (in-process, real gRPC, real NATS, its own
database, SQLite and PostgreSQL): GET /v1/activity-drafts lists the drafts of
every customer of the rep's, newest first, each with its customer's name and
what it lacks; another rep sees none of them; their manager (from the reps
projection, fed by rep.profile_changed) sees the team's with the rep named;
pages follow the token; a completed draft leaves the list."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import nats
import pytest
from crm.events.v1 import rep_pb2

from tests.integration.gateway.test_customers_gateway import b64, create_customer, drained, publish
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import eventually
from tests.support.subjects import opportunity_service
from tests.unit.opportunity.test_activities import HOME, jpeg_with_exif

DRAFTS = "/v1/activity-drafts"


@pytest.fixture
async def api(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        opportunity_service(nats_url, database_url, tmp_path) as opps,
        make_gateway(opportunity_addr=opps.address) as client,
    ):
        yield client


@pytest.fixture
async def js(nats_url: str):
    nc = await nats.connect(nats_url)
    yield nc.jetstream()
    await nc.close()


async def team(js) -> None:
    """张伟 (zhangwei) and 李娜 (lina) report to wangqiang, as lead-routing announces it."""
    for rep, name in (("zhangwei", "张伟"), ("lina", "李娜")):
        profile = rep_pb2.RepProfileChanged(
            rep_id=rep, name=name, team="华东一组", manager_id="wangqiang", region="华东", active=True
        )
        await publish(js, "rep.profile_changed", rep, profile)
    await eventually(lambda: drained(js, "opportunity-rep-profile-changed", "LEAD_ROUTING"))


async def draft(api: httpx.AsyncClient, auth: dict, customer: dict, summary: str) -> dict:
    """A visit with nothing but its summary: kept as a draft."""
    url = f"/v1/customers/{customer['customer_id']}/activities"
    reply = await api.post(url, json={"kind": "visit", "summary": summary}, headers=auth)
    assert reply.status_code == 201, reply.text
    assert reply.json()["activity"]["state"] == "draft"
    return reply.json()["activity"]


async def listed(api: httpx.AsyncClient, auth: dict, **params: object) -> dict:
    reply = await api.get(DRAFTS, params=params, headers=auth)
    assert reply.status_code == 200, reply.text
    return reply.json()


async def test_a_rep_lists_drafts_of_every_customer_the_manager_the_team_and_another_rep_none(
    api: httpx.AsyncClient, js
) -> None:
    await team(js)
    zhangwei, lina, wangqiang = [await login(api, u) for u in ("zhangwei", "lina", "wangqiang")]
    admin, other_tenant = await login(api, "admin"), await login(api, "other-rep")
    factory = await create_customer(api, zhangwei, name="宁波注塑机厂")
    moulds = await create_customer(api, zhangwei, name="慈溪模具公司")
    hers = await create_customer(api, lina, name="杭州精工")
    first = await draft(api, zhangwei, factory, "初访")
    second = await draft(api, zhangwei, moulds, "复访")
    her_draft = await draft(api, lina, hers, "李娜的拜访")
    # A call is never a draft.
    call = await api.post(
        f"/v1/customers/{factory['customer_id']}/activities", json={"kind": "call", "summary": "电话"}, headers=zhangwei
    )
    assert call.status_code == 201, call.text

    mine = (await listed(api, zhangwei))["drafts"]
    assert [(d["activity"]["activity_id"], d["customer_name"], d["rep_name"]) for d in mine] == [
        (second["activity_id"], "慈溪模具公司", "张伟"),
        (first["activity_id"], "宁波注塑机厂", "张伟"),
    ]
    assert {"check_in", "photo", "needs"} <= {v["check"] for v in mine[0]["activity"]["violations"]}
    assert mine[0]["activity"]["customer_id"] == moulds["customer_id"]

    assert [d["activity"]["activity_id"] for d in (await listed(api, lina))["drafts"]] == [her_draft["activity_id"]]
    managed = (await listed(api, wangqiang))["drafts"]
    assert [(d["activity"]["activity_id"], d["activity"]["actor_id"], d["rep_name"]) for d in managed] == [
        (her_draft["activity_id"], "lina", "李娜"),
        (second["activity_id"], "zhangwei", "张伟"),
        (first["activity_id"], "zhangwei", "张伟"),
    ]
    assert len((await listed(api, admin))["drafts"]) == 3
    assert (await listed(api, other_tenant))["drafts"] == []
    for user in ("liufang", "chenjing", "zhaolei"):  # finance, reviewer, partner complete no drafts
        is_problem(await api.get(DRAFTS, headers=await login(api, user)), 403)

    # Completed, a draft leaves the list.
    now = datetime.now(UTC)
    done = await api.post(
        f"/v1/customers/{factory['customer_id']}/activities/{first['activity_id']}/submit",
        json={
            "check_in": {"latitude": HOME[0], "longitude": HOME[1]},
            "photo": b64(jpeg_with_exif(now)),
            "needs": "3 台注塑机",
            "competitors": "海天",
            "next_follow_up_at": (now + timedelta(days=3)).isoformat(),
        },
        headers=zhangwei,
    )
    assert done.status_code == 200, done.text
    assert [d["activity"]["activity_id"] for d in (await listed(api, zhangwei))["drafts"]] == [second["activity_id"]]


async def test_pages_follow_the_token_and_bad_paging_names_its_field(api: httpx.AsyncClient) -> None:
    zhangwei = await login(api, "zhangwei")
    customers = [await create_customer(api, zhangwei, name=f"余姚五金{i}厂") for i in range(2)]
    saved = [await draft(api, zhangwei, customers[i % 2], f"第 {i} 次") for i in range(5)]

    seen, token, pages = [], "", 0
    while True:
        page = await listed(api, zhangwei, page_size=2, **({"page_token": token} if token else {}))
        assert len(page["drafts"]) <= 2
        seen += [d["activity"]["activity_id"] for d in page["drafts"]]
        pages += 1
        token = page.get("next_page_token", "")
        if not token:
            break
    assert seen == [a["activity_id"] for a in reversed(saved)]
    assert pages == 3

    # A token the API did not issue (the service says 400), a page over the bound (the gateway's shape check, 422).
    for params, status, field in (
        ({"page_token": "bm90IG91cnM="}, 400, "page_token"),
        ({"page_size": 201}, 422, "page_size"),
    ):
        problem = is_problem(await api.get(DRAFTS, params=params, headers=zhangwei), status)
        assert any(field in e["field"] for e in problem["errors"]), problem
