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


def _put_body(distributor_id: str, **changes: object) -> dict:
    return {k: v for k, v in demo(distributor_id).items() if k != "distributor_id"} | changes


REGISTRATION = {
    "company_name": "杭州余杭精工机电有限公司",
    "province": "浙江省",
    "city": "杭州市",
    "contact_name": "陈经理",
    "contact_phone": "13905710000",
    "product_line": "注塑机",
    "quantity": 3,
    "expected_amount": {"amount_minor": 38_000_000, "currency": "CNY"},
    "expected_close_date": "2027-03-31",
}


async def test_a_partners_typed_lead_is_their_distributors_and_deactivation_cuts_every_partner_route(
    client: httpx.AsyncClient,
) -> None:
    admin, zhaolei, sunli, manager = [await login(client, u) for u in ("admin", "zhaolei", "sunli", "wangqiang")]
    for d in ("dist-hz", "dist-nb"):
        assert (await client.post("/v1/distributors", json=demo(d), headers=admin)).status_code == 201

    # zhaolei types a lead in: it carries dist-hz, from the token, never from the body.
    typed = {"company_name": "杭州萧山宏达机械有限公司", "phone": "13905719876", "city": "杭州市"}
    is_problem(await client.post("/v1/leads", json=typed | {"partner_org_id": "dist-nb"}, headers=zhaolei), 422)
    made = await client.post("/v1/leads", json=typed, headers=zhaolei)
    assert made.status_code == 201, made.text
    lead_id = made.json()["lead"]["lead_id"]
    listed = (await client.get("/v1/leads", headers=zhaolei)).json()
    assert [x["lead_id"] for x in listed.get("leads", [])] == [lead_id]
    # Another distributor neither lists nor reads it (not found, as for no lead at all).
    assert lead_id not in {x["lead_id"] for x in (await client.get("/v1/leads", headers=sunli)).json().get("leads", [])}
    is_problem(await client.get(f"/v1/leads/{lead_id}", headers=sunli), 404)
    # The manufacturer sees it in the pool.
    assert (await client.get(f"/v1/leads/{lead_id}", headers=manager)).status_code == 200

    # dist-hz deactivated: zhaolei's token still names it; every partner route refuses them at once.
    off = await client.put("/v1/distributors/dist-hz", json=_put_body("dist-hz", active=False), headers=admin)
    assert off.status_code == 200 and off.json()["changed"], off.text
    refused = [
        ("GET", "/v1/leads", None),
        ("GET", f"/v1/leads/{lead_id}", None),
        ("GET", "/v1/leads/00000000-0000-0000-0000-000000000000", None),  # the same answer as their own lead's
        ("POST", "/v1/leads", typed | {"phone": "13905719877", "company_name": "杭州滨江新客有限公司"}),
        ("GET", "/v1/lead-fields", None),
        ("GET", "/v1/partner/organisation", None),
        ("GET", "/v1/distributors/dist-hz", None),
        ("GET", "/v1/protection-terms", None),
        ("POST", "/v1/partner/registrations", REGISTRATION),
        ("GET", "/v1/partner/registrations", None),
        ("GET", "/v1/partner/registrations/00000000-0000-0000-0000-000000000000", None),
        ("GET", "/v1/partner/promotions", None),
        ("GET", "/v1/partner/promotion-applications", None),
    ]
    for method, url, body in refused:
        reply = await client.request(method, url, json=body, headers=zhaolei)
        assert reply.status_code == 403, f"{method} {url}: {reply.status_code} {reply.text}"
        is_problem(reply, 403)
    # Nothing was entered meanwhile, and the lead is still there for the manufacturer.
    every = (await client.get("/v1/leads", headers=admin)).json()["leads"]
    assert [x["lead_id"] for x in every if x["company_name"] == "杭州滨江新客有限公司"] == []
    assert (await client.get(f"/v1/leads/{lead_id}", headers=manager)).status_code == 200
    # Another distributor's user is not affected.
    assert (await client.get("/v1/leads", headers=sunli)).status_code == 200

    # Reactivated: the same token works again.
    on = await client.put("/v1/distributors/dist-hz", json=_put_body("dist-hz", version=2), headers=admin)
    assert on.status_code == 200 and on.json()["distributor"]["version"] == 3, on.text
    assert [x["lead_id"] for x in (await client.get("/v1/leads", headers=zhaolei)).json()["leads"]] == [lead_id]
    assert (await client.get(f"/v1/leads/{lead_id}", headers=zhaolei)).status_code == 200
    again = typed | {"phone": "13905719878", "company_name": "杭州富阳新客有限公司"}
    assert (await client.post("/v1/leads", json=again, headers=zhaolei)).status_code == 201
    assert (await client.get("/v1/partner/organisation", headers=zhaolei)).status_code == 200
