"""Lead routing's dialect of the formula language: DISTANCE and the points field type, in both evaluators.
The language itself is tested in tests/unit/platform/test_formula.py."""

from __future__ import annotations

import numpy as np
import pytest
from crm_shared.formula import NA, FieldSpec, FormulaError
from lead_routing.domain.formula import compile_formula

from tests.unit.platform.test_formula import assert_vectorised_matches_per_pair

CATALOGUE = {
    "行政区划": FieldSpec("text", "lead"),
    "近6月采购金额": FieldSpec("number", "lead"),
    "行业标签": FieldSpec("tags", "lead"),
    "纬度": FieldSpec("number", "lead"),
    "经度": FieldSpec("number", "lead"),
    "销售员所在地": FieldSpec("text", "rep"),
    "销售员纬度": FieldSpec("number", "rep"),
    "销售员经度": FieldSpec("number", "rep"),
    "rep_quota": FieldSpec("number", "rep"),
    "成交位置": FieldSpec("points", "rep"),
    "lead_points": FieldSpec("points", "lead"),
    # generic fields for generated formulas
    "n1": FieldSpec("number", "lead"),
    "t1": FieldSpec("text", "lead"),
    "n2": FieldSpec("number", "rep"),
    "t2": FieldSpec("text", "rep"),
}
ANY = ("number", "bool")


def test_contains_and_distance():
    f = compile_formula('IF(CONTAINS(行业标签,"注塑机"),10,0)+DISTANCE(纬度,经度,销售员纬度,销售员经度)', CATALOGUE)
    row = {
        "行业标签": ["塑料", "精密注塑机械"],
        "纬度": 31.2304,
        "经度": 121.4737,
        "销售员纬度": 39.9042,
        "销售员经度": 116.4074,
    }
    assert f.evaluate(row) == pytest.approx(10 + 1067.3, abs=1.0)  # Shanghai to Beijing


def test_distance_to_the_nearest_point():
    shanghai, beijing, suzhou = (31.2304, 121.4737), (39.9042, 116.4074), (31.2990, 120.5853)
    lead = {"纬度": shanghai[0], "经度": shanghai[1]}
    near = compile_formula("DISTANCE(纬度,经度,成交位置)", CATALOGUE)
    assert near.evaluate(lead | {"成交位置": [beijing, suzhou]}) == pytest.approx(84.6, abs=1.0)
    assert near.evaluate(lead | {"成交位置": [beijing]}) == pytest.approx(1067.3, abs=1.0)
    # the same as the four-number DISTANCE to the nearer point
    four = compile_formula("DISTANCE(纬度,经度,销售员纬度,销售员经度)", CATALOGUE)
    assert near.evaluate(lead | {"成交位置": [beijing, suzhou]}) == pytest.approx(
        four.evaluate(lead | {"销售员纬度": suzhou[0], "销售员经度": suzhou[1]}), rel=1e-12
    )
    # no points: #N/A, so a radius condition does not hold for a rep with no won customers
    assert near.evaluate(lead | {"成交位置": []}) is NA and near.evaluate(lead) is NA
    assert near.score(lead).error == "#N/A"
    radius = compile_formula("DISTANCE(纬度,经度,成交位置)<=100", CATALOGUE, result_types=("bool",))
    assert radius.evaluate(lead | {"成交位置": [suzhou]}) is True
    assert radius.evaluate(lead | {"成交位置": [beijing]}) is False
    assert radius.evaluate(lead | {"成交位置": None}) is NA
    assert compile_formula("IF(DISTANCE(纬度,经度,成交位置)<=100,1,2)", CATALOGUE).evaluate(lead) is NA
    out = radius.evaluate_vectorised(
        {"纬度": np.array([shanghai[0]]), "经度": np.array([shanghai[1]])},
        {"成交位置": np.array([[suzhou], [beijing], [], None], dtype=object)},
    )
    assert out.tolist() == [[True, False, False, False]]


# ------------------------------------------------------------ vectorised == per pair

GENERATED = [
    "DISTANCE(纬度,经度,销售员纬度,销售员经度)",
    "IF(DISTANCE(纬度,经度,成交位置)<=3000,100-DISTANCE(纬度,经度,成交位置)/100,n1)",
    "DISTANCE(销售员纬度,销售员经度,lead_points)",  # points on the lead side
    "OR(DISTANCE(纬度,经度,成交位置)<=2000,n1>n2)",  # #N/A in a logical formula: FALSE when vectorised
    "DISTANCE(纬度,销售员经度,成交位置)+DISTANCE(纬度,经度,lead_points)",  # coordinates from both sides
]


def coordinates(rng, lead, rep, n_leads, n_reps):
    # latitudes within range, blanks included
    lead["纬度"] = [rng.choice([None, rng.uniform(-90, 90)]) for _ in range(n_leads)]
    rep["销售员纬度"] = [rng.choice([None, rng.uniform(-90, 90)]) for _ in range(n_reps)]
    lead["经度"] = [rng.choice([None, rng.uniform(100, 125)]) for _ in range(n_leads)]


@pytest.mark.parametrize("text", GENERATED)
def test_vectorised_matches_per_pair(text):
    assert_vectorised_matches_per_pair(compile_formula(text, CATALOGUE, result_types=ANY), CATALOGUE, coordinates)


def test_distance_is_checked():
    with pytest.raises(FormulaError) as caught:
        compile_formula("DISTANCE(纬度,经度,行政区划)", CATALOGUE)
    assert (caught.value.column, caught.value.reason) == (16, "DISTANCE expects points, got text")
    with pytest.raises(FormulaError) as caught:
        compile_formula("DISTANCE(纬度,经度,成交位置,1)", CATALOGUE)
    assert caught.value.reason == "DISTANCE expects number, got points"
