"""Distributor organisations through the gateway, against the real
lead-routing service: an admin creates and changes them (the version read is
checked: 409 after someone else's save), bad input is a problem naming the
field, managers list the ones they look after, and a partner reads only their
own organisation — another distributor's is not found."""

from __future__ import annotations

import httpx

from scripts.localstack import DEMO_DISTRIBUTORS
from tests.integration.gateway.test_gateway import is_problem, login


def demo(distributor_id: str) -> dict:
    return next(dict(d) for d in DEMO_DISTRIBUTORS if d["distributor_id"] == distributor_id)


async def test_an_admin_manages_distributors_and_a_partner_sees_their_own(client: httpx.AsyncClient) -> None:
    users = ("admin", "wangqiang", "zhoumin", "zhaolei", "sunli", "zhangwei")
    admin, manager, other_manager, zhaolei, sunli, rep = [await login(client, u) for u in users]

    # Before dist-hz exists, zhaolei (whose token names it) acts for nobody.
    is_problem(await client.get("/v1/partner/organisation", headers=zhaolei), 403)

    created = await client.post("/v1/distributors", json=demo("dist-hz"), headers=admin)
    assert created.status_code == 201, created.text
    hz = created.json()["distributor"]
    assert (hz["distributor_id"], hz["version"], hz["in_contract"]) == ("dist-hz", 1, True)
    assert hz["details"]["territory"] == {
        "provinces": ["浙江省"],
        "cities": ["杭州市"],
        "industries": ["机电设备"],
        "accounts": [],
    }
    is_problem(await client.post("/v1/distributors", json=demo("dist-hz"), headers=admin), 409)
    assert (await client.post("/v1/distributors", json=demo("dist-nb"), headers=admin)).status_code == 201

    # Bad input: a problem naming each field; nothing stored.
    bad = demo("dist-nb") | {
        "distributor_id": "Dist_SX",
        "credit_code": "123",
        "contract_ends": "2025-01-01",
        "territory": {"cities": ["火星市"]},
        "users": ["zhaolei"],
    }
    problem = is_problem(await client.post("/v1/distributors", json=bad, headers=admin), 400)
    assert {e["field"] for e in problem["errors"]} == {
        "distributor_id",
        "credit_code",
        "contract_ends",
        "territory.cities[0]",
    }
    # Shape: too many users is refused by the gateway before any service is asked.
    is_problem(
        await client.post(
            "/v1/distributors",
            json=demo("dist-nb") | {"distributor_id": "dist-sx", "users": [f"u{i}" for i in range(201)]},
            headers=admin,
        ),
        422,
    )

    # A change names the version it was made from; a second change from the same version is 409.
    change = demo("dist-hz") | {"version": 1, "users": ["zhaolei", "qianwu"], "tier": "银牌"}
    changed = await client.put(
        "/v1/distributors/dist-hz", json={k: v for k, v in change.items() if k != "distributor_id"}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["changed"] and changed.json()["distributor"]["version"] == 2
    stale = {k: v for k, v in change.items() if k != "distributor_id"} | {"tier": "普通"}
    is_problem(await client.put("/v1/distributors/dist-hz", json=stale, headers=admin), 409)
    # A user already in another distributor: a problem naming users.
    taken = {k: v for k, v in demo("dist-hz").items() if k != "distributor_id"} | {"users": ["zhaolei", "sunli"]}
    problem = is_problem(await client.put("/v1/distributors/dist-hz", json=taken, headers=admin), 400)
    assert [e["field"] for e in problem["errors"]] == ["users"] and "dist-nb" in problem["errors"][0]["description"]

    # Who reads: managers and admins the tenant's (channel_manager_id=me: the ones they look after); not reps.
    listed = (await client.get("/v1/distributors", params={"channel_manager_id": "me"}, headers=manager)).json()
    assert [d["distributor_id"] for d in listed["distributors"]] == ["dist-hz", "dist-nb"]
    none = (await client.get("/v1/distributors", params={"channel_manager_id": "me"}, headers=other_manager)).json()
    assert not none.get("distributors")
    assert (await client.get("/v1/distributors/dist-nb", headers=other_manager)).status_code == 200
    for refused in (rep, zhaolei):
        is_problem(await client.get("/v1/distributors", headers=refused), 403)
        is_problem(await client.put("/v1/distributors/dist-nb", json=taken, headers=refused), 403)
    is_problem(await client.get("/v1/distributors/dist-hz", headers=rep), 403)

    # A partner: their own organisation, and nothing of another's (404, as for one that does not exist).
    own = (await client.get("/v1/partner/organisation", headers=zhaolei)).json()["distributor"]
    assert own["distributor_id"] == "dist-hz" and own["details"]["users"] == ["qianwu", "zhaolei"]
    assert (await client.get("/v1/distributors/dist-hz", headers=zhaolei)).status_code == 200
    is_problem(await client.get("/v1/distributors/dist-nb", headers=zhaolei), 404)
    is_problem(await client.get("/v1/distributors/dist-none", headers=zhaolei), 404)
    assert (await client.get("/v1/partner/organisation", headers=sunli)).json()["distributor"]["distributor_id"] == (
        "dist-nb"
    )

    # Deactivated, dist-nb acts for nobody: sunli's token still names it, the service refuses.
    off = {k: v for k, v in demo("dist-nb").items() if k != "distributor_id"} | {"active": False}
    assert (await client.put("/v1/distributors/dist-nb", json=off, headers=admin)).status_code == 200
    is_problem(await client.get("/v1/partner/organisation", headers=sunli), 403)
    active = (await client.get("/v1/distributors", params={"active": "true"}, headers=admin)).json()
    assert [d["distributor_id"] for d in active["distributors"]] == ["dist-hz"]
