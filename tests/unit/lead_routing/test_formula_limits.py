"""Formulas a client can send that are too big, too deep or too large in value:
refused on save with the field named, and harmless at run time (a number
too large to compute is #NUM! and scores 0)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from crm_shared.domain.errors import InvalidArgument
from crm_shared.formula import MAX_DEPTH, MAX_LENGTH, MAX_NODES, MAX_SCORE, FormulaError, score_matrix, unusable_formula
from lead_routing.domain.batch_assignment import assign_optimal
from lead_routing.domain.catalogue import catalogue
from lead_routing.domain.formula import compile_formula
from lead_routing.domain.ranking import RouteSpec, explain_pair, rank
from lead_routing.domain.rule_set import Route, check_routes, columns, compile_scoring, matching_route

from tests.unit.platform.test_formula_limits import _deep_stack

CAT = catalogue()


def _sum(terms: int) -> str:
    return "+".join(["1"] * terms)


# ------------------------------------------------------------ size and depth


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (_sum(2000), "levels deep"),  # 3,999 characters: within the length, far too deep
        ("-" * 3999 + "1", "levels deep"),
        ("-" * 4000 + "1", f"longer than {MAX_LENGTH} characters"),
        ("(" * 3000 + "1" + ")" * 3000, f"longer than {MAX_LENGTH} characters"),
        ("MAX(" + ",".join(["1+1+1+1+1"] * 120) + ")", f"more than {MAX_NODES}"),
        ("IF(" * 120 + "TRUE" + ",1,2)" * 120, "levels deep"),
    ],
)
def test_an_oversized_formula_is_refused_on_field_formula(text: str, reason: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        compile_scoring(text, CAT)
    assert [v.field for v in err.value.violations] == ["formula"]
    assert reason in err.value.violations[0].description


def test_a_too_deep_route_condition_names_its_route() -> None:
    routes = [
        Route("r1", "大客户", condition="近6月采购金额>=50000"),
        Route("r2", "深", condition=_sum(300) + ">1"),
        Route("r3", "负号", rep_filter="-" * 2000 + "在手线索数<1"),
    ]
    with pytest.raises(InvalidArgument) as err:
        check_routes(routes, CAT)
    assert [v.field for v in err.value.violations] == ["routes[1].condition", "routes[2].rep_filter"]


def test_a_formula_at_the_limits_evaluates_with_both_evaluators_from_a_deep_stack() -> None:
    # MAX_DEPTH levels: a sum of MAX_DEPTH terms (MAX_DEPTH - 1 operators over the leaves)
    text = "+".join(["近3月订单数"] + ["1"] * (MAX_DEPTH - 1))
    f = compile_formula(text, CAT)
    with pytest.raises(FormulaError):
        compile_formula(text + "+1", CAT)
    lead = {"近3月订单数": 5.0}

    def run():
        per_pair = f.evaluate(lead)
        vec = f.evaluate_vectorised({"近3月订单数": np.array([5.0])}, {})
        terms = explain_pair(lead, {}, f)
        return per_pair, vec, terms

    per_pair, vec, terms = _deep_stack(600, run)
    assert per_pair == 5 + MAX_DEPTH - 1 and vec[0, 0] == per_pair
    assert terms[0][1] == per_pair


# ------------------------------------------------------------ numbers too large


def test_a_number_literal_that_is_not_finite_is_refused() -> None:
    with pytest.raises(InvalidArgument) as err:
        compile_scoring("1e999", CAT)
    assert err.value.violations[0].field == "formula" and "too large" in err.value.violations[0].description


@pytest.mark.parametrize(
    "text",
    [
        "1e308*10",
        "1e308+1e308",
        "-1e308-1e308",
        "1e300/1e-300",
        "近6月采购金额*1e300",
        'IF(来源="导入",1e200*1e200,1)',
        "MAX(预算*预算*预算,1)",  # finite, but a score of 10^39
        "近6月采购金额*1000",  # 10^16 at the largest amount a lead may hold (10^13 元)
    ],
)
def test_saving_a_formula_that_can_overflow_over_the_field_ranges_is_refused(text: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        compile_scoring(text, CAT)
    assert [v.field for v in err.value.violations] == ["formula"]


@pytest.mark.parametrize(
    "text",
    [
        "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))",
        "近6月采购金额/历史转化率",
        "近6月采购金额*100",
        "100-DISTANCE(纬度,经度,近3月成交客户位置)",
        "近6月采购金额/近3月订单数",  # #DIV/0! at 0 orders is an error value, not an overflow
        "1e15",
    ],
)
def test_formulas_within_range_are_accepted(text: str) -> None:
    compile_scoring(text, CAT)


def test_a_condition_that_can_overflow_is_refused_with_its_route() -> None:
    with pytest.raises(InvalidArgument) as err:
        check_routes([Route("r1", "溢出", condition="近6月采购金额*1e300>1")], CAT)
    assert [v.field for v in err.value.violations] == ["routes[0].condition"]


def test_an_overflowing_condition_does_not_hold() -> None:
    cr = check_routes([Route("r1", "溢出", condition="近6月采购金额*近6月采购金额*1e290>1")], CAT, saved=True)
    assert matching_route(cr, {"近6月采购金额": 1e10}) is None
    assert matching_route(cr, {"近6月采购金额": 1.0}) is cr[0]


def test_rank_scores_an_overflowing_pair_zero_and_every_score_is_finite() -> None:
    f = compile_formula("IF(近6月采购金额>5,近6月采购金额*1e300,近6月采购金额)", CAT)
    leads = columns([{"近6月采购金额": 1e10}, {"近6月采购金额": 3.0}, {"近6月采购金额": 1e-290}], CAT, "lead")
    reps = columns([{"在手线索数": 0.0}, {"在手线索数": 1.0}], CAT, "rep")
    route = RouteSpec("all", None, None, np.ones(2, dtype=bool))
    ranking = rank(leads, reps, [route], f, n_leads=3, n_reps=2)
    assert np.isfinite(ranking.score).all()
    by_lead = {int(i): float(s) for i, s in zip(ranking.lead_idx, ranking.score, strict=True)}
    assert by_lead[0] == 0.0 and by_lead[1] == 3.0


def test_a_saved_formula_that_no_longer_compiles_scores_zero_everywhere() -> None:
    f = compile_scoring(_sum(300), CAT, saved=True)
    assert (f.score({}).value, f.score({}).error) == (0.0, "#NAME?")
    vec = f.evaluate_vectorised({}, {})
    assert score_matrix(vec).tolist() == [[0.0]]
    cond = unusable_formula("坏", "bool")
    leads = columns([{"近6月采购金额": 1.0}], CAT, "lead")
    route = RouteSpec("r", cond, None, np.ones(1, dtype=bool))
    ranking = rank(leads, {}, [route], f, n_leads=1, n_reps=1)
    assert ranking.route_index.tolist() == [-1]
    assert explain_pair({}, {}, f) == [(_sum(300)[:199] + "…", "#NAME?")]  # the explanation says why it is 0


# ------------------------------------------------------------ assignment


def test_batch_assignment_takes_scores_of_any_size() -> None:
    n_leads, n_reps = 2000, 20
    rng = np.random.default_rng(3)
    lead_idx = np.repeat(np.arange(n_leads), n_reps)
    rep_idx = np.tile(np.arange(n_reps), n_leads)
    score = rng.random(n_leads * n_reps) * MAX_SCORE
    chosen_leads, chosen_reps = assign_optimal(lead_idx, rep_idx, score, np.full(n_reps, 10))
    assert len(chosen_leads) == 200 and np.bincount(chosen_reps, minlength=n_reps).max() == 10
    # the best pairs win: the chosen total is close to the best one can get
    best = np.sort(score)[::-1][:200].sum()
    got = score[chosen_leads * n_reps + chosen_reps].sum()
    assert got >= 0.95 * best


def test_a_route_list_whose_formulas_are_too_long_together_is_refused() -> None:
    condition = "OR(" + ",".join(f'AND(近6月采购金额>{i},来源="展会扫码")' for i in range(100)) + ")"
    assert len(condition) < 4000
    routes = [Route(f"r{i}", f"路线{i}", condition=condition, target_kind="all") for i in range(10)]
    with pytest.raises(InvalidArgument) as err:
        check_routes(routes, CAT)
    assert [v.field for v in err.value.violations] == ["routes"]
    assert len(check_routes(routes[:5], CAT)) == 5
    assert len(check_routes(routes, CAT, saved=True)) == 10  # a list stored before the bound still routes


def test_the_explanation_of_a_big_formula_is_bounded() -> None:
    text = "MAX(" + ",".join(f"IF(近3月订单数>{i},近3月订单数*{i}+1,{i})" for i in range(90)) + ")"
    f = compile_formula(text, CAT)
    terms = explain_pair({"近3月订单数": 50.0}, {}, f)
    assert len(terms) == 40 and all(len(t) <= 200 for t, _ in terms)
    assert terms[0] == (terms[0][0], f.evaluate({"近3月订单数": 50.0})) and terms[0][0].endswith("…")


def test_won_customer_points_that_are_not_finite_are_no_location() -> None:
    f = compile_formula("DISTANCE(纬度,经度,近3月成交客户位置)", CAT)
    row = {"纬度": 30.0, "经度": 120.0, "近3月成交客户位置": [(math.inf, 120.0), (math.nan, 1.0)]}
    assert str(f.evaluate(row)) == "#N/A"
    near = {**row, "近3月成交客户位置": [(math.inf, 120.0), (30.0, 120.0)]}
    assert f.evaluate(near) == 0.0
    points = np.empty(1, dtype=object)
    points[0] = near["近3月成交客户位置"]
    vec = f.evaluate_vectorised({"纬度": np.array([30.0]), "经度": np.array([120.0])}, {"近3月成交客户位置": points})
    assert vec[0, 0] == 0.0


def test_route_names_ids_and_targets_are_bounded() -> None:
    routes = [
        Route("r" * 65, "名" * 201, target_kind="team", team="队" * 201),
        Route("r2", "名单", target_kind="reps", rep_ids=tuple(f"rep{i}" for i in range(501))),
    ]
    with pytest.raises(InvalidArgument) as err:
        check_routes(routes, CAT)
    assert [v.field for v in err.value.violations] == [
        "routes[0].name",
        "routes[0].route_id",
        "routes[0].target.team",
        "routes[1].target.rep_ids",
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("10^10^10", "unexpected character '^'"),  # no power operator: nothing grows past + - * /
        ('REPT("a",1000000000)', "unknown function REPT"),  # no string-building functions either
        ("1/0", None),  # #DIV/0! is an error value (scores 0), not a refusal
    ],
)
def test_what_the_language_has_no_way_to_grow(text: str, says: str | None) -> None:
    if says is None:
        f = compile_scoring(text, CAT)
        assert (f.score({}).value, f.score({}).error) == (0.0, "#DIV/0!")
        return
    with pytest.raises(InvalidArgument) as err:
        compile_scoring(text, CAT)
    assert says in err.value.violations[0].description
