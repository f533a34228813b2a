"""A customer's whole story in a real browser: the manager opens a customer of
his rep's, its sections load as they are opened (decision chain with history,
the activity log with its hash chain verified), picks two versions of a
proposal and reads the highlighted diff; a reviewer is told the private notes
are not theirs to read, on the same page; finance sees the payment record with
the overdue instalments and the aging row in red.

Setup through the gateway's REST API as zhangwei: a customer, a contact changed
once, an activity, an opportunity and two versions of its technical proposal."""

from __future__ import annotations

import base64
import random

from playwright.sync_api import expect

from tests.browser.test_finance import signed_customer
from tests.e2e.test_access_every_route import credit_code


def ok(response, *statuses: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code in (statuses or (200, 201)), f"{response.request.url}: {response.text[:500]}"
    return response.json()


def _text(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def customer_with_a_story(api) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(customer id, name) of zhangwei's new customer with a contact, an activity and a proposal in two versions."""
    rep = api("zhangwei")
    name, code = f"绍兴柯桥{random.randrange(10**6):06d}织造有限公司", credit_code()
    customer = ok(rep.post("/v1/customers", json={"name": name, "credit_code": code, "value_tier": "重点",
                                                  "industry": "纺织"}), 201)["customer"]
    cid = customer["customer_id"]
    contact = ok(rep.post(f"/v1/customers/{cid}/contacts", json={
        "name": "陈建国", "title": "副总经理", "purchase_role": "影响者", "influence": 3}), 201)["contact"]
    ok(rep.patch(f"/v1/customers/{cid}/contacts/{contact['contact_id']}",
                 json={"title": "总经理", "purchase_role": "决策人", "influence": 5}))
    ok(rep.post(f"/v1/customers/{cid}/activities", json={"kind": "call", "summary": "电话确认新厂房织机数量"}), 201)
    opportunity = ok(rep.post("/v1/opportunities", json={
        "customer_name": name, "customer_credit_code": code, "name": f"{name} 织机改造",
        "amount": {"amount_minor": 88_000_000, "currency": "CNY"}}), 201)["opportunity"]
    first = ok(rep.post("/v1/documents/versions", json={
        "opportunity_id": opportunity["opportunity_id"], "doc_type": "技术方案", "title": "织机改造技术方案",
        "filename": "方案-v1.txt", "content_type": "text/plain",
        "content_base64": _text("交货期 30 天，质保 12 个月，付款方式：电汇。"),
    }), 201)
    document_id = first["version"]["document_id"]
    ok(rep.post("/v1/documents/versions", json={
        "document_id": document_id, "filename": "方案-v2.txt", "content_type": "text/plain",
        "change_summary": "交期与安装", "content_base64": _text("交货期 45 天，质保 12 个月，含安装调试。"),
    }), 201)
    return cid, name


def test_a_manager_reads_a_customers_story_and_the_highlighted_diff_of_two_versions(
    page_as, api, accessible, shot
) -> None:
    cid, name = customer_with_a_story(api)
    page = page_as("wangqiang")
    page.goto("/customers")
    expect(page.locator("h1")).to_have_text("客户")
    page.goto(f"/customers/{cid}")
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.locator("h1")).to_contain_text("客户等级: 重点")
    shot(page, "customer")
    accessible(page)

    # Sections load when opened: the decision chain with the contact's earlier version.
    chain = page.locator("#sec-contacts")
    chain.locator("summary").click()
    expect(chain.get_by_role("cell", name="总经理", exact=True)).to_be_visible()
    chain.locator("summary", has_text="陈建国 的历史（2 个版本）").click()
    expect(chain.get_by_role("cell", name="副总经理", exact=True)).to_be_visible()

    log = page.locator("#sec-activities")
    log.locator("summary").click()
    expect(log.get_by_text("哈希链已验证")).to_be_visible()
    expect(log.get_by_role("cell", name="电话确认新厂房织机数量")).to_be_visible()

    documents = page.locator("#sec-documents")
    documents.locator("summary").click()
    documents.get_by_role("link", name="织机改造技术方案 的版本").click()
    expect(documents.get_by_role("cell", name="方案-v2.txt")).to_be_visible()
    documents.get_by_label("较早版本").select_option(label="V1")
    documents.get_by_label("较新版本").select_option(label="V2")
    documents.get_by_role("button", name="比较").click()
    diff = documents.locator(".diff")
    expect(diff.get_by_role("heading", name="从 V1 到 V2 的变更")).to_be_visible()
    expect(diff.locator(".diff-text ins").filter(has_text="安装调试")).to_have_count(1)
    expect(diff.locator(".diff-text del").filter(has_text="电汇")).to_have_count(1)
    # Readable without colour: the marks carry their words for screen readers too.
    expect(diff.locator(".diff-text ins .visually-hidden").first).to_contain_text("插入")
    shot(page, "diff")
    accessible(page)


def test_a_reviewer_is_told_the_notes_are_not_theirs_and_still_sees_the_customer(page_as, api) -> None:
    cid, name = customer_with_a_story(api)
    ok(api("zhangwei").post(f"/v1/customers/{cid}/notes", json={"text": "老板喜欢龙井，周三上午好约"}), 201)
    page = page_as("chenjing")
    page.goto(f"/customers/{cid}?open=notes")
    expect(page.locator("h1")).to_contain_text(name)
    notes = page.locator("#sec-notes")
    expect(notes.get_by_text("您的角色看不到")).to_be_visible()
    expect(page.get_by_text("老板喜欢龙井")).to_have_count(0)


def test_finance_sees_the_payment_record_with_overdue_instalments_and_aging_in_red(
    page_as, api, accessible, shot
) -> None:
    # zhangwei's customer whose contract was signed 40 days ago: 预付款 and 到货款 overdue since, a retention not due.
    name, cid, _ = signed_customer(api)
    page = page_as("liufang")
    page.goto(f"/customers/{cid}?open=payments")
    expect(page.locator("h1")).to_contain_text(name)
    payments = page.locator("#sec-payments")
    expect(payments.get_by_role("heading", name="回款表现")).to_be_visible()
    overdue = payments.locator("tr.overdue", has_text="预付款")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("逾期")
    expect(payments.locator("tr", has_text="质保金")).not_to_have_class("overdue")
    aging = payments.locator("tr.overdue", has_text="逾期超过 30 天")
    expect(aging).to_have_count(1)
    expect(aging).to_contain_text("织机采购合同")  # the contract by name, not its id
    # The contract's own document is among the customer's documents.
    page.locator("#sec-documents summary").click()
    expect(page.locator("#sec-documents").get_by_role("cell", name="织机采购合同").first).to_be_visible()
    shot(page, "payments")
    accessible(page)
