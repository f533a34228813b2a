"""The signals in a real browser: the manager scans his team's records, reads a
flag's evidence (a customer's follow-up moved more times than allowed) and
dismisses it with a reason, the row changing in place; he opens the high intent
→ signed report from the high-intent list and reads his rep's rate beside the
team's, the numbers the gateway reports; a rep sets a contact's 企业微信 id on the
customer's page (an id another contact has is refused on the field; after a
reload each field shows the id set), and a chat
export naming that id is then matched to the customer.

Setup through the gateway's REST API as zhangwei: a customer whose follow-up is
moved until the customer says it is flagged; an opportunity whose conversations
show two intent signals; a customer with two contacts."""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import expect

from tests.browser.test_customer import ok
from tests.e2e.test_access_every_route import credit_code


def until(check: Callable[[], Any], what: str, seconds: float = 30) -> Any:
    """The check's answer once it is truthy (events between services take a moment)."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.5)


def customer_of_zhangwei(api, name: str) -> str:  # type: ignore[no-untyped-def]
    made = ok(api("zhangwei").post("/v1/customers", json={"name": name, "credit_code": credit_code()}), 201)
    return made["customer"]["customer_id"]


def a_customer_whose_follow_up_keeps_moving(api) -> tuple[str, str, int]:  # type: ignore[no-untyped-def]
    """(id, name, moves) of zhangwei's customer whose planned follow-up was moved until it is flagged."""
    name = f"绍兴柯桥{random.randrange(10**6):06d}印染有限公司"
    cid = customer_of_zhangwei(api, name)
    rep = api("zhangwei")
    for day in range(1, 8):
        when = (datetime.now(UTC) + timedelta(days=day)).isoformat()
        ok(rep.put(f"/v1/customers/{cid}/follow-up", json={"next_follow_up_at": when, "reason": "客户临时出差"}))
        customer = ok(rep.get(f"/v1/customers/{cid}"))["customer"]
        if customer.get("follow_up_flagged"):
            return cid, name, customer["follow_up_moves"]
    raise AssertionError(f"the follow-up of {name} was moved 7 times and is not flagged")


def test_a_manager_reads_a_flags_evidence_and_dismisses_it_with_a_reason(page_as, api, accessible, shot) -> None:
    cid, name, moves = a_customer_whose_follow_up_keeps_moving(api)
    page = page_as("wangqiang")
    page.goto("/signals/flags")
    expect(page.locator("h1")).to_have_text("异常标记")
    page.get_by_role("button", name="立即扫描").click()
    expect(page.get_by_role("status").filter(has_text="扫描完成")).to_be_visible()

    card = page.locator("li.flag-card", has_text=name)
    expect(card).to_have_count(1)
    expect(card.locator(".tag.kind")).to_have_text("跟进时间改期超过 3 次")
    expect(card).to_contain_text(f"已推迟 {moves} 次")
    expect(card.get_by_role("link", name="查看客户")).to_have_attribute("href", f"/customers/{cid}")
    # The evidence: the numbers the flag was raised on.
    evidence = card.locator("details.evidence")
    expect(evidence).to_have_attribute("open", "")
    expect(evidence.locator("dt", has_text="moves").locator("xpath=following-sibling::dd[1]")).to_have_text(str(moves))
    expect(evidence.locator("dd", has_text=cid)).to_have_count(1)
    shot(page, "flag")
    accessible(page)

    reason = "客户厂房搬迁，跟进推迟属实"
    card.get_by_label("为何无异常（必填）").fill(reason)
    card.get_by_role("button", name="忽略该标记").click()
    # The row changes in place: dismissed, with the reason kept and who dismissed it.
    expect(card.get_by_role("status")).to_contain_text("已忽略")
    expect(card).to_contain_text(reason)
    expect(card).to_contain_text("wangqiang")
    expect(card.get_by_role("button", name="忽略该标记")).to_have_count(0)
    shot(page, "dismissed")
    accessible(page)

    # The open list no longer has it; the dismissed list does, with the reason.
    page.goto("/signals/flags")
    expect(page.locator("li.flag-card", has_text=name)).to_have_count(0)
    page.goto("/signals/flags?state=dismissed")
    expect(page.locator("li.flag-card", has_text=name)).to_contain_text(reason)


def a_high_intent_customer_of_zhangwei(api) -> str:  # type: ignore[no-untyped-def]
    """zhangwei's opportunity whose conversations show two signals in the window: a comparison asked for
    on a call and a technical demo booked. Its customer's id once it is high intent."""
    rep = api("zhangwei")
    name = f"宁波北仑{random.randrange(10**6):06d}注塑机厂"
    opportunity = ok(rep.post("/v1/opportunities", json={
        "customer_name": name, "customer_credit_code": credit_code(), "name": f"{name} 二期注塑机",
        "amount": {"amount_minor": 48_000_000, "currency": "CNY"}}), 201)["opportunity"]
    cid, oid = opportunity["customer_id"], opportunity["opportunity_id"]
    ok(rep.post(f"/v1/customers/{cid}/activities", json={
        "kind": "call", "opportunity_id": oid, "summary": "客户要一份和友商机型的对比表"}), 201)
    ok(rep.post(f"/v1/customers/{cid}/intent-actions", json={
        "action": "预约技术演示", "opportunity_id": oid, "note": "下周三到厂演示"}), 201)
    until(lambda: ok(rep.get(f"/v1/customers/{cid}/intent")).get("high_intent"), f"{name} to be high intent")
    return cid


def _percent(rate: float) -> str:
    return f"{round(rate * 100, 1)}%"


def test_a_manager_reads_his_reps_conversion_beside_the_teams(page_as, api, accessible, shot) -> None:
    a_high_intent_customer_of_zhangwei(api)
    # What the gateway itself reports, to check the page against.
    by_rep = {r["key"]: r for r in ok(api("wangqiang").get("/v1/reports/intent-conversion"))["items"]}
    by_team = {r["key"]: r for r in ok(api("wangqiang").get(
        "/v1/reports/intent-conversion", params={"group_by": "team"}))["items"]}
    assert by_rep["zhangwei"]["entered"] >= 1 and "wangqiang" in by_team

    page = page_as("wangqiang")
    page.goto("/signals/high-intent")
    page.get_by_role("link", name="其中多少已签约：按销售和团队的转化报告").click()
    expect(page.locator("h1")).to_have_text("意向转化")
    expect(page.get_by_role("navigation", name="主菜单").get_by_role("link", name="意向转化")).to_have_attribute(
        "aria-current", "page")
    row = page.locator('tr.conversion-row[data-rep="zhangwei"]')
    expect(row.get_by_role("rowheader")).to_have_text("张伟")
    expect(row.locator("td").nth(0)).to_have_text("华东一组")
    expect(row.locator("td").nth(1)).to_have_text(str(by_rep["zhangwei"]["entered"]))
    expect(row.locator("td").nth(2)).to_have_text(str(by_rep["zhangwei"]["won"]))
    expect(row.locator(".rep-rate .rate-text")).to_have_text(_percent(by_rep["zhangwei"]["rate"]))
    expect(row.locator(".team-rate .rate-text")).to_have_text(_percent(by_team["wangqiang"]["rate"]))
    expect(page.locator("#conversion-chart")).to_have_attribute("data-ready", "true")  # the bars drawn
    expect(page.locator("#conversion-chart svg")).to_have_count(1)
    shot(page, "conversion")
    accessible(page)

    # A period after today has no episode.
    later = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    page.get_by_label("从", exact=True).fill(later)
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_text("此期间内没有客户出现高意向")).to_be_visible()


def _export_line(sender: str, text: str) -> bytes:
    return (json.dumps({
        "msgid": f"msg-{uuid.uuid4().hex}", "action": "send", "from": sender, "tolist": ["zhangwei"], "roomid": "",
        "msgtime": int(time.time() * 1000), "msgtype": "text", "text": {"content": text},
    }, ensure_ascii=False) + "\n").encode()


def test_a_rep_sets_a_contacts_wecom_id_and_a_chat_export_then_finds_the_customer(
    page_as, api, accessible, shot
) -> None:
    name = f"绍兴柯桥{random.randrange(10**6):06d}经编有限公司"
    cid = customer_of_zhangwei(api, name)
    rep = api("zhangwei")
    chen = ok(rep.post(f"/v1/customers/{cid}/contacts", json={
        "name": "陈建国", "title": "总经理", "purchase_role": "决策人", "influence": 5}), 201)["contact"]["contact_id"]
    wang = ok(rep.post(f"/v1/customers/{cid}/contacts", json={
        "name": "王芳", "title": "采购经理", "purchase_role": "使用者", "influence": 3}), 201)["contact"]["contact_id"]
    wecom_id = f"wm{uuid.uuid4().hex[:16]}"

    page = page_as("zhangwei")
    page.goto(f"/customers/{cid}?open=wecom-ids")
    expect(page.locator("h1")).to_contain_text(name)
    section = page.locator("#sec-wecom-ids")
    chen_form = section.locator(f"#contact-{chen}")
    chen_form.get_by_label("陈建国 的企业微信号").fill(wecom_id)
    chen_form.get_by_role("button", name="保存企业微信号").click()
    expect(section.locator(f"#contact-{chen}").get_by_role("status")).to_have_text(f"已设置企业微信号：{wecom_id}")
    shot(page, "wecom-set")
    accessible(page)

    # The same id on the other contact: refused, said next to that contact's field.
    wang_form = section.locator(f"#contact-{wang}")
    wang_form.get_by_label("王芳 的企业微信号").fill(wecom_id)
    wang_form.get_by_role("button", name="保存企业微信号").click()
    error = section.locator(f"#err-wecom-{wang}")
    expect(error).to_contain_text("another contact has 企业微信 id")
    expect(section.get_by_label("王芳 的企业微信号")).to_have_attribute("aria-invalid", "true")
    expect(section.get_by_label("王芳 的企业微信号")).to_have_value(wecom_id)  # what was typed stays
    shot(page, "wecom-refused")
    accessible(page)

    # After a reload each field shows the id set: 陈建国's, and none on 王芳 (the refused one was not kept).
    page.goto(f"/customers/{cid}?open=wecom-ids")
    expect(section.get_by_label("陈建国 的企业微信号")).to_have_value(wecom_id)
    expect(section.get_by_label("王芳 的企业微信号")).to_have_value("")

    # A chat export naming the id is matched to this customer.
    report = ok(rep.post("/v1/conversations/wecom-import", files={
        "file": ("export.jsonl", _export_line(wecom_id, "你好，想了解一下经编机的付款方式"), "application/x-ndjson")}))
    assert (report["imported"], report.get("unmatched") or []) == (1, []), report
    activities = ok(rep.get(f"/v1/customers/{cid}/activities"))["activities"]
    assert any("经编机的付款方式" in (a.get("summary") or "") for a in activities), activities
