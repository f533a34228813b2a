"""The indexes and the forecast in a real browser, on a history made through the
gateway so the values are known from their definitions (docs/adr/0013):

- a manager's CDI bars for his reps (not another team's), a click through to a
  rep's customers and one customer's factors with their evidence: a call two
  days ago naming 预算 and a demo yesterday naming 竞品 (coverage 2 of 2 kinds,
  needs 2 of 4 tags), its follow-up not yet due (closure not applicable);
- the follow-up heat map's cells for one rep: contacted today, 6 days ago, never;
- PHI and the KPI bars, each rep beside the team average;
- the customer page's value tier and health section;
- the win model trained from the page on a closed history, its three scores and
  the reliability curve; the region × product line forecast equal to
  Σ amount × probability of the opportunities made here;
- a rep sees only their own rows; a partner is refused every one of these pages.

wuhao (another team) owns the closed history, so the manager's team figures only
move by what the tests below make for zhangwei and lina."""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_customer import ok
from tests.browser.test_signals import until
from tests.e2e.test_access_every_route import credit_code

DAY = timedelta(days=1)
NAMES = {"zhangwei": "张伟", "lina": "李娜", "wuhao": "吴昊"}
BUCKETS = ("0-7", "8-30", "31-90", "90+")
TIERS = ("战略", "重点", "普通")


def suffix() -> str:
    return f"{random.randrange(10**6):06d}"


def customer(api, owner: str, tier: str, province: str = "浙江") -> tuple[str, str]:  # type: ignore[no-untyped-def]
    name = f"{province}指数客户{suffix()}有限公司"
    made = ok(
        api(owner).post(
            "/v1/customers",
            json={"name": name, "credit_code": credit_code(), "value_tier": tier, "location": {"province": province}},
        ),
        201,
    )
    return made["customer"]["customer_id"], name


def log(api, user: str, cid: str, kind: str, summary: str, at: datetime, plan: datetime | None = None) -> str:  # type: ignore[no-untyped-def]
    body: dict[str, Any] = {"kind": kind, "summary": summary, "occurred_at": at.isoformat()}
    if plan is not None:
        body["next_follow_up_at"] = plan.isoformat()
    return ok(api(user).post(f"/v1/customers/{cid}/activities", json=body), 201)["activity"]["activity_id"]


def heat_counts(api, owner: str) -> dict[str, dict[str, int]]:  # type: ignore[no-untyped-def]
    found = ok(api("wangqiang").get("/v1/indexes/follow-up-heat-map", params={"owner_id": owner}))
    counts = {t: dict.fromkeys(BUCKETS, 0) for t in TIERS}
    for row in found["rows"]:
        for cell in row["cells"]:
            counts.setdefault(row["tier"], dict.fromkeys(BUCKETS, 0))[cell["bucket"]] = cell["customers"]
    return counts


@pytest.fixture(scope="module")
def world(api) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    cid, name = customer(api, "zhangwei", "重点")
    call = log(api, "zhangwei", cid, "call", "客户说今年预算五十万", now - 2 * DAY)
    demo = log(api, "zhangwei", cid, "demo", "现场演示，客户提到竞品锐影", now - DAY, plan=now + 2 * DAY)
    # Another team's customer, contacted: its rep has a CDI the manager must not see.
    other, _ = customer(api, "wuhao", "普通")
    log(api, "wuhao", other, "call", "例行回访", now - DAY)
    # lina's heat map: 战略 contacted today, 重点 6 days ago (a typed activity goes back at most 7 days), 普通 never.
    before = heat_counts(api, "lina")
    touched, _ = customer(api, "lina", "战略")
    log(api, "lina", touched, "call", "电话确认交期", now)
    earlier, _ = customer(api, "lina", "重点")
    log(api, "lina", earlier, "call", "例行回访", now - 6 * DAY)
    customer(api, "lina", "普通")
    after = {t: dict(cells) for t, cells in before.items()}
    after["战略"]["0-7"] += 1
    after["重点"]["0-7"] += 1
    after["普通"]["90+"] += 1
    return {"cid": cid, "name": name, "call": call, "demo": demo, "heat": after}


def settled(check: Callable[[], bool], what: str) -> None:
    """Index rows are recomputed by consumers and sweeps: wait until the page shows what the gateway says."""
    until(check, what, seconds=45)


def text_of(page: Page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def test_a_manager_drills_from_his_reps_cdi_to_a_customers_factors_and_evidence(
    page_as, api, world, accessible, shot
) -> None:
    w = ok(api("wangqiang").get("/v1/indexes/cdi/settings"))["weights"]
    # The definition: the weighted mean of the applicable factors × 100 (closure has no plan due yet).
    expected = round((w["coverage"] * 1.0 + w["needs"] * 0.5) / (w["coverage"] + w["needs"]) * 100, 1)
    rep = api("zhangwei")
    until(lambda: ok(rep.get(f"/v1/customers/{world['cid']}/cdi"))["cdi"] == expected, "the customer's CDI")

    page = page_as("wangqiang")
    page.goto("/indexes/cdi")
    expect(page.locator("h1")).to_have_text("客户接触深度指数（CDI）")
    expect(page.locator("#cdi-chart")).to_have_attribute("data-ready", "true")
    expect(page.locator("#cdi-chart svg")).to_have_count(1)

    def rows_match() -> bool:
        groups = {g["key"]: g for g in ok(api("wangqiang").get("/v1/indexes/cdi", params={"group_by": "rep"}))["items"]}
        page.reload()
        shown = {r.split("\t")[0]: r.split("\t")[1:] for r in text_of(page, "tr.cdi-row")}
        return set(groups) == {"zhangwei", "lina"} and all(
            shown.get(NAMES[k], [None])[0] == str(g["average_cdi"]) for k, g in groups.items()
        )

    settled(rows_match, "the manager's CDI rows to be his two reps with the gateway's averages")
    expect(page.locator("tr.cdi-row", has_text="吴昊")).to_have_count(0)
    shot(page, "cdi-groups")
    accessible(page)

    page.locator("tr.cdi-row").get_by_role("link", name="张伟").click()
    expect(page.locator("h1")).to_have_text("各客户 CDI: 张伟")
    row = page.locator("tr.cdi-customer", has_text=world["name"])
    # The last cell is the next plan's due time (in two days), which the test does not pin to the minute.
    expect(row.locator("td").nth(5)).not_to_be_empty()
    expect(row.locator("td").filter(has_text="")).to_have_count(6)
    for i, text in enumerate(["张伟", str(expected), "100.0%", "50.0%", "不适用"]):
        expect(row.locator("td").nth(i)).to_have_text(text)
    expect(row.locator(".tag.hot")).to_have_count(0)
    accessible(page)

    row.get_by_role("link", name=world["name"]).click()
    page.wait_for_url(f"**/customers/{world['cid']}/cdi")
    expect(page.locator("h1")).to_have_text(f"{world['name']}: CDI {expected}")
    expect(page.locator("dl.factors dd")).to_have_text(["100.0%", "50.0%", "不适用"])
    touches = page.locator("#touches-h + ul li")
    expect(touches).to_have_count(2)
    expect(touches.filter(has_text=world["call"])).to_contain_text("call")
    expect(touches.filter(has_text=world["demo"])).to_contain_text("demo")
    tags = page.locator("#tags-h + ul li")
    expect(tags.filter(has_text="预算")).to_contain_text(world["call"])
    expect(tags.filter(has_text="竞品")).to_contain_text(world["demo"])
    expect(tags.filter(has_text="决策链")).to_contain_text("未找到")
    expect(tags.filter(has_text="时间节点")).to_contain_text("未找到")
    expect(page.locator("#cdi-plans tr.plan")).to_have_count(1)
    expect(page.locator("#cdi-plans tr.plan.pending td").nth(1)).to_have_text("未到期")
    shot(page, "cdi-customer")
    accessible(page)

    # The rep sees his own row only.
    own = page_as("zhangwei")
    own.goto("/indexes/cdi")
    expect(own.locator("tr.cdi-row th")).to_have_text(["张伟"])


def test_the_follow_up_heat_map_shows_a_reps_customers_by_days_and_tier(page_as, api, world, accessible, shot) -> None:
    heat = world["heat"]
    until(lambda: heat_counts(api, "lina") == heat, "lina's heat map cells")
    page = page_as("wangqiang")
    page.goto("/indexes/follow-up-heat-map")
    expect(page.locator("h1")).to_have_text("跟进热力图")
    page.get_by_label("销售").select_option("lina")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**owner_id=lina")
    expect(page.locator("#heat-chart")).to_have_attribute("data-ready", "true")
    for tier in TIERS:
        cells = [str(heat[tier][b]) for b in BUCKETS]
        total = sum(heat[tier].values())
        untouched = round(heat[tier]["90+"] / total * 100, 1) if total else 0.0
        expect(
            page.locator("#heat-table tbody tr", has=page.get_by_role("rowheader", name=tier, exact=True)).locator("td")
        ).to_have_text([*cells, str(total), f"{untouched}%"])
    everyone = sum(sum(c.values()) for c in heat.values())
    share = round(sum(c["90+"] for c in heat.values()) / everyone * 100, 1)
    expect(page.locator("p.untouched")).to_have_text(f"90 天以上未接触：{everyone} 个客户中占 {share}%。")
    shot(page, "heat-map")
    accessible(page)


def test_phi_and_kpi_show_each_rep_beside_the_team_average(page_as, api, world, accessible, shot) -> None:
    page = page_as("wangqiang")
    page.goto("/indexes/phi")
    expect(page.locator("h1")).to_have_text("过程健康度指数（PHI）")

    def composites_match() -> bool:
        answer = ok(api("wangqiang").get("/v1/indexes/phi"))
        reps = {r["rep_id"]: r.get("composite_bp") for r in answer["reps"]}
        present = [v for v in reps.values() if v is not None]
        # The team average by its definition: the floored mean over the reps with a value.
        team = sum(present) // len(present) if present else None
        page.reload()
        shown = {r.split("\t")[0].split(" ")[0]: r.split("\t")[-1] for r in text_of(page, "tr.phi-row")}
        team_shown = text_of(page, "tr.team-row td")[-1:]
        fmt = lambda bp: "—" if bp is None else f"{round(bp / 100, 1)}%"
        return (
            set(reps) == {"zhangwei", "lina"}
            and team_shown == [fmt(team)]
            and all(shown.get(NAMES[k]) == fmt(v) for k, v in reps.items())
        )

    settled(composites_match, "each rep's PHI composite and the team's floored mean")
    expect(page.locator("tr.phi-row", has_text="吴昊")).to_have_count(0)
    expect(page.locator("#phi-chart")).to_have_attribute("data-ready", "true")
    expect(page.locator("#phi-chart svg")).to_have_count(1)
    shot(page, "phi")
    accessible(page)

    page.get_by_role("navigation", name="过程健康度").get_by_role("link", name="KPI 指标").click()
    expect(page.locator("h1")).to_have_text("KPI 指标")
    expect(page.locator("tr.kpi-row th")).to_have_text(["李娜", "张伟"])  # the gateway's order: by rep id
    expect(page.locator("tr.team-row th")).to_have_text("团队均值")
    expect(page.locator(".kpi-chart svg")).to_have_count(4)  # sales, 回款率, visits against target, effective call time
    shot(page, "kpi")
    accessible(page)

    own = page_as("zhangwei")
    own.goto("/indexes/phi")
    expect(own.locator("tr.phi-row th")).to_have_text(["张伟"])


def test_the_customer_page_shows_the_value_tier_and_health(page_as, api, world, accessible, shot) -> None:
    value = ok(api("zhangwei").get(f"/v1/customers/{world['cid']}/value"))
    assert value["tier"] == "重点", value  # set by hand when it was made, the formula being off
    page = page_as("zhangwei")
    page.goto(f"/customers/{world['cid']}?open=value-health")
    section = page.locator("#sec-value-health")
    expect(section.locator("h3").first).to_have_text("价值等级")
    expect(section.locator("strong.tag")).to_have_text("重点")
    expect(section.locator("h3").nth(1)).to_have_text("客户健康度")
    expect(section.locator("table.health-periods caption")).to_have_text("按月健康度")
    expect(section).to_contain_text("新品试用进度")
    shot(page, "value-health")
    accessible(page)


def closed_history(api, n: int = 40) -> None:  # type: ignore[no-untyped-def]
    """wuhao's closed opportunities, every third won: the least history the model trains on."""
    rep = api("wuhao")
    # Closing needs a pipeline: a line of its own, so the forecast test's cells stay the forecast test's.
    line = f"历史测试线{suffix()}"
    pipeline = ok(api("wangqiang").post("/v1/pipelines", json={"name": line, "product_line": line, "stages": [
        {"name": "初步接触", "probability": 10, "forecast_category": "pipeline"},
        {"name": "合同签署", "probability": 90, "forecast_category": "commit"}]}), 201)["pipeline"]

    def one(k: int) -> None:
        made = ok(
            rep.post(
                "/v1/opportunities",
                json={
                    "customer_name": f"萧山历史客户{suffix()}{k:02d}",
                    "name": "一期设备",
                    "pipeline_id": pipeline["pipeline_id"],
                    "amount": {"amount_minor": 5_000_000, "currency": "CNY"},
                },
            ),
            201,
        )["opportunity"]
        outcome = "won" if k % 3 == 0 else "lost"
        ok(rep.post(f"/v1/opportunities/{made['opportunity_id']}/{outcome}", json={"reason": "测试历史"}))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(n)))


def test_a_manager_trains_the_win_model_and_reads_its_three_scores_and_curve(page_as, api, accessible, shot) -> None:
    closed_history(api)
    page = page_as("wangqiang")
    page.goto("/forecast/model")
    expect(page.locator("h1")).to_have_text("赢单模型校准")
    page.get_by_role("button", name="立即训练模型").click()
    expect(page.locator("p.ok[role=status]")).to_have_text("训练完成，所有进行中商机已重新评分。", timeout=60_000)
    report = ok(api("wangqiang").get("/v1/forecast/model"))
    scores = {s["predictor"]: s for s in report["scores"]}
    labels = {"calibrated": "校准后模型", "uncalibrated": "朴素贝叶斯（未校准）", "stage_default": "阶段默认概率"}
    expect(page.locator("#calibration-scores tr.score-row")).to_have_count(3)
    for key, label in labels.items():
        expect(page.locator("#calibration-scores tr.score-row", has_text=label).locator("td")).to_have_text(
            [f"{scores[key]['brier']:.4f}", f"{scores[key]['log_loss']:.4f}"]
        )
    expect(page.locator("#reliability-chart")).to_have_attribute("data-ready", "true")
    expect(page.locator("#reliability-chart svg")).to_have_count(1)
    shot(page, "win-model")
    accessible(page)
    rep = page_as("zhangwei")
    rep.goto("/forecast/model")
    expect(rep.locator("#calibration-scores tr.score-row")).to_have_count(3)
    expect(rep.get_by_role("button", name="立即训练模型")).to_have_count(0)


def test_the_forecast_by_region_and_product_line_sums_amount_times_probability(page_as, api, accessible, shot) -> None:
    line = f"指数测试线{suffix()}"
    pipeline = ok(
        api("wangqiang").post(
            "/v1/pipelines",
            json={
                "name": line,
                "product_line": line,
                "stages": [
                    {"name": "初步接触", "probability": 10, "forecast_category": "pipeline"},
                    {"name": "方案报价", "probability": 50, "forecast_category": "best_case"},
                    {"name": "合同签署", "probability": 90, "forecast_category": "commit"},
                ],
            },
        ),
        201,
    )["pipeline"]
    rep = api("zhangwei")
    plan = [("浙江", 12_345_678_90), ("浙江", 98_765_43), ("江苏", 3_000_000_01)]
    made: list[tuple[str, str, int]] = []
    for region, amount in plan:
        opp = ok(
            rep.post(
                "/v1/opportunities",
                json={
                    "customer_name": f"{region}预测客户{suffix()}",
                    "name": "二期产线",
                    "pipeline_id": pipeline["pipeline_id"],
                    "product_line": line,
                    "amount": {"amount_minor": amount, "currency": "CNY"},
                },
            ),
            201,
        )["opportunity"]
        ok(rep.patch(f"/v1/customers/{opp['customer_id']}", json={"location": {"province": region}}))
        made.append((opp["opportunity_id"], region, amount))

    page = page_as("wangqiang")

    def cells_match() -> bool:
        weighted: dict[str, int] = {}
        for oid, region, amount in made:
            p = ok(rep.get(f"/v1/opportunities/{oid}/win-probability"))["probability"]
            weighted[region] = weighted.get(region, 0) + amount * p
        amounts = {r: sum(a for _, rr, a in made if rr == r) for r in weighted}
        counts = {r: sum(1 for _, rr, _ in made if rr == r) for r in weighted}
        page.goto("/forecast")
        rows = [r.split("\t") for r in text_of(page, "#forecast-matrix-table tbody tr") if f"\t{line}\t" in r]
        want = [[r, line, str(counts[r]), yuan(weighted[r] // 100), yuan(amounts[r])] for r in sorted(weighted)]
        return sorted(rows) == want

    settled(cells_match, "the region × product line cells to be Σ amount × probability // 100")
    expect(page.locator("h2", has_text="各区域、各产品线的预计收入分布")).to_be_visible()
    expect(page.locator("#forecast-matrix")).to_have_attribute("data-ready", "true")
    expect(page.locator("#forecast-matrix svg")).to_have_count(1)
    shot(page, "forecast")
    accessible(page)

    page.get_by_role("link", name="按产品线").click()
    total = sum(a * ok(rep.get(f"/v1/opportunities/{o}/win-probability"))["probability"] for o, _, a in made) // 100
    expect(
        page.locator("tr.forecast-row", has=page.get_by_role("rowheader", name=line)).locator("td").nth(1)
    ).to_have_text(yuan(total))


def yuan(fen: int) -> str:
    """分 as the console shows them (web.i18n.yuan): ¥1,234.56."""
    return f"¥{fen // 100:,}.{fen % 100:02d}"


PARTNER_REFUSED = {
    "/indexes/cdi": "您的角色无法查看 CDI。",
    "/indexes/follow-up-heat-map": "您的角色无法查看热力图。",
    "/indexes/phi": "您的角色无法查看过程健康度。",
    "/indexes/kpi": "您的角色无法查看 KPI 指标。",
    "/forecast": "你的角色无法查看收入预测。",
    "/forecast/model": "你的角色无法查看赢单模型。",
}


def test_a_partner_is_refused_every_index_page(page_as, world, accessible) -> None:
    page = page_as("zhaolei")
    for path, refusal in PARTNER_REFUSED.items():
        response = page.goto(path)
        assert response is not None and response.status < 500, (path, response and response.status)
        expect(page.locator("p.not-allowed")).to_have_text(refusal)
    page.goto(f"/customers/{world['cid']}/cdi")
    expect(page.locator("p.not-allowed")).to_have_text("您无法查看该客户的 CDI。")
    expect(page.locator("body")).not_to_contain_text(world["name"])
    accessible(page)
