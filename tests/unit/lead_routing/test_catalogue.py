"""The field catalogue formulas and route conditions are checked against."""

from __future__ import annotations

import pytest
from crm_shared.domain.errors import InvalidArgument
from crm_shared.formula import FieldSpec, FormulaError
from lead_routing.domain.catalogue import STANDARD, catalogue, lead_only
from lead_routing.domain.formula import compile_formula

SEED = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"

CONDITIONS = [
    'AND(来源="百度爱采购",CONTAINS(行业标签,"注塑机"))',
    "DISTANCE(纬度,经度,近3月成交客户位置)<=50",
    'AND(来源="展会扫码",年营业额>=50000000)',
    '职级<>"junior"',
    'AND(区县="柯桥区",近3月订单数>=3)',
    "OR(籍贯=城市,籍贯=区县)",
]


def test_seed_formula_compiles_against_the_standard_catalogue():
    f = compile_formula(SEED, STANDARD)
    assert set(f.fields) == {"行政区划", "销售员所在地", "近6月采购金额"}
    assert f.evaluate({"行政区划": "柯桥区", "销售员所在地": "柯桥区", "近6月采购金额": 60000.0}) == 100


@pytest.mark.parametrize("text", CONDITIONS)
def test_seed_route_conditions_compile_as_logical_formulas(text):
    compile_formula(text, STANDARD, result_types=("bool",))


def test_route_condition_over_lead_fields_only_rejects_rep_fields():
    with pytest.raises(FormulaError) as caught:
        compile_formula('职级<>"junior"', lead_only(STANDARD), result_types=("bool",))
    assert "unknown field '职级'" in caught.value.reason


def test_a_condition_must_be_logical():
    with pytest.raises(FormulaError) as caught:
        compile_formula("近3月订单数+1", STANDARD, result_types=("bool",))
    assert "must be true or false" in caught.value.reason


def test_points_fields_only_feed_distance():
    with pytest.raises(FormulaError) as caught:
        compile_formula("近3月成交客户位置=1", STANDARD, result_types=("bool",))
    assert caught.value.column == 1 and "comparison = expects number or text or bool, got points" in caught.value.reason
    with pytest.raises(FormulaError) as caught:
        compile_formula("DISTANCE(纬度,经度,近3月订单数)", STANDARD)
    assert caught.value.column == 16 and "expects points, got number" in caught.value.reason
    with pytest.raises(FormulaError):
        compile_formula("DISTANCE(纬度,经度,近3月成交客户位置,1)", STANDARD)


def test_custom_fields_are_lead_fields():
    fields = catalogue({"设备台数": "number", "展会名称": "text"})
    assert fields["设备台数"] == FieldSpec("number", "lead") and fields["展会名称"] == FieldSpec("text", "lead")
    assert compile_formula("IF(设备台数>=10,90,40)", fields).evaluate({"设备台数": 12}) == 90
    assert "设备台数" not in STANDARD


@pytest.mark.parametrize(
    ("custom", "complaint"),
    [
        ({"来源": "text"}, "standard field"),
        ({"x": "date"}, "type must be one of"),
        ({"1号": "text"}, "name"),
        ({"TRUE": "number"}, "name"),
    ],
)
def test_bad_custom_fields_are_rejected(custom, complaint):
    with pytest.raises(InvalidArgument) as caught:
        catalogue(custom)
    [violation] = caught.value.violations
    assert violation.field == "custom_fields" and complaint in violation.description
