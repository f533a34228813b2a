"""The partner portal in a real browser: a distributor registers an end
customer and hears "no conflict"; a second distributor registers the same
customer and meets the conflict, told plainly and shown nothing of the first
distributor's registration; the channel manager decides the clash; the first
follows its rebate progress.

Everything through the pages, as zhaolei (dist-hz, 杭州), sunli (dist-nb,
宁波) and their channel manager wangqiang of the demo data would."""

from __future__ import annotations

import random
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.e2e.test_access_every_route import credit_code


def register(page: Page, fields: dict[str, str]) -> None:
    page.goto("/partner/registrations")
    expect(page.locator("h1")).to_have_text("客户报备")
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="提交报备").click()


def test_a_partner_registers_a_customer_and_another_meets_the_conflict_without_seeing_the_first(
    page_as, accessible, shot
) -> None:
    company = f"杭州明远{random.randrange(10**6):06d}精密机械有限公司"
    code = credit_code()
    zhaolei_contact, zhaolei_phone = "钱立新", f"139{random.randrange(10**8):08d}"

    hz = page_as("zhaolei")
    hz.goto("/partner/registrations")
    accessible(hz)
    # An amount with three decimals is answered at the field; nothing reaches the gateway.
    register(hz, {"客户名称": company, "统一社会信用代码": code, "省份": "浙江省", "城市": "杭州市",
                  "行业": "机电设备", "联系人姓名": zhaolei_contact, "联系人电话": zhaolei_phone,
                  "产品线": "数控机床", "型号": "XK-200, XK-300", "数量": "3", "预计金额（元）": "12.345"})
    amount = hz.get_by_label("预计金额（元）")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(hz.locator("#err-expected_amount-1")).to_contain_text("最多两位小数")
    expect(hz.get_by_label("客户名称")).to_have_value(company)  # what was typed stays
    shot(hz, "amount-refused")
    amount.fill("1234.56")
    hz.get_by_role("button", name="提交报备").click()
    hz.wait_for_url(re.compile(r"/partner/registrations/[^/?]+\?submitted=1$"))
    expect(hz.locator("#outcome")).to_contain_text("无冲突")
    expect(hz.locator("main")).to_contain_text("等待审批")
    expect(hz.locator("main")).to_contain_text("¥1,234.56")
    shot(hz, "no-conflict")
    accessible(hz)
    hz.goto("/partner/registrations")
    expect(hz.get_by_role("link", name=company)).to_be_visible()

    # sunli registers the same customer (the same 统一社会信用代码) for dist-nb.
    nb = page_as("sunli", viewport=PHONE)
    register(nb, {"客户名称": company, "统一社会信用代码": code, "省份": "浙江省", "城市": "杭州市",
                  "产品线": "数控机床", "预计金额（元）": "50000"})
    nb.wait_for_url(re.compile(r"/partner/registrations/[^/?]+\?submitted=1$"))
    outcome = nb.locator("#outcome")
    # A clash (撞单) with dist-hz's waiting registration: the partner hears "under review", nothing of who else.
    expect(outcome).to_contain_text("需审核")
    expect(nb.locator("main")).to_contain_text("审核中")
    shot(nb, "conflict")
    sunli_registration = nb.url.split("?")[0]
    text = nb.locator("body").inner_text()
    for leaked in ("杭州恒通", "dist-hz", "zhaolei", "赵磊", zhaolei_contact, zhaolei_phone[-8:], "¥1,234.56"):
        assert leaked not in text, f"sunli's page shows {leaked!r} of dist-hz's registration"
    accessible(nb)

    # A second registration of it by dist-nb is refused at once: already registered.
    register(nb, {"客户名称": company, "统一社会信用代码": code, "城市": "杭州市", "预计金额（元）": "50000"})
    nb.wait_for_url(re.compile(r"/partner/registrations/[^/?]+\?submitted=1$"))
    expect(nb.locator("#outcome")).to_contain_text("已拒绝：该客户已被报备")
    assert "杭州恒通" not in nb.locator("body").inner_text()
    shot(nb, "refused")

    # The channel manager sees both side by side and lets dist-hz's, registered first, go on.
    wm = page_as("wangqiang")
    wm.goto("/partner/clashes")
    expect(wm.locator("h1")).to_have_text("撞单裁决")
    card = wm.locator("section.clash", has_text=company)
    expect(card).to_contain_text("杭州恒通机电设备有限公司")
    expect(card).to_contain_text("宁波甬联工业设备有限公司")
    accessible(wm)
    card.get_by_label("杭州恒通机电设备有限公司").check()
    card.get_by_label("意见（双方经销商可见）").fill("先报备者优先，继续跟进")
    card.get_by_role("button", name="裁决").click()
    expect(wm.locator("main")).to_contain_text("撞单已裁决")
    shot(wm, "clash-decided")
    nb.goto(sunli_registration)
    expect(nb.locator("main")).to_contain_text("已拒绝")
    expect(nb.locator("main")).to_contain_text("先报备者优先，继续跟进")  # the decision's public comment

    # zhaolei's rebates: progress toward the next tier of the demo programme, as a labelled bar with the numbers.
    hz.goto("/partner/rebates")
    expect(hz.locator("h1")).to_have_text("返利进度")
    expect(hz.locator("main")).to_contain_text("渠道季度返利")
    bar = hz.get_by_role("progressbar").first
    expect(bar).to_be_visible()
    expect(hz.locator("main")).to_contain_text(re.compile(r"距第 \d 档门槛 ¥[\d,]+\.\d\d"))
    expect(hz.locator("main")).to_contain_text("已计提返利")
    shot(hz, "rebates")
    accessible(hz)


def test_the_promotion_pages_list_the_programme_and_take_an_application_form_by_keyboard(
    page_as, accessible, shot
) -> None:
    page = page_as("zhaolei")
    page.goto("/partner/promotions")
    expect(page.locator("h1")).to_have_text("促销申报")
    expect(page.locator("main")).to_contain_text("数控机床门店陈列支持")
    accessible(page)
    apply = page.get_by_role("link", name=re.compile("^申请"))
    apply.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/partner/promotions/[^/]+/apply$"))
    expect(page.get_by_label("申请金额（元）")).to_be_visible()
    accessible(page)
    # For a period, with the material attached; an amount in 元 with three decimals is answered at the field.
    page.get_by_label("期间开始").fill("2026-12-01")
    page.get_by_label("期间结束").fill("2026-12-31")
    page.get_by_label("申请金额（元）").fill("800.125")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#err-amount_asked-1")).to_contain_text("最多两位小数")
    page.get_by_label("申请金额（元）").fill("8000")
    page.get_by_label("材料标题").fill("门店陈列照片")
    page.get_by_label("文件").set_input_files(files=[{"name": "陈列.txt", "mimeType": "text/plain",
                                                      "buffer": "两台样机已陈列".encode()}])
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/partner/promotions/applications/[^/?]+\?submitted=1$"))
    expect(page.locator("main")).to_contain_text("申请已提交审批")
    expect(page.locator("main")).to_contain_text("¥8,000.00")
    shot(page, "applied")
    accessible(page)
    # The material filed with it comes back as it was sent.
    with page.expect_download() as download:
        page.get_by_role("link", name="门店陈列照片").click()
    assert Path(download.value.path()).read_bytes() == "两台样机已陈列".encode()
