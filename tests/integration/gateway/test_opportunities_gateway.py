"""Opportunities through the gateway, by the org model: a rep sees their own,
a manager their team's (rep profiles from lead-routing) plus their own, admin,
finance and reviewers the tenant's; partners and other tenants nothing.
Finance and reviewers read but never write. Every stage move, reopening
included, is announced as opportunity.stage_changed."""

from __future__ import annotations

from datetime import timedelta

from nats.js.api import DeliverPolicy

from crm.events.v1 import opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import unpack
from tests.integration.gateway.test_gateway import is_problem
from tests.integration.gateway.test_pipelines_gateway import (  # noqa: F401 (fixtures)
    Stack,
    create_opportunity,
    create_pipeline,
    move,
    opportunity_db,
    stack,
)
from tests.support.pipeline_seeds import EXPO

READ_ONLY = ("liufang", "chenjing")  # finance, reviewer


async def test_each_role_sees_the_opportunities_of_its_scope(stack: Stack) -> None:
    s = stack
    zhangwei = (await create_opportunity(s, "zhangwei"))["opportunity_id"]
    lina = (await create_opportunity(s, "lina"))["opportunity_id"]
    own = (await create_opportunity(s, "wangqiang"))["opportunity_id"]
    # zhaoliu is in 华南组 under sunli, not in wangqiang's team.
    south = (await create_opportunity(s, "admin", owner_id="zhaoliu"))["opportunity_id"]

    async def listed(user: str) -> set[str]:
        reply = await s.client.get("/v1/opportunities", headers=await s.as_(user))
        assert reply.status_code == 200, reply.text
        return {o["opportunity_id"] for o in reply.json()["opportunities"]}

    async def status(user: str, opportunity_id: str) -> int:
        return (await s.client.get(f"/v1/opportunities/{opportunity_id}", headers=await s.as_(user))).status_code

    assert await listed("zhangwei") == {zhangwei}
    assert await listed("lina") == {lina}
    assert await listed("wangqiang") == {zhangwei, lina, own}
    for user in ("admin", *READ_ONLY):
        assert await listed(user) == {zhangwei, lina, own, south}
    # A partner's list would hold none of these; zhaolei's dist-hz is no distributor of this lead-routing: 403.
    refused = await s.client.get("/v1/opportunities", headers=await s.as_("zhaolei"))
    assert refused.status_code == 403 and "not a user of an active distributor" in refused.text, refused.text
    assert await listed("other-rep") == set()  # another tenant

    assert await status("wangqiang", zhangwei) == 200
    assert await status("wangqiang", south) == 404
    assert await status("zhangwei", lina) == 404
    assert await status("zhangwei", own) == 404
    for user in ("admin", *READ_ONLY):
        assert await status(user, south) == 200
    assert await status("zhaolei", zhangwei) == 404
    assert await status("other-rep", zhangwei) == 404


async def test_finance_and_reviewers_read_but_never_write(stack: Stack) -> None:
    s = stack
    pipeline = await create_pipeline(s, EXPO)
    opp = await create_opportunity(s, "zhangwei", pipeline_id=pipeline["pipeline_id"])
    opp_id, customer_id = opp["opportunity_id"], opp["customer_id"]
    unplaced = (await create_opportunity(s, "zhangwei"))["opportunity_id"]
    placed = await s.client.post(
        f"/v1/opportunities/{unplaced}/pipeline", json={"pipeline_id": pipeline["pipeline_id"]},
        headers=await s.as_("zhangwei"),
    )
    assert placed.status_code == 200, placed.text
    closed = await s.client.post(
        f"/v1/opportunities/{unplaced}/lost", json={"reason": "客户预算冻结"}, headers=await s.as_("zhangwei")
    )
    assert closed.status_code == 200, closed.text

    for user in READ_ONLY:
        who = await s.as_(user)
        writes = [
            s.client.post("/v1/opportunities", json={"customer_name": "某公司", "name": "x"}, headers=who),
            s.client.patch(f"/v1/opportunities/{opp_id}", json={"decision_maker": "李总"}, headers=who),
            move(s, opp_id, "技术顾问首次触达", user=user),
            s.client.post(f"/v1/opportunities/{opp_id}/won", json={"reason": "x"}, headers=who),
            s.client.post(f"/v1/opportunities/{opp_id}/lost", json={"reason": "x"}, headers=who),
            s.client.post(f"/v1/opportunities/{unplaced}/reopen", headers=who),
            s.client.post(
                "/v1/customers", json={"name": "某公司", "credit_code": "91330200MA2AFK8X1K"}, headers=who
            ),
            s.client.patch(f"/v1/customers/{customer_id}", json={"value_tier": "战略"}, headers=who),
            s.client.post(f"/v1/customers/{customer_id}/contacts", json={"name": "王经理"}, headers=who),
            s.client.post(
                f"/v1/customers/{customer_id}/activities", json={"kind": "call", "summary": "x"}, headers=who
            ),
        ]
        for write in writes:
            is_problem(await write, 403)
        # Reading still works.
        assert (await s.client.get(f"/v1/opportunities/{opp_id}", headers=who)).status_code == 200
        assert (await s.client.get(f"/v1/customers/{customer_id}", headers=who)).status_code == 200

    # Nothing changed.
    got = (await s.client.get(f"/v1/opportunities/{opp_id}", headers=await s.as_("zhangwei"))).json()["opportunity"]
    assert (got["stage"], got["status"], got.get("decision_maker", "")) == ("扫码留资", "open", "")
    reopened = (await s.client.get(f"/v1/opportunities/{unplaced}", headers=await s.as_("zhangwei"))).json()
    assert reopened["opportunity"]["status"] == "lost"
    customers = (await s.client.get("/v1/customers", headers=await s.as_("admin"))).json()["customers"]
    assert len(customers) == 2


async def test_every_stage_move_reopening_included_is_announced(stack: Stack) -> None:
    s = stack
    sub = await s.js.subscribe(
        "crm.opportunity.stage_changed", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
    )
    pipeline = await create_pipeline(s, EXPO)
    opp_id = (await create_opportunity(s, "zhangwei", pipeline_id=pipeline["pipeline_id"]))["opportunity_id"]
    assert (await move(s, opp_id, "技术顾问首次触达")).status_code == 200
    lost = await s.client.post(
        f"/v1/opportunities/{opp_id}/lost", json={"reason": "客户预算冻结"}, headers=await s.as_("zhangwei")
    )
    assert lost.status_code == 200, lost.text
    s.clock.advance(timedelta(days=1))
    reopened = await s.client.post(f"/v1/opportunities/{opp_id}/reopen", headers=await s.as_("zhangwei"))
    assert reopened.status_code == 200, reopened.text

    async def next_move() -> opportunity_pb2.OpportunityStageChanged:
        while True:
            event = unpack(Envelope.FromString((await sub.next_msg(timeout=10)).data),
                           opportunity_pb2.OpportunityStageChanged)
            if event.opportunity_id == opp_id:
                return event

    moves = [await next_move() for _ in range(3)]
    assert [(m.from_stage, m.to_stage, m.actor_id) for m in moves] == [
        ("", "扫码留资", "zhangwei"),  # placed on creation
        ("扫码留资", "技术顾问首次触达", "zhangwei"),
        ("技术顾问首次触达", "技术顾问首次触达", "zhangwei"),  # reopened where it was lost
    ]
    assert {m.pipeline_id for m in moves} == {pipeline["pipeline_id"]}

