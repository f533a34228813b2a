"""Customers through the gateway against the real opportunity service
(in-process, real gRPC, real NATS): access per role with the rep projection
fed by rep.profile_changed, contacts and private notes with history (no
delete), visit evidence and drafts, the hash chain catching a row altered
in the database, lead conversion delivered twice, attach by phone, and
reassignment.

The demo tenant is shared by every gateway test on one NATS server, so
assertions look at the customers a test made, never at whole lists."""

from __future__ import annotations

import base64
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import nats
import pytest
import sqlalchemy as sa
from google.protobuf.message import Message
from stdnum.cn import uscc

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import lead_pb2, rep_pb2
from crm_shared.events import make_envelope, subject_for
from crm_shared.ids import new_id
from opportunity.adapters.orm.activities import activities
from tests.integration.gateway.conftest import other_backend
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import eventually
from tests.unit.opportunity.test_activities import FAR, HOME, NEAR, jpeg_with_exif

TENANT = "demo"


def fresh_code() -> str:
    """A valid 统一社会信用代码 no other test uses."""
    body = "91330200" + "".join(random.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


@pytest.fixture
async def js(nats_url: str):
    nc = await nats.connect(nats_url)
    yield nc.jetstream()
    await nc.close()


@pytest.fixture
async def opportunity(nats_url: str, tmp_path: Path, lead_routing):
    async with other_backend("opportunity", nats_url, tmp_path, lead_routing_addr=lead_routing.address) as svc:
        yield svc


@pytest.fixture
async def api(make_gateway, opportunity) -> httpx.AsyncClient:
    async with make_gateway(opportunity_addr=opportunity.address) as client:
        yield client


async def publish(js, type_: str, aggregate_id: str, payload: Message, tenant: str = TENANT):
    env = make_envelope(type_, tenant, aggregate_id, payload, source="test", occurred_at=datetime.now(UTC))
    await js.publish(subject_for(type_), env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id})
    return env


async def drained(js, durable: str, stream: str) -> bool:
    info = await js.consumer_info(stream, durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


async def demo_team(js) -> None:
    """zhangwei and lina report to wangqiang, as lead-routing announces it."""
    for rep in ("zhangwei", "lina"):
        profile = rep_pb2.RepProfileChanged(rep_id=rep, name=rep, team="华东一组", manager_id="wangqiang",
                                            region="华东", active=True)
        await publish(js, "rep.profile_changed", rep, profile)
    await eventually(lambda: drained(js, "opportunity-rep-profile-changed", "LEAD_ROUTING"))


async def create_customer(api: httpx.AsyncClient, auth: dict, **fields) -> dict:
    body = {"name": "宁波注塑机厂", "credit_code": fresh_code(),
            "location": {"province": "浙江省", "city": "宁波市", "district": "北仑区",
                         "latitude": HOME[0], "longitude": HOME[1]}} | fields
    reply = await api.post("/v1/customers", json=body, headers=auth)
    assert reply.status_code == 201, reply.text
    return reply.json()["customer"]


async def test_access_contacts_and_private_notes(api: httpx.AsyncClient, js) -> None:
    await demo_team(js)
    zhangwei, lina, wangqiang = [await login(api, u) for u in ("zhangwei", "lina", "wangqiang")]
    finance, reviewer, partner, admin = [await login(api, u) for u in ("liufang", "chenjing", "zhaolei", "admin")]
    other = await login(api, "other-rep")

    mine = await create_customer(api, zhangwei, value_tier="重点", tags=["注塑"], industry="机械制造")
    assert (mine["owner_id"], mine["value_tier"], mine["location"]["city"]) == ("zhangwei", "重点", "宁波市")
    hers = await create_customer(api, lina, name="杭州精工")

    dup = await api.post("/v1/customers", json={"name": "重名", "credit_code": mine["credit_code"]}, headers=lina)
    assert "credit_code" in is_problem(dup, 409)["detail"]
    bad = await api.post("/v1/customers", json={"name": "x", "credit_code": "91330200MA2AFK8X10"}, headers=zhangwei)
    assert [e["field"] for e in is_problem(bad, 400)["errors"]] == ["credit_code"]
    tier = await api.post("/v1/customers", json={"name": "x", "credit_code": fresh_code(), "value_tier": "金牌"},
                          headers=zhangwei)
    assert [e["field"] for e in is_problem(tier, 400)["errors"]] == ["value_tier"]

    url = f"/v1/customers/{mine['customer_id']}"
    for who in (zhangwei, wangqiang, finance, reviewer, admin):
        assert (await api.get(url, headers=who)).status_code == 200
    for who in (lina, partner, other):
        is_problem(await api.get(url, headers=who), 404)

    async def listed(who: dict) -> set[str]:
        reply = await api.get("/v1/customers", params={"page_size": 200}, headers=who)
        assert reply.status_code == 200, reply.text
        return {c["customer_id"] for c in reply.json()["customers"]}

    assert mine["customer_id"] in await listed(zhangwei) and hers["customer_id"] not in await listed(zhangwei)
    assert {mine["customer_id"], hers["customer_id"]} <= await listed(wangqiang)
    assert {mine["customer_id"], hers["customer_id"]} <= await listed(finance)
    assert await listed(other) == set()
    # zhaolei's dist-hz is no distributor of this lead-routing: their list is refused as lead-routing refuses them.
    assert "not a user of an active distributor" in is_problem(await api.get("/v1/customers", headers=partner), 403)["detail"]

    # Read-only roles change nothing.
    is_problem(await api.patch(url, json={"value_tier": "战略"}, headers=finance), 403)
    patched = await api.patch(url, json={"value_tier": "战略"}, headers=zhangwei)
    assert patched.json()["customer"]["value_tier"] == "战略"

    # Contacts: a change is a new version, the old one stays.
    added = await api.post(f"{url}/contacts", json={"name": "张总", "title": "采购经理", "phone": "13800138000",
                                                    "purchase_role": "采购", "influence": 3,
                                                    "personality": "严谨型"}, headers=zhangwei)
    assert added.status_code == 201, added.text
    contact_id = added.json()["contact"]["contact_id"]
    changed = await api.patch(f"{url}/contacts/{contact_id}", json={"title": "副总经理", "purchase_role": "决策人",
                                                                     "influence": 5}, headers=zhangwei)
    assert changed.status_code == 200, changed.text
    got = (await api.get(f"{url}/contacts", headers=reviewer)).json()["contacts"]
    assert [(h["version"], h["title"]) for h in got[0]["history"]] == [(1, "采购经理"), (2, "副总经理")]
    assert (got[0]["title"], got[0]["purchase_role"], got[0]["influence"]) == ("副总经理", "决策人", 5)
    wrong = await api.patch(f"{url}/contacts/{contact_id}", json={"influence": 9}, headers=zhangwei)
    assert [e["field"] for e in is_problem(wrong, 400)["errors"]] == ["influence"]

    # Private notes: owner writes, owner/manager/admin read, edits keep history, never deleted.
    note = await api.post(f"{url}/notes", json={"text": "客户孩子在宁波外国语学校"}, headers=zhangwei)
    assert note.status_code == 201, note.text
    note_id = note.json()["note"]["note_id"]
    edited = await api.patch(f"{url}/notes/{note_id}", json={"text": "客户周末喜欢钓鱼"}, headers=zhangwei)
    assert [h["text"] for h in edited.json()["note"]["history"]] == ["客户孩子在宁波外国语学校", "客户周末喜欢钓鱼"]
    for who in (zhangwei, wangqiang, admin):
        notes = (await api.get(f"{url}/notes", headers=who)).json()["notes"]
        assert [n["text"] for n in notes] == ["客户周末喜欢钓鱼"]
    for who in (finance, reviewer):
        is_problem(await api.get(f"{url}/notes", headers=who), 403)
    is_problem(await api.get(f"{url}/notes", headers=lina), 404)
    is_problem(await api.post(f"{url}/notes", json={"text": "x"}, headers=wangqiang), 403)
    is_problem(await api.delete(f"{url}/notes/{note_id}", headers=zhangwei), 405)
    notes = (await api.get(f"{url}/notes", headers=zhangwei)).json()["notes"]
    assert [n["version"] for n in notes] == [2]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def visit_body(now: datetime, **overrides) -> dict:
    return {
        "kind": "visit",
        "summary": "拜访采购部",
        "check_in": {"latitude": NEAR[0], "longitude": NEAR[1]},
        "photo": b64(jpeg_with_exif(now - timedelta(minutes=5))),
        "photo_content_type": "image/jpeg",
        "needs": "二期产线 3 台注塑机",
        "competitors": "海天报价低 8%",
        "next_follow_up_at": (now + timedelta(days=7)).isoformat(),
    } | overrides


async def test_visit_evidence_drafts_and_the_hash_chain(api: httpx.AsyncClient, opportunity) -> None:
    zhangwei, reviewer = await login(api, "zhangwei"), await login(api, "chenjing")
    customer = await create_customer(api, zhangwei)
    url = f"/v1/customers/{customer['customer_id']}"
    now = datetime.now(UTC)

    ok = await api.post(f"{url}/activities", json=visit_body(now), headers=zhangwei)
    assert ok.status_code == 201, ok.text
    assert (ok.json()["activity"]["state"], ok.json()["activity"]["violations"]) == ("submitted", [])

    cases = {
        "too far": ({"check_in": {"latitude": FAR[0], "longitude": FAR[1]}}, ["check_in"]),
        "old photo": ({"photo": b64(jpeg_with_exif(now - timedelta(hours=2)))}, ["photo"]),
        "16 days": ({"next_follow_up_at": (now + timedelta(days=16)).isoformat()}, ["next_follow_up_at"]),
    }
    for name, (overrides, failed) in cases.items():
        reply = await api.post(f"{url}/activities", json=visit_body(now, **overrides), headers=zhangwei)
        assert reply.status_code == 201, reply.text
        activity = reply.json()["activity"]
        assert (activity["state"], [v["check"] for v in activity["violations"]]) == ("draft", failed), name

    incomplete = visit_body(now, photo="", competitors="")
    del incomplete["next_follow_up_at"]
    draft = (await api.post(f"{url}/activities", json=incomplete, headers=zhangwei)).json()["activity"]
    assert [v["check"] for v in draft["violations"]] == ["photo", "competitors", "next_follow_up_at"]

    submit = f"{url}/activities/{draft['activity_id']}/submit"
    refused = is_problem(await api.post(submit, json={"competitors": "海天"}, headers=zhangwei), 409)
    assert [v["type"] for v in refused["violations"]] == ["photo", "next_follow_up_at"]
    done = await api.post(submit, json={
        "competitors": "海天", "photo": b64(jpeg_with_exif(datetime.now(UTC))),
        "next_follow_up_at": (now + timedelta(days=3)).isoformat(),
    }, headers=zhangwei)
    assert done.status_code == 200, done.text
    completion = done.json()["activity"]
    assert (completion["state"], completion["relation"], completion["refers_to"]) == (
        "submitted", "completes", draft["activity_id"]
    )
    photo = await api.get(f"{url}/photos/{completion['photo_id']}", headers=zhangwei)
    assert base64.b64decode(photo.json()["content"])[:2] == b"\xff\xd8"

    log = (await api.get(f"{url}/activities", headers=reviewer)).json()["activities"]
    assert [a["seq"] for a in log] == [1, 2, 3, 4, 5, 6]
    fetched = (await api.get(url, headers=zhangwei)).json()["customer"]
    assert fetched["last_interaction_at"] and fetched["next_follow_up_at"]

    chain = await api.get(f"{url}/activity-chain", headers=reviewer)
    assert (chain.json()["intact"], chain.json()["entries"]) == (True, 6)
    # "The rep promised a free firmware upgrade": someone edits the row in the database.
    async with opportunity.runtime.db.engine.begin() as conn:
        await conn.execute(sa.update(activities).where(activities.c.activity_id == log[2]["activity_id"])
                           .values(needs="承诺免费升级固件"))
    broken = (await api.get(f"{url}/activity-chain", headers=reviewer)).json()
    assert (broken["intact"], broken["first_broken_activity_id"], broken["first_broken_seq"]) == (
        False, log[2]["activity_id"], 3
    )


async def test_lead_converted_twice_attach_by_phone_and_reassign(api: httpx.AsyncClient, js) -> None:
    await demo_team(js)
    code, phone = fresh_code(), f"+86138{random.randint(10_000_000, 99_999_999)}"
    lead_id = new_id()

    def converted(lead: str, **overrides) -> lead_pb2.LeadConverted:
        fields = dict(lead_id=lead, company_name="绍兴柯桥纺织机械有限公司", credit_code=code, contact_name="王经理",
                      phone=phone, province="浙江省", city="绍兴市", district="柯桥区", owner_id="zhangwei",
                      opportunity_name="织机升级", expected_amount=Money(amount_minor=50_000_000, currency="CNY"),
                      latitude=30.089, longitude=120.493, address="齐贤街道 88 号")
        return lead_pb2.LeadConverted(**(fields | overrides))

    env = await publish(js, "lead.converted", lead_id, converted(lead_id))
    # The same envelope delivered again (another message id, so JetStream keeps it).
    await js.publish(subject_for("lead.converted"), env.SerializeToString(), headers={"Nats-Msg-Id": new_id()})
    second_lead = new_id()
    await publish(js, "lead.converted", second_lead, converted(second_lead, credit_code="", company_name="柯桥纺机",
                                                               opportunity_name="备件"))
    await eventually(lambda: drained(js, "opportunity-lead-converted", "LEAD_ROUTING"))

    admin, wangqiang = await login(api, "admin"), await login(api, "wangqiang")
    zhangwei, lina = await login(api, "zhangwei"), await login(api, "lina")
    everyone = (await api.get("/v1/customers", params={"page_size": 200}, headers=admin)).json()["customers"]
    ours = [c for c in everyone if c["credit_code"] == code]
    assert len(ours) == 1
    customer = ours[0]
    assert (customer["owner_id"], customer["location"]["address"]) == ("zhangwei", "齐贤街道 88 号")
    opps = []
    for lead in (lead_id, second_lead):
        found = (await api.get("/v1/opportunities", params={"lead_id": lead}, headers=admin)).json()["opportunities"]
        assert len(found) == 1
        opps.append(found[0])
    assert {o["customer_id"] for o in opps} == {customer["customer_id"]}
    contacts = (await api.get(f"/v1/customers/{customer['customer_id']}/contacts", headers=admin)).json()["contacts"]
    assert [c["name"] for c in contacts] == ["王经理"]

    url = f"/v1/customers/{customer['customer_id']}"
    await api.post(f"{url}/notes", json={"text": "老板姓陈,决策快"}, headers=zhangwei)
    is_problem(await api.post(f"{url}:reassign", json={"to_owner_id": "lina"}, headers=zhangwei), 403)
    moved = await api.post(f"{url}:reassign", json={"to_owner_id": "lina"}, headers=wangqiang)
    assert moved.status_code == 200, moved.text
    counts = moved.json()["moved"]
    assert (counts["customers"], counts["opportunities"], counts["notes"], counts["contacts"]) == (1, 2, 1, 1)
    is_problem(await api.get(url, headers=zhangwei), 404)
    assert (await api.get(url, headers=lina)).json()["customer"]["owner_id"] == "lina"
    # A private note stays with its author: the new owner does not read it, the author still does.
    notes = (await api.get(f"{url}/notes", headers=lina)).json()["notes"]
    assert [n["text"] for n in notes] == []
    notes = (await api.get(f"{url}/notes", headers=zhangwei)).json()["notes"]
    assert [n["text"] for n in notes] == ["老板姓陈,决策快"]

    # lina leaves: everything of hers goes to zhangwei.
    is_problem(await api.post("/v1/reps/lina:handover", json={"to_owner_id": "zhangwei"}, headers=lina), 403)
    handed = await api.post("/v1/reps/lina:handover", json={"to_owner_id": "zhangwei"}, headers=wangqiang)
    assert handed.status_code == 200, handed.text
    assert customer["customer_id"] in handed.json()["customer_ids"]
    assert handed.json()["moved"]["opportunities"] >= 2
    assert (await api.get(url, headers=zhangwei)).json()["customer"]["owner_id"] == "zhangwei"
