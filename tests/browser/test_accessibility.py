"""Every page of the console checked with axe-core as the user it is for, on a desktop and on a phone:
no serious or critical violation anywhere (the areas' own walks check their pages after each step too)."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_console_access import _console_get_paths

# Who a page is for; the rest are a rep's.
OWNERS = (
    (re.compile(r"^/signals/(flags|settings|conversion)"), "wangqiang"),
    (re.compile(r"^/partner/clashes"), "wangqiang"),
    (re.compile(r"^/partner"), "zhaolei"),
    (re.compile(r"^/finance"), "liufang"),
    (re.compile(r"^/(routing|approvals|board|dashboard)"), "wangqiang"),
    # CDI, the heat map, process health (PHI with its evidence, the KPI bars, the rep profile): a manager's team
    (re.compile(r"^/indexes/"), "wangqiang"),
    (re.compile(r"^/forecast"), "wangqiang"),  # the forecast and the win model's report: a manager's team
)
# Fragments and helpers, not pages a user opens.
NOT_OPENED = re.compile(r"^/(board/cards|routing/routes/row)$|/(material|diff)\b|/(versions|why)$")


def _owner(path: str) -> str:
    return next((user for pattern, user in OWNERS if pattern.search(path)), "zhangwei")


@pytest.fixture(scope="module")
def ids(api) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Ids of objects each page's user may see (pages whose object the demo data lacks are left out)."""
    found: dict[str, str] = {}
    customers = api("zhangwei").get("/v1/customers").json().get("customers", [])
    leads = api("zhangwei").get("/v1/leads").json().get("leads", [])
    registrations = api("zhaolei").get("/v1/partner/registrations").json().get("registrations", [])
    if customers:
        found["customer_id"] = customers[0]["customer_id"]
    if leads:
        found["lead_id"] = leads[0]["lead_id"]
    if registrations:
        found["registration_id"] = registrations[0]["registration_id"]
    return found


def test_every_page_passes_axe_as_its_user(page_as, accessible, ids, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    pages: dict[str, list[str]] = {}
    for template in _console_get_paths(tmp_path_factory):
        if NOT_OPENED.search(template):
            continue
        names = re.findall(r"\{(\w+)\}", template)
        if any(n not in ids for n in names):
            continue
        path = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)
        pages.setdefault(_owner(template), []).append(path)
    checked = 0
    for user, paths in pages.items():
        for viewport in (None, {"width": 390, "height": 844}):
            page = page_as(user, viewport=viewport)
            for path in paths:
                response = page.goto(path)
                assert response is not None and response.status < 500, (user, path, response and response.status)
                page.wait_for_load_state("networkidle")
                accessible(page)
                checked += 1
    assert checked >= 2 * 20, pages  # every page of the console, not a handful
