"""The sales director's routing rules in the browser: a formula error shown where it is, the dry run,
a new version saved and activated; a route's condition error marked on its own field."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from scripts.localstack import DEMO_FORMULA


def test_the_formula_editor_marks_the_error_runs_dry_and_activates_a_version(page_as, api, accessible, shot) -> None:
    page = page_as("wangqiang")
    page.goto("/routing/formula")
    editor = page.get_by_label("公式", exact=True)
    editor.fill("IF(近6月采购金额>=20000,90")
    page.get_by_role("button", name="试运行").click()
    error = page.locator("#formula-error")
    expect(error).to_contain_text(re.compile(r"第 1 行第 \d+ 列：unexpected end of formula"))
    expect(error.locator("mark.error-at")).to_have_count(1)
    expect(editor).to_have_attribute("aria-invalid", "true")
    shot(page, "formula-error")
    accessible(page)

    # The demo's own formula again: the dry run over today's open leads, then a new version with the same rules.
    page.get_by_label("公式", exact=True).fill(DEMO_FORMULA)
    page.get_by_role("button", name="试运行").click()
    expect(page.get_by_role("heading", name=re.compile("试运行"))).to_be_visible()
    expect(page.locator("#formula-error")).to_have_count(0)
    page.get_by_label("备注（原因）").fill("浏览器测试：同一公式另存")
    page.get_by_role("button", name="保存为新版本").click()
    page.wait_for_url(re.compile(r"/routing\?saved=formulas-\d+"))
    saved = int(re.search(r"formulas-(\d+)", page.url).group(1))
    shot(page, "saved")
    page.get_by_role("button", name=f"启用 v{saved}").click()
    expect(page.get_by_role("heading", name=re.compile("生效的评分公式"))).to_contain_text(f"v{saved}")
    active = api("wangqiang").get("/v1/routing/active").json()["formula"]
    assert active["version"] == saved and active["formula"] == DEMO_FORMULA


def test_a_route_condition_error_is_marked_on_its_field_and_nothing_is_saved(page_as, api) -> None:
    before = api("wangqiang").get("/v1/routing/routes/versions").json()["versions"]
    page = page_as("wangqiang")
    page.goto("/routing/routes")
    condition = page.locator("#routes-1-condition")
    condition.fill('AND(来源="展会扫码"')
    page.get_by_role("button", name="试运行").click()
    expect(page.locator("#routes-1-condition-error")).to_contain_text("第 1 行第")
    expect(page.locator("#routes-1-condition")).to_have_attribute("aria-invalid", "true")
    # The other routes' fields carry no error.
    expect(page.locator("#routes-0-condition")).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.locator("#routes-1-condition-error")).to_be_visible()
    assert api("wangqiang").get("/v1/routing/routes/versions").json()["versions"] == before


def test_a_rep_cannot_open_the_routing_rules(page_as) -> None:
    page = page_as("zhangwei")
    expect(page.get_by_role("link", name="分配规则")).to_have_count(0)
    page.goto("/routing")
    expect(page.locator("h1")).to_have_text("无权访问")
