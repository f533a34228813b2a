"""Through the gateway against the real opportunity service (real gRPC,
NATS, database): a PATCH changes only what it sends, an activity keeps the
planned follow-up unless it replaces or clears it, and amounts above the
bound are refused with a problem naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.integration.gateway.test_customers_gateway import api, fresh_code, opportunity  # noqa: F401 (fixtures)
from tests.integration.gateway.test_gateway import is_problem, login


async def test_patch_location_follow_up_and_money_bound(api: httpx.AsyncClient) -> None:  # noqa: F811
    rep = await login(api, "zhangwei")
    created = await api.post("/v1/customers", headers=rep, json={
        "name": "宁波北仑注塑", "credit_code": fresh_code(),
        "location": {"province": "浙江省", "city": "宁波市", "district": "北仑区", "latitude": 29.87, "longitude": 121.54},
    })
    assert created.status_code == 201, created.text
    url = f"/v1/customers/{created.json()['customer']['customer_id']}"

    patched = await api.patch(url, headers=rep, json={"location": {"address": "大碶街道 88 号"}})
    assert patched.status_code == 200, patched.text
    loc = patched.json()["customer"]["location"]
    assert (loc["province"], loc["city"], loc["district"], loc["address"], loc["latitude"]) == (
        "浙江省", "宁波市", "北仑区", "大碶街道 88 号", 29.87
    )

    planned = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    moved = await api.put(f"{url}/follow-up", headers=rep, json={"next_follow_up_at": planned.isoformat()})
    assert moved.status_code == 200, moved.text
    call = await api.post(f"{url}/activities", headers=rep, json={"kind": "call", "summary": "电话确认样件进度"})
    assert call.status_code == 201, call.text
    kept = (await api.get(url, headers=rep)).json()["customer"]
    assert datetime.fromisoformat(kept["next_follow_up_at"].replace("Z", "+00:00")) == planned
    cleared = await api.post(f"{url}/activities", headers=rep,
                             json={"kind": "call", "summary": "项目取消", "clear_follow_up": True})
    assert cleared.status_code == 201, cleared.text
    assert not (await api.get(url, headers=rep)).json()["customer"].get("next_follow_up_at")

    too_much = await api.post("/v1/opportunities", headers=rep, json={
        "customer_name": "宁波北仑注塑", "name": "二期", "amount": {"amount_minor": 2**63 - 1, "currency": "CNY"}})
    problem = is_problem(too_much, 422)
    assert "amount" in str(problem)
