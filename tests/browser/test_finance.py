"""Finance at the desk, in a real browser: a bank export imported through the
page with its line-by-line report, the matching run, a suggestion confirmed by
keyboard (its row goes), and the customer's overdue row marked in the aging.

Setup through the gateway's REST API: a rep's customer and opportunity, its
contract reviewed and signed 40 days ago (finance's payment plan built from
contract.signed: 预付款 30 % and 到货款 60 % due since then, a retention)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.e2e.test_access_every_route import credit_code
from tests.support import bank_files as bf
from tests.support.contract_signing import payment_plan, sign_contract

PHONE = {"width": 390, "height": 844}
STAFF = ("zhangwei", "lina", "wangqiang", "zhoumin", "wuhao", "liufang", "chenjing", "admin")


def ok(response, *statuses: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code in (statuses or (200, 201)), f"{response.request.url}: {response.text[:500]}"
    return response.json()


def signed_customer(api) -> tuple[str, str, list[dict]]:  # type: ignore[no-untyped-def]
    """(customer name, customer id, instalments) of a contract zhangwei's customer signed 40 days ago."""
    owner = api("zhangwei")
    name, code = f"绍兴上虞{random.randrange(10**6):06d}机械有限公司", credit_code()
    customer = ok(owner.post("/v1/customers", json={"name": name, "credit_code": code}), 201)["customer"]
    opportunity = ok(owner.post("/v1/opportunities", json={
        "customer_name": name, "customer_credit_code": code, "name": f"{name} 织机采购",
        "amount": {"amount_minor": 136_000_000, "currency": "CNY"}}), 201)["opportunity"]
    signed_on = (datetime.now(UTC) - timedelta(days=40)).date()
    contract_id, _ = sign_contract(owner, api("chenjing"), {u: api(u) for u in STAFF},
                                   opportunity["opportunity_id"], signed_on)
    return name, customer["customer_id"], payment_plan(api("liufang"), contract_id)["instalments"]


def test_finance_imports_a_statement_confirms_a_match_and_sees_the_overdue_customer(
    page_as, api, accessible, shot
) -> None:
    name, customer_id, instalments = signed_customer(api)
    advance, delivery = instalments[0]["amount"]["amount_minor"], instalments[1]["amount"]["amount_minor"]
    # The customer pays part of its 预付款 without naming the contract: a suggestion for finance, never automatic.
    part = 10_000_000
    ref = f"WEB{random.randrange(10**9):09d}"
    account = f"6217{random.randrange(10**15):015d}"
    export = bf.ccb_csv(account, [bf.Entry(ref, datetime.now(UTC).date(), part, name=name,
                                           account="3301040160000123456", remark="设备款")])

    page = page_as("liufang")
    page.goto("/finance/statements")
    expect(page.locator("h1")).to_have_text("银行对账单")
    page.get_by_label("对账单文件（CAMT.053、MT940、银行 CSV/xlsx）").set_input_files(
        files=[{"name": "建行流水.csv", "mimeType": "text/csv", "buffer": export}])
    page.get_by_role("button", name="导入", exact=True).click()
    report = page.locator("#import-report")
    expect(report).to_be_visible()
    expect(report.locator("tbody tr")).to_have_count(1)
    expect(report.locator("tbody tr").first).to_contain_text("新增")
    expect(report.locator("tbody tr").first).to_contain_text(ref)
    expect(page.get_by_role("link", name="建行流水.csv").first).to_be_visible()
    shot(page, "imported")
    accessible(page)

    # The same file again: every line known, nothing stored twice.
    page.get_by_label("对账单文件（CAMT.053、MT940、银行 CSV/xlsx）").set_input_files(
        files=[{"name": "建行流水.csv", "mimeType": "text/csv", "buffer": export}])
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator("#import-report tbody tr").first).to_contain_text("已导入过")

    page.goto("/finance/matching")
    page.get_by_role("button", name="立即运行匹配").click()
    expect(page.locator("#run-result")).to_be_visible()
    row = page.locator("#suggestions tr", has_text=name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("¥100,000.00")
    expect(row).to_contain_text("付款方与金额")
    shot(page, "suggested")
    accessible(page)
    confirm = row.get_by_role("button", name="确认")
    confirm.focus()
    page.keyboard.press("Enter")
    expect(row).to_have_count(0)
    expect(page.locator("#flash")).to_contain_text("匹配已确认")
    shot(page, "confirmed")

    # The rest of 预付款 and all of 到货款 are 40 days overdue: the customer's row is red, with the words.
    page.goto("/finance/aging")
    page.get_by_label("分组").select_option("customer")
    page.get_by_role("button", name="查看账龄").click()
    aging_row = page.locator("tbody tr", has=page.locator(f'a[href="/customers/{customer_id}"]'))
    expect(aging_row).to_have_count(1)
    expect(aging_row).to_have_class("overdue")
    expect(aging_row).to_contain_text("逾期超 30 天")
    owed = advance - part + delivery
    expect(aging_row).to_contain_text(f"¥{owed // 100:,}.{owed % 100:02d}")
    shot(page, "aging")
    accessible(page)
    page.set_viewport_size(PHONE)  # on a phone the table scrolls inside its frame, the marker still reads
    expect(aging_row).to_contain_text("逾期超 30 天")
    accessible(page)
