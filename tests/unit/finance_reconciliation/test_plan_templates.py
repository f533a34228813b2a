"""Plan templates (domain/plan_template.py): every problem named by its
field, shares adding up to exactly 100%, regions normalised, and the most
specific template chosen (province, then 大区, then the default)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from crm_shared.domain.errors import InvalidArgument
from finance_reconciliation.domain.contract import FinanceContract
from finance_reconciliation.domain.plan import build_plan
from finance_reconciliation.domain.plan_template import (
    PlanTemplate,
    TemplateTerm,
    choose,
    contract_terms,
    normalise_region,
    validated,
)

NOW = datetime(2026, 12, 2, tzinfo=UTC)
INSTALMENTS = (
    TemplateTerm("预付款", "advance", 7, 3000),
    TemplateTerm("到货款", "on_delivery", 30, 6000),
    TemplateTerm("质保金", "retention", 0, 1000),
)


def _template(region: str, name: str = "t") -> PlanTemplate:
    return PlanTemplate(f"id-{region}", "t1", region, name, INSTALMENTS, "fin", NOW)


def _fields(caught: pytest.ExceptionInfo[InvalidArgument]) -> list[str]:
    return [v.field for v in caught.value.violations]


def test_a_valid_template_is_normalised() -> None:
    assert validated(" 华东 ", " 华东分期 ", INSTALMENTS) == ("华东", "华东分期", INSTALMENTS)
    assert validated("浙江", "x", INSTALMENTS)[0] == "浙江省"
    assert validated("", "默认", (TemplateTerm(" 全款 ", "advance", 0, 10_000),)) == (
        "", "默认", (TemplateTerm("全款", "advance", 0, 10_000),))


def test_shares_must_add_up_to_exactly_100_percent() -> None:
    with pytest.raises(InvalidArgument) as caught:
        validated("华南", "预付", (TemplateTerm("预付款", "advance", 0, 5000), TemplateTerm("尾款", "advance", 30, 4999)))
    assert _fields(caught) == ["terms"] and "99.99%" in caught.value.message
    with pytest.raises(InvalidArgument):
        validated("华南", "预付", (TemplateTerm("预付款", "advance", 0, 10_000), TemplateTerm("尾款", "advance", 0, 1)))


def test_every_problem_is_named_by_its_field() -> None:
    with pytest.raises(InvalidArgument) as caught:
        validated("火星", "", (TemplateTerm("", "someday", -1, 0), TemplateTerm("b", "advance", 4000, 20_000)))
    assert _fields(caught) == [
        "region", "name", "terms[0].name", "terms[0].trigger", "terms[0].days", "terms[0].percent_bp",
        "terms[1].days", "terms[1].percent_bp",
    ]
    with pytest.raises(InvalidArgument) as caught:
        validated("", "x", ())
    assert _fields(caught) == ["terms"]
    with pytest.raises(InvalidArgument) as caught:
        validated("", "x", tuple(TemplateTerm(f"第{i}期", "advance", 0, 769) for i in range(13)))
    assert "terms" in _fields(caught)
    with pytest.raises(InvalidArgument) as caught:
        validated("", "x", (TemplateTerm("a", "advance", 0, 5000), TemplateTerm("a", "advance", 0, 5000)))
    assert _fields(caught) == ["terms"] and "name of its own" in caught.value.message
    with pytest.raises(InvalidArgument) as caught:
        validated("", "a\x00b", INSTALMENTS)
    assert _fields(caught) == ["name"]


def test_regions_are_normalised_once() -> None:
    assert [normalise_region(r) for r in ("浙江", "浙江省", "上海", "广西", "香港", "华东", "")] == [
        "浙江省", "浙江省", "上海市", "广西自治区", "香港特别行政区", "华东", ""]


def test_the_most_specific_template_wins() -> None:
    templates = [_template(""), _template("华东"), _template("浙江省"), _template("华南")]
    assert choose(templates, "浙江省", "华东").region == "浙江省"
    assert choose(templates, "浙江", "").region == "浙江省"  # short name, 大区 worked out
    assert choose(templates, "江苏省", "华东").region == "华东"
    assert choose(templates, "江苏省", "").region == "华东"
    assert choose(templates, "广东省", "华南").region == "华南"
    assert choose(templates, "四川省", "西南").region == ""
    assert choose(templates, "", "").region == ""
    assert choose([_template("华东")], "四川省", "西南") is None
    assert choose([], "浙江省", "华东") is None


def test_a_template_plans_a_contract_to_the_fen() -> None:
    contract = FinanceContract(
        tenant_id="t1", contract_id="c1", version_id="v1", signed_version_id="s1", label="V1.0",
        opportunity_id="o1", customer_id="cu1", total_minor=1_000_001, currency="CNY", equipment=(),
        terms=contract_terms(_template("华东")), signed_on=date(2026, 12, 1), warranty_months=12,
    )
    _, items = build_plan(contract, plan_id="p", instalment_ids=["a", "b", "c"], owner_id="rep", now=NOW)
    assert [(i.name, i.trigger, i.days, i.amount_minor) for i in items] == [
        ("预付款", "advance", 7, 300_000), ("到货款", "on_delivery", 30, 600_001), ("质保金", "retention", 0, 100_000)]
    assert sum(i.amount_minor for i in items) == contract.total_minor
