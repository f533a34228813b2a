"""Every page of the console, as every kind of user, holding ids they must not reach.

The console decides nothing: each page asks the gateway with the user's own token.
This walk proves it leaks nothing either — no page answers 5xx to anyone; another
tenant's rep, a partner and a rep of another team get "not found" or "not allowed"
for objects that are not theirs, and no page body carries names they must not see."""

from __future__ import annotations

import random
import re
import uuid

import pytest
from starlette.routing import Route
from stdnum.cn import uscc
from web.bootstrap import create_app
from web.config import Settings

# Pages that are not pages of data: sign-in, assets, probes, the notification stream.
NOT_PAGES = re.compile(r"^/(static|healthz|readyz|metrics|login|auth/|signed-out|events)")
USERS = ("zhangwei", "wangqiang", "liufang", "chenjing", "admin", "zhaolei", "other-rep")
MISSING = "00000000-0000-7000-8000-00000000abcd"


def _console_get_paths(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    app = create_app(Settings(session_key_path=str(tmp_path_factory.mktemp("walk") / "k"), cookie_secure=False))
    routes = []
    for r in app.router.routes:
        # FastAPI keeps an included router's routes behind it (the pages' routers have no prefix).
        routes += getattr(getattr(r, "original_router", None), "routes", [r])
    return sorted({r.path for r in routes
                   if isinstance(r, Route) and "GET" in (r.methods or ()) and not NOT_PAGES.match(r.path)})


@pytest.fixture(scope="module")
def objects(api) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Objects of the demo tenant, each with a name only its own users may read."""
    tag = uuid.uuid4().hex[:6]
    base = "91330109MA2" + "".join(random.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    wuhao_customer = api("wuhao").post("/v1/customers", json={
        "name": f"萧山专属客户{tag}有限公司", "credit_code": base + uscc.calc_check_digit(base), "phone": "13967100000"})
    assert wuhao_customer.status_code in (200, 201), wuhao_customer.text
    registration = api("sunli").post("/v1/partner/registrations", json={
        "company_name": f"宁波独家报备{tag}有限公司", "phone": "13805740000", "province": "浙江省", "city": "宁波市",
        "district": "鄞州区", "expected_amount": {"amount_minor": 1_000_000, "currency": "CNY"}})
    assert registration.status_code in (200, 201), registration.text
    customers = api("wangqiang").get("/v1/customers").json()
    leads = api("wangqiang").get("/v1/leads").json()
    opportunities = api("wangqiang").get("/v1/opportunities").json()

    def first(listing: dict, key: str) -> str:
        rows = next((v for v in listing.values() if isinstance(v, list)), [])
        return rows[0][key] if rows else MISSING

    body = wuhao_customer.json()
    return {
        "wuhao_customer_id": (body.get("customer") or body)["customer_id"],
        "wuhao_customer_name": f"萧山专属客户{tag}有限公司",
        "registration_id": (registration.json().get("registration") or registration.json())["registration_id"],
        "registration_name": f"宁波独家报备{tag}有限公司",
        "customer_id": first(customers, "customer_id"),
        "lead_id": first(leads, "lead_id"),
        "opportunity_id": first(opportunities, "opportunity_id"),
    }


def _fill(path: str, ids: dict[str, str]) -> str:
    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        for key in ("registration", "customer", "lead", "opportunit"):
            if key in name:
                return ids.get(f"{key}_id", ids.get("opportunity_id") if key == "opportunit" else MISSING)
        return MISSING

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


def test_every_page_as_every_user(console_as, objects, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    paths = _console_get_paths(tmp_path_factory)
    assert len(paths) >= 15, paths  # the walk sees the console's pages, not an empty app
    failures: list[str] = []
    for user in USERS:
        client, _ = console_as(user)
        for template in paths:
            ids = dict(objects)
            if user == "zhangwei":
                ids["customer_id"] = objects["wuhao_customer_id"]  # another team's customer
            url = _fill(template, ids)
            response = client.get(url, headers={"accept": "text/html"})
            text = response.text
            if response.status_code >= 500:
                failures.append(f"{user} GET {url}: {response.status_code}")
            if user != "sunli" and objects["registration_name"] in text and user not in ("wangqiang", "admin"):
                failures.append(f"{user} GET {url}: shows dist-nb's registration")
            # Finance and reviewers read the whole tenant's customers (opportunity's rule); a rep only their own.
            if user in ("zhangwei", "zhaolei", "other-rep") and objects["wuhao_customer_name"] in text:
                failures.append(f"{user} GET {url}: shows another team's customer")
            if "{" in template and user in ("other-rep", "zhaolei") and response.status_code == 200 and (
                "registration" in template or "customer" in template
            ):
                failures.append(f"{user} GET {url}: 200 for an object that is not theirs")
    assert not failures, "\n".join(failures)
