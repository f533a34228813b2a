"""Routing rules pages: what the sales director sees and what is sent to the gateway."""

from __future__ import annotations

from web.pages.routing import mark_error, routes_from_form

from tests.unit.web.fakes import FakeGateway, problem

ACTIVE = {
    "routes": {"kind": "routes", "version": 3, "active": True, "routes": [
        {"route_id": "r1", "name": "柯桥老客户", "condition": 'AND(区县="柯桥区")', "target": {"kind": "all", "team": "", "rep_ids": []},
         "rep_filter": "", "sla_hours": 24.0, "cooldown_hours": 24.0, "auto_assign": True}]},
    "formula": {"kind": "formula", "version": 2, "active": True, "formula": "IF(近6月采购金额>=20000,70,30)"},
}


def _overview(fake: FakeGateway) -> None:
    fake.on("GET", "/v1/routing/active", ACTIVE)
    fake.on("GET", "/v1/routing/routes/versions", {"versions": [ACTIVE["routes"]]})
    fake.on("GET", "/v1/routing/formulas/versions", {"versions": [
        {"kind": "formula", "version": 4, "active": False, "created_by": "wangqiang", "created_at": "2026-12-03T01:00:00Z", "comment": "旺季"},
        ACTIVE["formula"]]})
    fake.on("GET", "/v1/routing/audit", {"entries": [
        {"kind": "formula", "version": 4, "action": "saved", "actor_id": "wangqiang", "at": "2026-12-03T01:00:00Z"}]})


def test_the_error_position_is_marked_in_the_formula() -> None:
    m = mark_error("IF(A>1,\nB", "line 2, column 2: unexpected end of formula")
    assert (m.line, m.column) == (2, 2)
    assert m.before == "IF(A>1,\nB" and m.at == " " and m.message == "unexpected end of formula"
    m = mark_error("SUM(1,,2)", "line 1, column 7: unexpected ','")
    assert m.before == "SUM(1," and m.at == "," and m.after == "2)"
    assert mark_error("x", "is required") is None


def test_the_route_form_becomes_the_gateways_route_list() -> None:
    form = {
        "routes-0-name": "甲", "routes-0-condition": "来源=\"展会\"", "routes-0-target_kind": "reps",
        "routes-0-rep_ids": "zhangwei, lina，wuhao", "routes-0-sla_hours": "12", "routes-0-auto_assign": "1",
        "routes-1-name": "乙", "routes-1-target_kind": "team", "routes-1-target_team": "华东一组", "routes-1-remove": "1",
        "routes-2-name": "丙", "routes-2-target_kind": "all", "routes-2-sla_hours": "abc",
    }
    routes = routes_from_form(form)
    assert [r["name"] for r in routes] == ["甲", "丙"]
    assert routes[0]["target"] == {"kind": "reps", "team": "", "rep_ids": ["zhangwei", "lina", "wuhao"]}
    assert routes[0]["sla_hours"] == 12.0 and routes[0]["auto_assign"] is True
    assert routes[1]["sla_hours"] == "abc"  # the gateway names the field


async def test_the_overview_shows_active_rules_versions_and_who_changed_them(console, fake_gateway: FakeGateway) -> None:
    _overview(fake_gateway)
    page = await console("wangqiang").get("/routing")
    assert page.status_code == 200
    assert "柯桥老客户" in page.text and "IF(近6月采购金额&gt;=20000,70,30)" in page.text
    assert 'action="/routing/formulas/versions/4/activate"' in page.text  # the inactive one can be activated
    assert "2026-12-03 09:00" in page.text  # Shanghai time


async def test_a_formula_error_comes_back_marked_and_nothing_is_saved(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("POST", "/v1/routing/dry-run", problem(
        400, "formula: line 1, column 8: unknown function FOO",
        errors=[{"field": "formula", "description": "line 1, column 8: unknown function FOO"}]))
    client = console("wangqiang")
    page = await client.post("/routing/formula", data={"formula": "IF(A>1,FOO(2),3)", "action": "dry-run"},
                             headers={"hx-request": "true"})
    assert page.status_code == 400
    assert "第 1 行第 8 列：unknown function FOO" in page.text
    assert '<mark class="error-at">F</mark>' in page.text
    assert "<html" not in page.text  # only the editor block
    assert fake_gateway.called("POST", "/v1/routing/formulas") == []


async def test_saving_a_formula_sends_it_and_goes_to_the_overview(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("POST", "/v1/routing/formulas", {"version": {"kind": "formula", "version": 5}})
    page = await console("wangqiang").post("/routing/formula", data={"formula": "IF(A>1,2,3)", "comment": "试", "action": "save"})
    assert page.status_code == 303 and page.headers["location"] == "/routing?saved=formulas-5"
    sent = fake_gateway.called("POST", "/v1/routing/formulas")[0]
    assert sent.kwargs["json"] == {"formula": "IF(A>1,2,3)", "comment": "试"}
    assert sent.token == "token-of-wangqiang"


async def test_a_route_error_is_shown_on_its_own_field(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("POST", "/v1/routing/dry-run", problem(400, "", errors=[
        {"field": "routes[1].target.team", "description": "is required for a team target"},
        {"field": "routes[0].rep_filter", "description": "line 1, column 1: unknown function FOO"}]))
    page = await console("wangqiang").post("/routing/routes", data={
        "routes-0-name": "甲", "routes-0-rep_filter": "FOO(1)", "routes-0-target_kind": "all",
        "routes-1-name": "乙", "routes-1-target_kind": "team", "action": "dry-run"})
    assert page.status_code == 400
    assert 'id="routes-1-team-error"' in page.text and "is required for a team target" in page.text
    assert 'id="routes-0-rep_filter-error"' in page.text
    assert 'id="routes-0-condition" name="routes-0-condition" value="" spellcheck="false">' in page.text  # untouched field


async def test_activation_refused_by_the_gateway_is_shown(console, fake_gateway: FakeGateway) -> None:
    _overview(fake_gateway)
    fake_gateway.on("POST", "/v1/routing/formulas/versions/9/activate", problem(404, "no formula version 9"))
    page = await console("wangqiang").post("/routing/formulas/versions/9/activate")
    assert page.status_code == 404 and "no formula version 9" in page.text
