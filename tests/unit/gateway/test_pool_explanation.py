"""GET /v1/pool/{lead_id}/explanation asks lead-routing's ExplainPoolLead for
the lead and the rep named (a rep's own is decided by the service), to the
roles of the pool only."""

from __future__ import annotations

from pathlib import Path

from tests.unit.gateway.surface import gateway, token


async def test_the_pool_explanation_asks_lead_routing_for_the_lead_and_rep(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, backends):
        reply = await client.get(
            "/v1/pool/lead-1/explanation", params={"rep_id": "lina"}, headers=await token(client, "wangqiang")
        )
        assert reply.status_code == 200, reply.text
        for key in ("route_name", "route_condition", "rep_filter", "rep_filter_passed", "terms", "score", "rank"):
            assert key in reply.json(), key
        [(service, method, request)] = backends.calls
        assert (service, method) == ("crm.lead_routing.v1.RoutingService", "ExplainPoolLead")
        assert (request.lead_id, request.rep_id) == ("lead-1", "lina")

        reply = await client.get("/v1/pool/lead-1/explanation", headers=await token(client, "zhangwei"))
        assert reply.status_code == 200 and backends.calls[-1][2].rep_id == ""

        reply = await client.get("/v1/pool/lead-1/explanation", headers=await token(client, "liufang"))
        assert reply.status_code == 403  # finance has no pool
        reply = await client.get(
            "/v1/pool/lead-1/explanation", params={"rep_id": "x" * 65}, headers=await token(client, "wangqiang")
        )
        assert reply.status_code == 422 and "rep_id" in reply.text
        assert len(backends.calls) == 2
