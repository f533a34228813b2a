"""A rep is pushed when a lead is given to them (by a manager or automatically),
with the customer's key need and the first-touch deadline; a rep who claims a
lead is not. Real gRPC, database, outbox and NATS."""

from __future__ import annotations

import nats
import pytest

from crm.events.v1 import lead_pb2, notification_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared.events import unpack
from lead_routing.bootstrap import build
from lead_routing.config import Settings
from tests.integration.lead_routing.routing_helpers import MANAGER, QUIET_JOBS, SEED_FORMULA, Api, clock, rep, route
from tests.support.infra import migrate, run_service


@pytest.fixture
async def api(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, clock=clock(), **QUIET_JOBS
    ) as svc:
        yield Api(svc)


@pytest.fixture
async def pushes(nats_url: str):
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe(
        "crm.notification.requested", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )

    async def next_push() -> tuple[Envelope, notification_pb2.NotificationRequested]:
        envelope = Envelope.FromString((await sub.next_msg(timeout=10)).data)
        return envelope, unpack(envelope, notification_pb2.NotificationRequested)

    yield next_push
    await nc.close()


async def outbox_pushes(api: Api) -> list[notification_pb2.NotificationRequested]:
    return [
        unpack(Envelope.FromString(e), notification_pb2.NotificationRequested)
        for e in await api.outbox("crm.notification.requested")
    ]


async def test_a_manager_assignment_pushes_the_rep_but_a_claim_does_not(api: Api, pushes) -> None:
    await api.put_rep("r1")
    await api.put_rep("r2")
    claimed = await api.lead("上虞化工", industry_tags=["空压机"])
    await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=claimed), metadata=rep("r2").metadata())
    given = await api.lead(
        "绍兴柯桥精工注塑", source="展会扫码", industry_tags=["注塑机", "数控机床"], budget=120_000
    )
    await api.routing.AssignLead(pb.AssignLeadRequest(lead_id=given, rep_id="r1"), metadata=MANAGER.metadata())

    envelope, push = await pushes()  # the claim came first and sent nothing: this is the manager's
    assert envelope.tenant_id == MANAGER.tenant_id
    assert (push.recipient_id, push.kind, push.title, push.subject_type, push.subject_id, push.notify_group) == (
        "r1",
        "lead.assigned",
        "绍兴柯桥精工注塑",
        "lead",
        given,
        False,
    )
    # the key need, and the deadline (default 24 h from Monday 09:00) in Shanghai time
    for part in ("注塑机、数控机床", "120,000 元", "展会扫码", "2026-11-24 09:00"):
        assert part in push.body
    assert [p.subject_id for p in await outbox_pushes(api)] == [given]


async def test_an_automatic_assignment_pushes_the_rep_with_the_route_deadline(api: Api, pushes) -> None:
    await api.activate_formula(SEED_FORMULA)
    await api.put_rep("near", region="柯桥区")
    await api.put_rep("far", region="余杭区")
    await api.activate_routes(
        [route("web", "官网询盘直派", '来源="官网表单"', "all", auto_assign=True, sla_hours=2), route("rest", "其余", "", "pool")]
    )
    lead_id = await api.lead(
        "柯桥恒锐纺机", source="官网表单", district="柯桥区", city="绍兴市", purchases_6m=80_000, industry_tags=["纺织机械"]
    )

    _, push = await pushes()
    assert (push.recipient_id, push.kind, push.title, push.subject_id, push.notify_group) == (
        "near",
        "lead.assigned",
        "柯桥恒锐纺机",
        lead_id,
        False,
    )
    assert "纺织机械" in push.body and "官网表单" in push.body and "2026-11-23 11:00" in push.body


async def test_a_batch_giving_a_rep_many_leads_sends_them_one_digest(api: Api) -> None:
    # The automatic batch gives "big" six leads and "small" one: "big" gets one message listing
    # the first three and the earliest deadline, "small" the usual push; every lead is evented.
    await api.put_rep("big", capacity=10)
    await api.put_rep("small", capacity=1)
    names = [f"柯桥纺机{i}厂" for i in range(7)]
    ids = [await api.lead(name) for name in names]
    reply = await api.routing.AssignPool(pb.AssignPoolRequest(), metadata=MANAGER.metadata())
    owners = {a.lead_id: a.rep_id for a in reply.assignments}
    assert sorted(owners) == sorted(ids) and sorted(owners.values()) == ["big"] * 6 + ["small"]
    assert sorted(api_lead_ids(await api.outbox("crm.lead.assigned"))) == sorted(ids)
    by_rep = {p.recipient_id: p for p in await outbox_pushes(api)}
    assert len(await outbox_pushes(api)) == 2
    digest, single = by_rep["big"], by_rep["small"]
    assert (digest.kind, digest.title, digest.subject_type, digest.notify_group) == (
        "lead.assigned_digest", "为您分配了 6 条线索", "pool", False,
    )
    given_big = [names[ids.index(lead)] for lead, owner in owners.items() if owner == "big"]
    assert sum(name in digest.body for name in given_big) == 3 and "等 6 条" in digest.body
    assert "2026-11-24 09:00" in digest.body  # 24 h from Monday 09:00, Shanghai time
    assert (single.kind, single.subject_id) == ("lead.assigned", next(k for k, v in owners.items() if v == "small"))


def api_lead_ids(envelopes: list[bytes]) -> list[str]:
    return [unpack(Envelope.FromString(e), lead_pb2.LeadAssigned).lead_id for e in envelopes]
