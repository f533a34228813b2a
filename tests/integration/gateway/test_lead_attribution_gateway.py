"""Through REST: a merged lead's sources and touches, approximate coordinates
from an address, and the explanation of a claim (score and rank)."""

from __future__ import annotations

import httpx

from tests.integration.gateway.test_gateway import login


async def test_touches_sources_coordinates_and_the_claim_explanation_in_json(client: httpx.AsyncClient) -> None:
    manager = await login(client, "wangqiang")
    body = {"company_name": "宁波北仑海天注塑配件厂", "phone": "13805742233", "address": "浙江省宁波市北仑区小港街道"}
    first = await client.post(
        "/v1/leads", json=body | {"source": "百度爱采购", "channel": "爱采购店铺", "campaign": "注塑机"}, headers=manager
    )
    assert first.status_code == 201, first.text
    lead = first.json()["lead"]
    assert (lead["coordinates_source"], lead["coordinates_approximate"]) == ("district", True)
    assert isinstance(lead["latitude"], float) and isinstance(lead["longitude"], float)
    again = await client.post("/v1/leads", json=body | {"source": "展会扫码", "channel": "宁波机床展"}, headers=manager)
    assert again.json()["duplicate"]["sources"] == ["百度爱采购", "展会扫码"]
    got = (await client.get(f"/v1/leads/{lead['lead_id']}", headers=manager)).json()["lead"]
    assert got["sources"] == ["百度爱采购", "展会扫码"]
    assert [(t["source"], t["channel"], t["campaign"]) for t in got["touches"]] == [
        ("百度爱采购", "爱采购店铺", "注塑机"),
        ("展会扫码", "宁波机床展", ""),
    ]
    long = await client.post("/v1/leads", json=body | {"campaign": "x" * 101}, headers=manager)
    assert long.status_code in (400, 422)

    rep = await login(client, "zhangwei")
    profile = {"name": "张伟", "region": "北仑区", "capacity": 10, "daily_claim_limit": 5}
    assert (await client.put("/v1/reps/zhangwei", json=profile, headers=manager)).status_code in (200, 201)
    claimed = await client.post(f"/v1/leads/{lead['lead_id']}/claim", headers=rep)
    assert claimed.status_code == 200, claimed.text
    why = (await client.get(f"/v1/leads/{lead['lead_id']}/explanation", headers=rep)).json()["explanation"]
    assert (why["change"], why["owner_id"], why["rank"]) == ("claim", "zhangwei", 1)
    assert why["summary"].startswith("zhangwei")
