"""Lead fields: addresses resolved to 省/市/区, sources, money, coordinates,
tags and a tenant's own fields."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from crm_shared.domain.errors import InvalidArgument, Validator
from lead_routing.domain.address import Place, known_division, resolve, resolve_many
from lead_routing.domain.catalogue import STANDARD
from lead_routing.domain.duplicates import merge
from lead_routing.domain.fields import check_custom_values, check_field_definition
from lead_routing.domain.imports import COLUMNS
from lead_routing.domain.lead import LeadData, new_lead

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def make(**fields) -> object:
    data = LeadData(
        **({"company_name": "绍兴柯桥恒盛纺织有限公司", "phone": "13805751234", "source": "展会扫码"} | fields)
    )
    return new_lead(lead_id="l", tenant_id="t", owner_id=None, created_by="u", now=NOW, data=data)


def fields_of(exc: pytest.ExceptionInfo[InvalidArgument]) -> set[str]:
    return {v.field for v in exc.value.violations}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("浙江省绍兴市柯桥区华舍街道蜀阜村", ("浙江省", "绍兴市", "柯桥区", "330603")),
        ("宁波市北仑区新碶街道明州路", ("浙江省", "宁波市", "北仑区", "330206")),
        ("佛山市顺德区北滘镇", ("广东省", "佛山市", "顺德区", "440606")),
        ("绍兴柯桥钱清镇", ("浙江省", "绍兴市", "柯桥区", "330603")),
        ("宁波北仑大碶", ("浙江省", "宁波市", "北仑区", "330206")),
        ("柯桥区", ("浙江省", "绍兴市", "柯桥区", "330603")),
        ("北仑", ("浙江省", "宁波市", "北仑区", "330206")),
        ("上海市浦东新区张江路", ("上海市", "上海市", "浦东新区", "310115")),
        ("湖北宜昌", ("湖北省", "宜昌市", "", "420500")),
        ("江苏常州武进区", ("江苏省", "常州市", "武进区", "320412")),
    ],
)
def test_addresses_resolve_to_province_city_district(text: str, expected: tuple[str, str, str, str]) -> None:
    place = resolve(text)
    assert (place.province, place.city, place.district, place.adcode) == expected
    assert place.division == (expected[2] or expected[1])


def test_a_district_name_shared_by_several_cities_is_not_guessed() -> None:
    assert resolve("朝阳区") == Place(district="朝阳区")
    assert resolve("北京朝阳区").city == "北京市"
    assert resolve_many(["", "随便写的"]) == [Place(), Place()]


def test_division_names_are_spelled_as_the_table_does() -> None:
    assert (known_division("柯桥"), known_division("柯桥区"), known_division("宁波")) == ("柯桥区", "柯桥区", "宁波市")
    assert known_division("不存在的地方") is None


def test_a_lead_gets_its_resolved_address_and_every_new_field() -> None:
    lead = make(
        address="浙江省绍兴市柯桥区华舍街道",
        latitude=30.08,
        longitude=120.49,
        industry_tags=("纺织机械", "注塑机", "纺织机械"),
        annual_revenue_minor=12_000_000_000,
        purchases_6m_minor=6_000_000,
        orders_3m=4,
        budget_attribution="市场部",
        content_preference="技术白皮书",
        source="网站表单",
    )
    assert (lead.province, lead.city, lead.district, lead.division) == ("浙江省", "绍兴市", "柯桥区", "柯桥区")
    assert lead.industry_tags == ("纺织机械", "注塑机")
    assert lead.source == "官网表单"  # the old name of the channel
    assert (lead.latitude, lead.orders_3m, lead.purchases_6m_minor) == (30.08, 4, 6_000_000)


def test_explicit_parts_are_kept_when_the_table_does_not_know_them() -> None:
    lead = make(province="某省", city="某市")
    assert (lead.province, lead.city, lead.district) == ("某省", "某市", "")


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InvalidArgument) as exc:
        make(
            source="朋友介绍",
            latitude=91.0,
            longitude=None,
            industry_tags=("x" * 31,),
            budget_minor=-1,
            annual_revenue_minor=5,
            annual_revenue_currency="USD",
            orders_3m=-2,
            purchases_6m_minor=-5,
        )
    assert fields_of(exc) == {
        "source",
        "latitude",
        "longitude",
        "industry_tags",
        "budget.amount_minor",
        "annual_revenue.currency",
        "orders_3m",
        "purchases_6m.amount_minor",
    }
    assert "展会扫码" in next(v.description for v in exc.value.violations if v.field == "source")


def test_custom_values_are_checked_against_the_tenant_definitions() -> None:
    types = {"开模数量": "number", "认证": "tags", "主营产品": "text"}
    v = Validator()
    out = check_custom_values(
        {"开模数量": "12", "认证": "ISO9001、CE", "主营产品": 3.5, "空": None}, types | {"空": "text"}, v
    )
    assert v.violations == []
    assert out == {"开模数量": 12, "认证": ["ISO9001", "CE"], "主营产品": "3.5"}

    v = Validator()
    check_custom_values({"开模数量": "很多", "认证": [1], "主营产品": {"a": 1}, "颜色": "红"}, types, v)
    assert {x.field for x in v.violations} == {
        "custom_fields.开模数量",
        "custom_fields.认证",
        "custom_fields.主营产品",
        "custom_fields.颜色",
    }
    lead = new_lead(
        lead_id="l",
        tenant_id="t",
        owner_id=None,
        created_by="u",
        now=NOW,
        custom_types=types,
        data=LeadData(company_name="甲", phone="13805751234", source="导入", custom_fields={"开模数量": 3.0}),
    )
    assert lead.custom_fields == {"开模数量": 3}


def test_custom_field_names_cannot_shadow_standard_fields_or_import_columns() -> None:
    reserved = frozenset(COLUMNS)
    assert check_field_definition(" 开模数量 ", "number", STANDARD, reserved) == "开模数量"
    for name in ("近6月采购金额", "销售员所在地", "电话", "1号", "a b", ""):
        with pytest.raises(InvalidArgument) as exc:
            check_field_definition(name, "number", STANDARD, reserved)
        assert fields_of(exc) == {"field.name"}
    with pytest.raises(InvalidArgument) as exc:
        check_field_definition("开模数量", "date", STANDARD, reserved)
    assert fields_of(exc) == {"field.type"}


def test_merge_fills_the_new_fields_without_overwriting() -> None:
    old = make(industry_tags=("纺织机械",), orders_3m=2, custom_fields={})
    new = make(
        address="绍兴市柯桥区",
        industry_tags=("注塑机",),
        orders_3m=9,
        purchases_6m_minor=100,
        latitude=30.0,
        longitude=120.0,
    )
    merged = merge(old, new, NOW)
    assert merged.industry_tags == ("纺织机械", "注塑机")
    assert (merged.orders_3m, merged.purchases_6m_minor) == (2, 100)
    assert (merged.city, merged.district, merged.adcode, merged.latitude) == ("绍兴市", "柯桥区", "330603", 30.0)
