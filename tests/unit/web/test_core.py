"""The console's frame: sign-in redirects, CSRF, language, formats, refusals, live notifications."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Depends
from web.gateway import GatewayClient, gateway
from web.i18n import shanghai, yuan

from tests.unit.web.fakes import FakeGateway, problem


async def test_a_page_without_a_session_sends_the_browser_to_sign_in(console) -> None:
    anonymous = console(None)
    response = await anonymous.get("/?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/%3Fx%3D1"


async def test_an_htmx_request_without_a_session_is_told_where_to_sign_in(console) -> None:
    response = await console(None).get("/", headers={"hx-request": "true"})
    assert response.status_code == 204
    assert response.headers["hx-redirect"].startswith("/login?next=/")


async def test_home_greets_in_chinese_and_offers_the_roles_pages(console) -> None:
    rep = await console("zhangwei").get("/")
    assert rep.status_code == 200
    assert 'lang="zh-CN"' in rep.text
    assert "张伟，您好" in rep.text
    assert 'href="/pool"' in rep.text and "公海" in rep.text
    assert 'href="/finance/matching"' not in rep.text  # not a rep's
    partner = await console("zhaolei").get("/")
    assert 'href="/partner/registrations"' in partner.text
    assert 'href="/pool"' not in partner.text and 'href="/customers"' not in partner.text


async def test_english_on_request_and_remembered(console) -> None:
    client = console("zhangwei")
    first = await client.get("/?lang=en")
    assert 'lang="en"' in first.text and "Good day, 张伟" in first.text
    assert first.cookies.get("crm_lang") == "en"
    again = await client.get("/")
    assert "Good day" in again.text


async def test_a_form_without_the_csrf_token_is_refused_and_nothing_is_sent(web_app, console, fake_gateway: FakeGateway) -> None:
    signed_in = console("zhangwei")
    forged = httpx.AsyncClient(transport=httpx.ASGITransport(app=web_app), base_url="http://console.test",
                               cookies=dict(signed_in.cookies))
    response = await forged.post("/logout", data={"csrf_token": "guess"})
    assert response.status_code == 403
    assert "表单已失效" in response.text
    ok = await forged.post("/logout", data={"csrf_token": "test-csrf-token"})
    assert ok.status_code == 303 and ok.headers["location"] == "/signed-out"
    await forged.aclose()


def test_amounts_in_yuan_from_fen_and_times_in_shanghai() -> None:
    assert yuan(123456789) == "¥1,234,567.89"
    assert yuan(5) == "¥0.05"
    assert yuan(-120000) == "-¥1,200.00"
    assert yuan(100, "USD", "en") == "$1.00"
    assert shanghai("2026-12-03T16:30:00Z") == "2026-12-04 00:30"
    assert shanghai("2026-12-03T16:30:00+00:00", "%H:%M") == "00:30"


async def test_live_notifications_arrive_as_html(console, fake_gateway: FakeGateway) -> None:
    note = ('{"id":"n1","kind":"lead.assigned","title":"新线索","body":"杭州某机械厂",'
            '"subject_type":"lead","subject_id":"L1","occurred_at":"2026-12-03T02:00:00Z"}')
    fake_gateway.on("STREAM", "/v1/notifications/stream",
                    [": ping", "id: 7", "event: notification", f"data: {note}", "", "event: expired", "data: {}", ""])
    response = await console("zhangwei").get("/events")
    assert response.status_code == 200
    assert "event: notification" in response.text
    assert "新线索" in response.text and 'href="/leads/L1"' in response.text and "2026-12-03 10:00" in response.text
    assert "id: 7" in response.text
    assert "event: expired" in response.text
    assert fake_gateway.calls[0].token == "token-of-zhangwei"


async def test_a_gateway_refusal_is_shown_not_a_crash(web_app, console, fake_gateway: FakeGateway) -> None:

    router = APIRouter()

    @router.get("/probe")
    async def probe(gw: Annotated[GatewayClient, Depends(gateway)]) -> object:
        return await gw.get("/v1/whatever")

    web_app.include_router(router)
    fake_gateway.on("GET", "/v1/whatever", problem(404, "lead L9 not found"))
    response = await console("zhangwei").get("/probe")
    assert response.status_code == 404
    assert "lead L9 not found" in response.text and "未找到" in response.text
    fake_gateway.on("GET", "/v1/whatever", problem(401, "expired"))
    assert (await console("zhangwei").get("/probe")).status_code == 303


async def test_a_partners_notification_links_to_the_portal_and_a_staff_one_to_its_page(console, fake_gateway: FakeGateway) -> None:
    note = ('{"id":"n2","kind":"registration.decided","title":"报备已通过","body":"",'
            '"subject_type":"registration","subject_id":"R1","occurred_at":"2026-12-03T02:00:00Z"}')
    fake_gateway.on("STREAM", "/v1/notifications/stream", ["event: notification", f"data: {note}", ""])
    partner = await console("zhaolei").get("/events")
    assert 'href="/partner/registrations/R1"' in partner.text
    staff = await console("wangqiang").get("/events")
    assert "报备已通过" in staff.text and "/partner/registrations/R1" not in staff.text
