"""The pipeline board and the dashboard against a canned gateway: columns in
stage order with their cards, filters passed on, a move accepted or refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.unit.web.fakes import FakeGateway, problem

STAGES = ["初步接触", "需求确认", "方案提交", "报价谈判"]
PIPELINE = {
    "pipeline_id": "P1", "name": "大型设备销售", "product_line": "大型设备",
    "stages": [{"name": s, "probability": p, "forecast_category": "pipeline", "gate": {}}
               for s, p in zip(STAGES, (10, 25, 40, 60), strict=True)],
}


def money(fen: int) -> dict:
    return {"amount_minor": fen, "currency": "CNY"}


def opportunity(oid: str, name: str, stage: str, fen: int, *, days: int = 0, owner: str = "zhangwei") -> dict:
    entered = (datetime.now(UTC) - timedelta(days=days, hours=1)).isoformat().replace("+00:00", "Z")
    return {"opportunity_id": oid, "name": name, "stage": stage, "amount": money(fen), "owner_id": owner,
            "customer_id": f"C-{oid}", "customer_name": f"客户{oid}", "pipeline_id": "P1", "status": "open",
            "stage_entered_at": entered, "red": False, "probability": 10}


CARDS = {
    "初步接触": [opportunity("O1", "恒盛纺织 新厂房织机改造", "初步接触", 120_000_000, days=3),
                opportunity("O2", "永利印染 定型机", "初步接触", 8_000_000, days=12, owner="lina")],
    "需求确认": [opportunity("O3", "北仑注塑 二期", "需求确认", 50_000_000, days=1)],
}
BOARD = {
    "pipeline_id": "P1",
    "columns": [
        {"stage": "初步接触", "forecast_category": "pipeline", "count": 2, "amount": money(128_000_000),
         "weighted_amount": money(12_800_000)},
        {"stage": "需求确认", "forecast_category": "pipeline", "count": 1, "amount": money(50_000_000),
         "weighted_amount": money(12_500_000)},
        {"stage": "方案提交", "forecast_category": "best_case", "count": 0, "amount": money(0), "weighted_amount": money(0)},
        {"stage": "报价谈判", "forecast_category": "best_case", "count": 0, "amount": money(0), "weighted_amount": money(0)},
    ],
    "won_count": 1, "won_amount": money(30_000_000), "lost_count": 0,
}
REPS = {"reps": [{"rep_id": "zhangwei", "name": "张伟", "team": "华东一组", "region": "柯桥区"},
                 {"rep_id": "lina", "name": "李娜", "team": "华东一组", "region": "北仑区"}]}


def canned(fake: FakeGateway) -> FakeGateway:
    fake.on("GET", "/v1/pipelines", {"pipelines": [PIPELINE, {**PIPELINE, "pipeline_id": "P2", "name": "备件"}]})
    fake.on("GET", "/v1/board", BOARD)
    fake.on("GET", "/v1/reps", REPS)
    fake.on("GET", "/v1/opportunities",
            lambda params, **_: {"opportunities": CARDS.get(params["stage"], []), "next_page_token": ""})
    return fake


def columns(html: str) -> list[tuple[str, list[str]]]:
    """(stage, card names) of each column, in page order."""
    out = []
    for section in re.findall(r'<section class="board-col".*?</section>', html, re.DOTALL):
        stage = re.search(r"<h2[^>]*>(.*?)</h2>", section).group(1)
        out.append((stage, re.findall(r'<p class="card-name"[^>]*><strong>(.*?)</strong>', section)))
    return out


async def test_the_board_shows_columns_in_stage_order_with_their_cards_amounts_and_age(console, fake_gateway) -> None:
    canned(fake_gateway)
    response = await console("wangqiang").get("/board")
    assert response.status_code == 200
    assert columns(response.text) == [
        ("初步接触", ["恒盛纺织 新厂房织机改造", "永利印染 定型机"]),
        ("需求确认", ["北仑注塑 二期"]),
        ("方案提交", []),
        ("报价谈判", []),
    ]
    text = response.text
    assert "¥1,200,000.00" in text and "¥80,000.00" in text  # the cards' amounts
    assert "¥1,280,000.00" in text and "¥128,000.00" in text  # the first column's amount and weighted amount
    assert "在本阶段 3 天" in text and "在本阶段 12 天" in text
    assert "李娜" in text  # the owner's name, from the rep profiles
    # Every column's cards were asked of the gateway: the chosen (first) pipeline's open ones, stage by stage.
    asked = [c.kwargs["params"] for c in fake_gateway.called("GET", "/v1/opportunities")]
    assert [p["stage"] for p in asked] == STAGES
    assert all(p["pipeline_id"] == "P1" and p["status"] == "open" and p["page_size"] == 20 for p in asked)
    # The keyboard way: each card's form offers the other stages.
    card = re.search(r'id="card-O1".*?</li>', text, re.DOTALL).group(0)
    assert re.findall(r'<option value="([^"]+)"', card) == STAGES[1:]
    assert 'src="/static/vendor/sortable.min.js"' in text and 'src="/static/board.js"' in text


async def test_the_filters_are_passed_to_the_gateway(console, fake_gateway) -> None:
    canned(fake_gateway)
    response = await console("wangqiang").get(
        "/board", params={"pipeline_id": "P2", "owner_id": "lina", "team": "华东一组", "region": "北仑区",
                          "product_line": "大型设备"},
    )
    assert response.status_code == 200
    wanted = {"owner_id": "lina", "team": "华东一组", "region": "北仑区", "product_line": "大型设备"}
    board = fake_gateway.called("GET", "/v1/board")[-1].kwargs["params"]
    assert board == {"pipeline_id": "P2", **wanted}
    for call in fake_gateway.called("GET", "/v1/opportunities"):
        assert {k: call.kwargs["params"][k] for k in wanted} == wanted
        assert call.kwargs["params"]["pipeline_id"] == "P2"
    assert '<option value="lina" selected>' in response.text
    assert '<option value="北仑区" selected>' in response.text
    # The move forms keep the board's filters, so the answer shows the same board.
    assert 'name="back" value="pipeline_id=P2&amp;owner_id=lina&amp;team=' in response.text


async def test_a_refused_move_lists_every_unmet_requirement_and_the_card_stays(console, fake_gateway) -> None:
    canned(fake_gateway)
    violations = [
        {"type": "field", "description": "进入「需求确认」前必须填写 决策人"},
        {"type": "document", "description": "进入「方案提交」前必须上传《客户需求分析文档》"},
        {"type": "field", "description": "进入「报价谈判」前必须填写 预计成交日期"},
    ]
    fake_gateway.on("POST", "/v1/opportunities/O1/stage",
                    problem(409, "the stage's gate is not met", violations=violations, title="Gate not met"))
    response = await console("wangqiang").post(
        "/board/move", headers={"hx-request": "true"},
        data={"opportunity_id": "O1", "stage": "报价谈判", "from_stage": "初步接触", "back": "pipeline_id=P1"},
    )
    assert response.status_code == 409
    for v in violations:
        assert v["description"] in response.text
    assert re.findall(r'<span class="tag">(.*?)</span>', response.text) == ["必填字段", "文档", "必填字段"]
    assert "卡片仍在 初步接触" in response.text
    assert fake_gateway.called("POST", "/v1/opportunities/O1/stage")[0].kwargs["json"] == {"stage": "报价谈判"}
    # Without the script (the plain form): the board again, with the same refusal and the card in its column.
    plain = await console("wangqiang").post(
        "/board/move", data={"opportunity_id": "O1", "stage": "报价谈判", "from_stage": "初步接触",
                             "back": "pipeline_id=P1"},
    )
    assert plain.status_code == 409
    assert all(v["description"] in plain.text for v in violations)
    assert columns(plain.text)[0] == ("初步接触", ["恒盛纺织 新厂房织机改造", "永利印染 定型机"])


async def test_an_accepted_move_asks_the_gateway_and_answers_the_card_in_its_new_column(console, fake_gateway) -> None:
    canned(fake_gateway)
    moved = opportunity("O1", "恒盛纺织 新厂房织机改造", "需求确认", 120_000_000)
    fake_gateway.on("POST", "/v1/opportunities/O1/stage", lambda json, **_: {"opportunity": moved | json})
    response = await console("wangqiang").post(
        "/board/move", headers={"hx-request": "true"},
        data={"opportunity_id": "O1", "stage": "需求确认", "from_stage": "初步接触",
              "back": "pipeline_id=P1&team=华东一组"},
    )
    assert response.status_code == 200
    calls = fake_gateway.called("POST", "/v1/opportunities/O1/stage")
    assert [c.kwargs["json"] for c in calls] == [{"stage": "需求确认"}]
    assert 'id="card-O1"' in response.text and 'data-stage="需求确认"' in response.text
    assert "在本阶段 0 天" in response.text
    assert 'id="col-sums-0"' in response.text and 'id="board-totals"' in response.text  # the totals refreshed
    assert fake_gateway.called("GET", "/v1/board")[-1].kwargs["params"] == {"pipeline_id": "P1", "team": "华东一组"}
    assert "已移到 需求确认" in response.text
    plain = await console("wangqiang").post(
        "/board/move", data={"opportunity_id": "O1", "stage": "需求确认", "back": "pipeline_id=P1"},
    )
    assert plain.status_code == 303 and plain.headers["location"] == "/board?pipeline_id=P1"


async def test_more_cards_of_a_column_come_from_the_next_page(console, fake_gateway) -> None:
    canned(fake_gateway)
    fake_gateway.on("GET", "/v1/opportunities", lambda params, **_: {
        "opportunities": CARDS["初步接触"][1:] if params.get("page_token") else CARDS["初步接触"][:1],
        "next_page_token": "" if params.get("page_token") else "T2",
    })
    first = await console("wangqiang").get("/board")
    assert 'page_token=T2' in first.text
    more = await console("wangqiang").get("/board/cards", params={
        "pipeline_id": "P1", "stage": "初步接触", "index": 0, "page_token": "T2"})
    assert more.status_code == 200
    assert "永利印染 定型机" in more.text and "恒盛纺织" not in more.text
    assert fake_gateway.called("GET", "/v1/opportunities")[-1].kwargs["params"]["page_token"] == "T2"


async def test_the_dashboard_charts_the_boards_totals_per_stage(console, fake_gateway) -> None:
    canned(fake_gateway)
    response = await console("wangqiang").get("/dashboard", params={"team": "华东一组"})
    assert response.status_code == 200
    assert fake_gateway.called("GET", "/v1/board")[-1].kwargs["params"] == {"pipeline_id": "P1", "team": "华东一组"}
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="num">(\d+)</td><td class="num">(.*?)</td>'
                      r'<td class="num">(.*?)</td></tr>', response.text)
    assert rows[0] == ("初步接触", "2", "¥1,280,000.00", "¥128,000.00")
    assert [r[0] for r in rows[:4]] == STAGES
    assert rows[-1] == ("合计", "3", "¥1,780,000.00", "¥253,000.00")
    assert 'src="/static/vendor/echarts.min.js"' in response.text
    assert '"amount": [1280000.0, 500000.0, 0.0, 0.0]' in response.text


async def test_no_pipeline_yet_says_so(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/pipelines", {"pipelines": []}).on("GET", "/v1/reps", REPS)
    response = await console("zhangwei").get("/board")
    assert response.status_code == 200
    assert "还没有销售流程" in response.text
    assert not fake_gateway.called("GET", "/v1/board")
