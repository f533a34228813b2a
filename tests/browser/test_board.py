"""A manager on the pipeline board: drags a card to a stage whose gates are
unmet, reads every requirement and sees the card back; moves it by keyboard;
reads the totals on the dashboard; the board on a phone scrolls sideways."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import uuid4

from playwright.sync_api import Locator, Page, expect


def column(page: Page, stage: str) -> Locator:
    return page.locator(f'.board-cards[data-stage="{stage}"]')


def drag(page: Page, item: Locator, target: Locator) -> None:
    """Press, move in small steps and let go, as a hand would (SortableJS follows the pointer)."""
    start = item.bounding_box()
    end = target.bounding_box()
    assert start and end
    x, y = start["x"] + start["width"] / 2, start["y"] + 12
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 10, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 30, steps=25)
    page.wait_for_timeout(200)
    page.mouse.up()


def test_a_manager_drags_a_card_meets_the_gates_and_moves_it_by_keyboard(page_as, api, accessible, shot) -> None:
    manager = api("wangqiang")
    pipelines = manager.get("/v1/pipelines").json()["pipelines"]
    pipeline = next(p for p in pipelines if p["name"] == "大型设备销售")
    # A product line of its own keeps this board to this test's deal, whatever else the stack holds.
    line = f"看板测试-{uuid4().hex[:8]}"
    created = manager.post("/v1/opportunities", json={
        "customer_name": f"绍兴柯桥{line}纺机有限公司", "name": f"{line} 织机改造",
        "amount": {"amount_minor": 36_000_000, "currency": "CNY"}, "owner_id": "zhangwei",
        "pipeline_id": pipeline["pipeline_id"], "product_line": line, "decision_maker": "王厂长",
    })
    assert created.status_code == 201, created.text
    deal = created.json()["opportunity"]
    assert deal["stage"] == "初步接触"
    query = urlencode({"pipeline_id": pipeline["pipeline_id"], "product_line": line})

    page = page_as("wangqiang", viewport={"width": 1700, "height": 1000})
    page.goto(f"/board?{query}")
    card = page.locator(f"#card-{deal['opportunity_id']}")
    expect(column(page, "初步接触").locator(card)).to_be_visible()
    expect(card).to_contain_text("¥360,000.00")
    expect(card).to_contain_text("在本阶段 0 天")
    shot(page, "board")
    accessible(page)

    # 合同签署 asks for the 方案提交 document, 报价谈判's close date and two approvals: all unmet.
    drag(page, card, column(page, "合同签署"))
    refusal = page.locator("#move-refusal")
    expect(refusal).to_be_visible()
    shot(page, "refused")
    expect(refusal).to_contain_text("未能移到 合同签署")
    requirements = refusal.locator(".violations li")
    expect(requirements).to_have_count(4)
    expect(requirements.nth(0)).to_contain_text("《客户需求分析文档》")
    expect(requirements.nth(1)).to_contain_text("「报价谈判」")
    expect(refusal).to_contain_text("technical_proposal")
    expect(refusal).to_contain_text("contract:")
    expect(refusal).to_contain_text("卡片仍在 初步接触")
    expect(column(page, "初步接触").locator(card)).to_be_visible()
    expect(column(page, "合同签署").locator(card)).to_have_count(0)
    assert manager.get(f"/v1/opportunities/{deal['opportunity_id']}").json()["opportunity"]["stage"] == "初步接触"
    accessible(page)

    # The keyboard way: the card's own stage list and its Move button (需求确认 wants the decision maker: given).
    picker = card.get_by_label("移到阶段")
    picker.focus()
    picker.select_option("需求确认")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(column(page, "需求确认").locator(card)).to_be_visible()
    expect(page.locator("#move-done")).to_have_text("已移到 需求确认。")
    expect(page.locator("#move-refusal")).to_have_count(0)
    sums = page.locator('section:has(.board-cards[data-stage="需求确认"]) .col-sums')
    expect(sums).to_contain_text("1 个商机")
    expect(sums).to_contain_text("¥360,000.00")
    expect(page.locator('section:has(.board-cards[data-stage="初步接触"]) .col-sums')).to_contain_text("0 个商机")
    shot(page, "moved")
    assert manager.get(f"/v1/opportunities/{deal['opportunity_id']}").json()["opportunity"]["stage"] == "需求确认"
    # Reloaded, the board says the same: the move was the gateway's.
    page.reload()
    expect(column(page, "需求确认").locator(card)).to_be_visible()

    # The dashboard: the same totals per stage, charted.
    page.goto(f"/dashboard?{query}")
    row = page.locator("#stage-table tbody tr", has_text="需求确认")
    expect(row).to_contain_text("¥360,000.00")
    expect(row.locator("td").first).to_have_text("1")
    expect(row).to_contain_text("¥90,000.00")  # weighted at 需求确认's 25%
    expect(page.locator("#stage-chart svg")).to_be_visible()
    shot(page, "dashboard")
    accessible(page)


def test_the_board_on_a_phone_scrolls_its_columns_sideways(page_as, accessible, shot) -> None:
    page = page_as("wangqiang", viewport={"width": 390, "height": 844})
    page.goto("/board")
    board = page.locator("#board")
    expect(board).to_be_visible()
    assert board.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "phone")
    accessible(page)
