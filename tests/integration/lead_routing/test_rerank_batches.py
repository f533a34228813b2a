"""New leads arriving together are ranked together, over real gRPC, NATS and
the database: an import's burst of lead.created events gives every lead its
ranking (and an auto_assign lead its owner) exactly once, in fewer ranking
passes than events; the same events delivered again change nothing."""

from __future__ import annotations

import uuid

import nats
import sqlalchemy as sa
from crm.lead_routing.v1 import lead_routing_pb2 as lpb
from crm_shared.db import outbox_table
from lead_routing.adapters.orm.assignments import owner_changes
from lead_routing.adapters.orm.pool import lead_routes, pool_pushes
from prometheus_client import REGISTRY

from tests.integration.lead_routing.routing_helpers import MANAGER, SEED_FORMULA, Api, route
from tests.support.infra import eventually

ROWS = 120  # half on the auto_assign route (柯桥区), half left unowned for "far" to claim (余杭区)
DURABLE = "lead-routing-rerank"


def ranking_passes() -> float:
    return REGISTRY.get_sample_value("crm_pool_rerank_seconds_count", {"scope": "leads"}) or 0.0


def csv_rows() -> str:
    lines = ["公司名称,电话,地址,近6月采购金额"]
    for i in range(ROWS):
        district = "柯桥区" if i % 2 == 0 else "余杭区"
        city = "绍兴市" if i % 2 == 0 else "杭州市"
        lines.append(f"客户{uuid.uuid4().hex[:12]},139{i:08d},浙江省{city}{district},8万")
    return "\n".join(lines) + "\n"


async def count(api: Api, query: sa.Select) -> list[tuple]:
    async with api.svc.runtime.db.sessions() as session:
        return [tuple(r) for r in (await session.execute(query)).all()]


async def consumer_idle(js, stream: str) -> bool:
    info = await js.consumer_info(stream, DURABLE)
    return info.num_pending == 0 and info.num_ack_pending == 0


async def test_a_burst_of_new_leads_is_ranked_in_fewer_passes_and_each_lead_once(api: Api, nats_url: str) -> None:
    await api.activate_formula(SEED_FORMULA)
    await api.put_rep("near", region="柯桥区", capacity=1000)
    await api.put_rep("far", region="余杭区", capacity=1000)
    await api.activate_routes(
        [route("kq", "柯桥直派", '行政区划="柯桥区"', "all", auto_assign=True), route("rest", "其余待领", "", "all")]
    )
    before = ranking_passes()
    report = await api.leads.ImportLeads(
        lpb.ImportLeadsRequest(filename="展会.csv", content=csv_rows().encode()), metadata=MANAGER.metadata()
    )
    assert report.accepted == ROWS
    ids = [r.lead_id for r in report.rows]
    auto, pool = set(ids[0::2]), set(ids[1::2])

    async def all_ranked() -> bool:
        ranked = await count(api, sa.select(lead_routes.c.lead_id).where(lead_routes.c.lead_id.in_(ids)))
        return {lead for (lead,) in ranked} == set(ids)

    await eventually(all_ranked, timeout=60)
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    try:
        stream = (await js.consumer_info("LEAD_ROUTING", DURABLE)).stream_name
        await eventually(lambda: consumer_idle(js, stream), timeout=30)
        passes = ranking_passes() - before
        assert 0 < passes < ROWS, f"{passes:.0f} ranking passes for {ROWS} lead.created events"

        changes = await count(
            api, sa.select(owner_changes.c.lead_id, owner_changes.c.owner_id).where(owner_changes.c.change == "auto")
        )
        assert sorted(lead for lead, _ in changes) == sorted(auto), "each 柯桥区 lead assigned once, no other"
        assert {owner for _, owner in changes} == {"near"}
        pushed = await count(api, sa.select(pool_pushes.c.lead_id, pool_pushes.c.rep_id))
        assert sorted(pushed) == sorted((lead, "far") for lead in pool), "each pool lead's high match recorded"
        outbox = await count(api, sa.select(sa.func.count()).select_from(outbox_table))

        # The same events again (a redelivery after a lost ack, a second relay): nothing happens twice.
        events = await count(
            api, sa.select(outbox_table.c.event_id, outbox_table.c.envelope).where(
                outbox_table.c.subject == "crm.lead.created"
            )
        )
        assert len(events) == ROWS
        for event_id, envelope in events:
            await js.publish("crm.lead.created", envelope, headers={"Nats-Msg-Id": f"{event_id}-again"})
        await eventually(lambda: consumer_idle(js, stream), timeout=30)
        assert ranking_passes() - before == passes, "events already in the inbox are not ranked again"
        assert await count(api, sa.select(sa.func.count()).select_from(outbox_table)) == outbox
        again = await count(api, sa.select(owner_changes.c.lead_id).where(owner_changes.c.change == "auto"))
        assert len(again) == len(auto)
    finally:
        await nc.close()
