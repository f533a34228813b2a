"""The rules domain: route lists checked against the catalogue, the values
formulas read, candidate sets, explanations."""

from __future__ import annotations

import numpy as np
import pytest
from crm_shared.domain.errors import InvalidArgument
from lead_routing.domain.assignment import Explanation, render_value
from lead_routing.domain.catalogue import catalogue
from lead_routing.domain.rule_set import (
    Route,
    check_routes,
    compile_scoring,
    in_candidate_set,
    lead_values,
    matching_route,
    new_route,
    rep_values,
    route_specs,
)

CAT = catalogue({"客户等级": "text"})
SEED = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"


from tests.unit.lead_routing.factories import lead, rep_state

rep = rep_state


def values(**columns) -> dict:
    """The catalogue values of a lead with these columns."""
    return lead_values(lead(**columns))


def test_the_seed_formula_is_accepted_verbatim_and_scores_as_the_seed_says() -> None:
    f = compile_scoring(SEED, CAT)
    lead = values(district="柯桥区", city="绍兴市", purchases_6m_minor=5_000_000)
    assert f.score(lead | rep_values(rep("a", region="柯桥区"))).value == 100
    assert f.score(lead | rep_values(rep("b", region="越城区"))).value == 70
    poor = values(district="柯桥区", purchases_6m_minor=1_000_000)
    assert f.score(poor | rep_values(rep("a", region="柯桥区"))).value == 30


def test_lead_values_map_columns_to_catalogue_names() -> None:
    v = values(
        company_name="柯桥布业",
        source="展会扫码",
        city="绍兴市",
        district="",
        budget_minor=1_234_500,
        annual_revenue_minor=6_000_000_000,
        orders_3m=4,
        industry_tags=["纺织"],
        latitude=30.1,
        custom_fields={"客户等级": "A"},
    )
    assert v["行政区划"] == "绍兴市"  # no district known: the city
    assert (v["预算"], v["年营业额"], v["近3月订单数"]) == (12345.0, 60_000_000.0, 4.0)
    assert v["区县"] is None and v["经度"] is None and v["客户等级"] == "A"


def test_route_problems_are_named_by_path_with_position() -> None:
    routes = [
        new_route(0, name="ok", condition='来源="百度爱采购"', target_kind="all"),
        new_route(1, name="", condition="近3月订单数>=", target_kind="team"),
        new_route(2, name="reads a rep field", condition='籍贯="绍兴市"', target_kind="reps"),
        new_route(3, name="filter must be logical", rep_filter="容量", target_kind="nowhere"),
    ]
    with pytest.raises(InvalidArgument) as err:
        check_routes(routes, CAT)
    fields = {v.field: v.description for v in err.value.violations}
    assert set(fields) == {
        "routes[1].name",
        "routes[1].condition",
        "routes[1].target.team",
        "routes[2].condition",
        "routes[2].target.rep_ids",
        "routes[3].rep_filter",
        "routes[3].target.kind",
    }
    assert fields["routes[1].condition"].startswith("line 1, column 9:")
    assert "unknown field '籍贯'" in fields["routes[2].condition"]


def test_defaults_and_route_ids() -> None:
    r = new_route(4, name="x", target_kind="", sla_hours=0, cooldown_hours=0)
    assert (r.route_id, r.target_kind, r.sla_hours, r.cooldown_hours) == ("route-5", "pool", 24.0, 24.0)
    assert Route.from_json(r.to_json()) == r


def test_candidate_sets_and_first_matching_route() -> None:
    routes = check_routes(
        [
            new_route(
                0,
                route_id="ka",
                name="大客户",
                condition="年营业额>=50000000",
                target_kind="key_account",
                rep_filter='职级<>"junior"',
            ),
            new_route(
                1,
                route_id="local",
                name="本地籍",
                condition='行政区划="柯桥区"',
                target_kind="all",
                rep_filter="籍贯=行政区划",
            ),
            new_route(2, route_id="team", name="华东组", target_kind="team", team="华东"),
        ],
        CAT,
    )
    reps = [
        rep("ka", seniority="key_account", team="大客户"),
        rep("jr", seniority="junior", native_place="柯桥区", team="华东"),
        rep("sr", seniority="senior", native_place="越城区", team="华东"),
    ]
    specs = route_specs(routes, reps)
    assert [s.target.tolist() for s in specs] == [[True, False, False], [True, True, True], [False, True, True]]
    big = values(annual_revenue_minor=8_000_000_000, district="柯桥区")
    keqiao = values(district="柯桥区")
    assert matching_route(routes, big).route.route_id == "ka"
    assert matching_route(routes, keqiao).route.route_id == "local"
    assert matching_route(routes, values()).route.route_id == "team"
    assert [in_candidate_set(matching_route(routes, big), big, r) for r in reps] == [True, False, False]
    assert [in_candidate_set(matching_route(routes, keqiao), keqiao, r) for r in reps] == [False, True, False]
    assert in_candidate_set(None, keqiao, reps[0])  # no route: anyone may claim from the pool


def test_availability_counts_capacity_leave_and_activity() -> None:
    assert rep("a").available
    assert not rep("a", capacity=2, open_leads=2).available
    assert not rep("a", capacity=2, on_leave=True).available
    assert not rep("a", capacity=2, active=False).available


def test_explanations_round_trip_and_render() -> None:
    e = Explanation("r", "路线", '来源="展会扫码"', 3, SEED, 2, 100.0, [("行政区划", "柯桥区")], [("b", 70.0)], 10, 4)
    assert Explanation.from_json(e.to_json()) == e
    assert [render_value(v) for v in (True, 80000.0, None, float("nan"), ["纺织", "机械"], "#DIV/0!")] == [
        "TRUE",
        "80000",
        "",
        "",
        "纺织, 机械",
        "#DIV/0!",
    ]
    assert np.isfinite(e.score)


def test_ranked_candidates_are_best_first_and_cool_downs_are_left_out() -> None:
    from lead_routing.domain.pool import rank_pool
    from lead_routing.domain.rule_set import RuleSet

    rules = RuleSet(check_routes([new_route(0, name="all", target_kind="all")], CAT), compile_scoring(SEED, CAT))
    leads = [
        lead("L1", district="柯桥区", purchases_6m_minor=6_000_000),
        lead("L2", district="越城区", purchases_6m_minor=100),
    ]
    reps = [rep("far", region="余杭区"), rep("near", region="柯桥区"), rep("full", region="柯桥区")]
    reps[2] = rep("full", region="柯桥区", open_leads=10)  # at capacity: not a candidate
    pool = rank_pool(rules, leads, reps, {("L2", "near")})
    assert [(reps[r].rep_id, s) for r, s in pool.candidates(0)] == [("near", 100.0), ("far", 70.0)]
    assert [(reps[r].rep_id, s) for r, s in pool.candidates(1)] == [("far", 30.0)]
