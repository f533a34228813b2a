"""The field catalogue: the names scoring formulas and route conditions may use.

Lead fields are attributes of the lead, rep fields attributes of the rep
profile; a formula may mix both (it is evaluated per lead x rep pair), a route
condition reads lead fields only. Tenants add their own lead fields
(`catalogue(custom)`); they cannot shadow a standard name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from crm_shared.domain.errors import FieldViolation, InvalidArgument
from lead_routing.domain.formula import FieldSpec, FieldType

__all__ = ["LEAD_FIELDS", "REP_FIELDS", "STANDARD", "catalogue", "lead_only"]

_FIELD_TYPES = ("number", "text", "tags", "points")
_NAME = re.compile(r"[^\W\d][\w.]*")  # the formula grammar's NAME token

LEAD_FIELDS: dict[str, FieldType] = {
    "公司名称": "text",
    "来源": "text",  # 展会扫码, 百度爱采购, 抖音本地推, 官网表单, 伙伴报备, 导入, 手工录入
    "省份": "text",
    "城市": "text",
    "区县": "text",
    "行政区划": "text",  # the finest division known: district, else city
    "地址": "text",
    "行业标签": "tags",
    "预算": "number",  # 元 (budget 分 / 100)
    "年营业额": "number",  # 元
    "近6月采购金额": "number",  # 元
    "近3月订单数": "number",
    "纬度": "number",
    "经度": "number",
    "内容偏好": "text",
    "预算归属": "text",
}

REP_FIELDS: dict[str, FieldType] = {
    "销售员": "text",  # rep id
    "销售员所在地": "text",  # a district or city name, compared with 行政区划
    "团队": "text",
    "籍贯": "text",  # a city or district name
    "语言": "tags",
    "擅长行业": "tags",
    "职级": "text",  # junior / senior / key_account
    "容量": "number",  # max open leads
    "在手线索数": "number",
    "历史转化率": "number",  # 0..1, overall
    "近3月成交客户位置": "points",  # (lat, lng) of customers won in the last 3 months
}

STANDARD: dict[str, FieldSpec] = {
    **{name: FieldSpec(t, "lead") for name, t in LEAD_FIELDS.items()},
    **{name: FieldSpec(t, "rep") for name, t in REP_FIELDS.items()},
}


def catalogue(custom: Mapping[str, FieldType] | None = None) -> dict[str, FieldSpec]:
    """STANDARD plus a tenant's custom lead fields; raises InvalidArgument on a
    clash with a standard name or an unknown type."""
    out = dict(STANDARD)
    for name, kind in (custom or {}).items():
        if name in STANDARD:
            raise InvalidArgument(
                f"custom field {name!r} clashes with a standard field",
                [FieldViolation("custom_fields", f"{name!r} is a standard field name")],
            )
        if not _NAME.fullmatch(name) or name.upper() in ("TRUE", "FALSE"):
            raise InvalidArgument(
                f"custom field {name!r} is not a usable formula name",
                [FieldViolation("custom_fields", f"{name!r}: a name is a letter, then letters, digits, _ or .")],
            )
        if kind not in _FIELD_TYPES:
            raise InvalidArgument(
                f"custom field {name!r} has unknown type {kind!r}",
                [FieldViolation("custom_fields", f"{name!r}: type must be one of {', '.join(_FIELD_TYPES)}")],
            )
        out[name] = FieldSpec(kind, "lead")
    return out


def lead_only(fields: Mapping[str, FieldSpec]) -> dict[str, FieldSpec]:
    """The lead part of a catalogue: what a route condition may read."""
    return {name: spec for name, spec in fields.items() if spec.owner == "lead"}
