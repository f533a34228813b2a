"""Signing in through the real flow, the home page per role, live notifications, signing out."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_a_rep_signs_in_sees_their_home_in_chinese_and_a_notification_arrives_live(
    page_as, api, accessible, shot
) -> None:
    page = page_as("zhangwei")
    expect(page.locator("h1")).to_have_text("张伟，您好")
    expect(page.get_by_role("link", name="公海").first).to_be_visible()
    shot(page, "home")
    accessible(page)
    # A pool lead assigned to the rep by the manager: the notification shows without a reload.
    lead = api("wangqiang").post("/v1/leads", json={
        "company_name": "嘉兴秀洲新创纺织机械厂", "phone": "13905731234", "source": "展会扫码",
        "province": "浙江省", "city": "嘉兴市", "district": "秀洲区",
    })
    assert lead.status_code in (200, 201), lead.text
    lead_id = lead.json()["lead"]["lead_id"]
    page.wait_for_timeout(500)  # the page's event stream is open
    expect(page.locator("#notifications")).to_be_attached()
    assigned = api("wangqiang").post(f"/v1/leads/{lead_id}/assign", json={"rep_id": "zhangwei"})
    assert assigned.status_code == 200, assigned.text
    note = page.locator("#notifications .notification").first
    expect(note).to_be_visible(timeout=20_000)
    shot(page, "notified")
    expect(note.get_by_role("link")).to_have_attribute("href", re.compile(lead_id))


def test_each_role_gets_its_own_home_and_english_on_request(page_as, accessible) -> None:
    finance = page_as("liufang")
    expect(finance.get_by_role("link", name="回款匹配").first).to_be_visible()
    expect(finance.get_by_role("link", name="公海")).to_have_count(0)
    partner = page_as("zhaolei")
    expect(partner.get_by_role("link", name="客户报备").first).to_be_visible()
    expect(partner.get_by_role("link", name="客户", exact=True)).to_have_count(0)
    partner.get_by_role("link", name="English").click()
    expect(partner.locator("h1")).to_have_text("Good day, 赵磊")
    expect(partner.locator("html")).to_have_attribute("lang", "en")
    accessible(partner)


def test_signing_out_ends_the_session(page_as) -> None:
    page = page_as("chenjing", viewport={"width": 390, "height": 844})
    page.get_by_role("button", name="退出").click()
    expect(page.locator("h1")).to_have_text("您已退出登录")
    page.goto("/")
    # Signed out: the console sends the browser to sign in again (the issuer's form).
    expect(page.locator("input[name=username]")).to_be_visible()
