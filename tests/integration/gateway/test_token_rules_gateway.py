"""Through the gateway (over the real lead-routing service): a token signed
with the issuer's own key still does not act when it lives too long, names
an unknown user, or claims a role the user does not have; and the refused
write changes nothing."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import jwt

from gateway.auth import _load_or_create_key
from tests.integration.gateway.test_gateway import is_problem, login

LEAD = {"company_name": "绍兴柯桥恒盛纺织有限公司", "phone": "13805751234", "source": "展会扫码"}
YEAR = 365 * 24 * 3600


def bearer(key_path: Path, **overrides: object) -> dict[str, str]:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": "crm-gateway-dev",
        "aud": "crm-api",
        "sub": "zhangwei",
        "tenant": "demo",
        "role": "rep",
        "iat": now,
        "exp": now + 600,
    } | overrides
    token = jwt.encode(claims, _load_or_create_key(str(key_path)), algorithm="RS256")
    return {"Authorization": f"Bearer {token}"}


async def test_long_lived_unknown_and_mis_roled_tokens_get_401_and_change_nothing(make_gateway, tmp_path: Path) -> None:
    key_path = tmp_path / "dev-key.pem"
    _load_or_create_key(str(key_path))
    async with make_gateway(dev_key_path=str(key_path)) as client:
        client: httpx.AsyncClient
        manager = await login(client, "wangqiang")
        first = await client.post("/v1/leads", json=LEAD, headers=manager)
        assert first.status_code == 201, first.text
        # A well-formed token of our own issuer acts...
        assert (await client.get("/v1/leads", headers=bearer(key_path))).status_code == 200
        now = int(time.time())
        for headers in (
            bearer(key_path, iat=now, exp=now + 100 * YEAR),  # valid for 100 years
            bearer(key_path, sub="ghost"),  # no such user
            bearer(key_path, sub="ghost", role="admin"),
            bearer(key_path, role="manager"),  # zhangwei is a rep
            bearer(key_path, tenant="other"),  # zhangwei is not a user of "other"
        ):
            is_problem(await client.get("/v1/leads", headers=headers), 401)
            # The same company again would merge into the first lead: refused before anything happens.
            is_problem(await client.post("/v1/leads", json=LEAD | {"source": "百度爱采购"}, headers=headers), 401)
            is_problem(await client.post("/v1/leads", json=LEAD, headers=headers | {"Idempotency-Key": "k1"}), 401)
        listed = (await client.get("/v1/leads", headers=manager)).json()["leads"]
        assert [x["lead_id"] for x in listed] == [first.json()["lead"]["lead_id"]]
        assert listed[0]["source"] == "展会扫码"
