"""The field catalogue: the names scoring formulas and route conditions may use.

Lead fields are attributes of the lead, rep fields attributes of the rep
profile; a formula may mix both (it is evaluated per lead x rep pair), a route
condition reads lead fields only. Tenants add their own lead fields
(`catalogue(custom)`); they cannot shadow a standard name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from crm_shared import limits
from crm_shared.domain.errors import FieldViolation, InvalidArgument
from crm_shared.formula import FieldSpec

from lead_routing.domain.formula import FieldType

__all__ = [
    "CUSTOM_NUMBER_RANGE",
    "LEAD_FIELDS",
    "MAX_CUSTOM_FIELDS",
    "RANGES",
    "REP_FIELDS",
    "STANDARD",
    "catalogue",
    "lead_only",
    "ranges",
]

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

# What each number field can hold, as intake accepts it; a formula is checked
# over these ranges when it is saved (crm_shared.formula.check_finite). Amounts are in 元:
# no amount may exceed 10**15 分 (crm_shared.money), i.e. 10**13 元.
_MAX_YUAN = 1e13
RANGES: dict[str, tuple[float, float]] = {
    "预算": (0.0, _MAX_YUAN),
    "年营业额": (0.0, _MAX_YUAN),
    "近6月采购金额": (0.0, _MAX_YUAN),
    "近3月订单数": (0.0, 1e6),
    "纬度": (-90.0, 90.0),
    "经度": (-180.0, 180.0),
    "容量": (0.0, 1e4),
    "在手线索数": (0.0, 1e6),  # a manager may assign past capacity
    "历史转化率": (0.0, 1.0),
}
# A tenant's own lead fields: at most this many (each is a column of the import
# template, which holds at most imports.MAX_COLUMNS, and a name in every formula's catalogue).
MAX_CUSTOM_FIELDS = limits.MAX_CUSTOM_FIELDS
# A tenant's own number fields take any finite number; the check assumes this much.
CUSTOM_NUMBER_RANGE = (-1e15, 1e15)

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


def ranges(fields: Mapping[str, FieldSpec]) -> dict[str, tuple[float, float]]:
    """The range of every number field of a catalogue (RANGES, and
    CUSTOM_NUMBER_RANGE for a tenant's own)."""
    return {n: RANGES.get(n, CUSTOM_NUMBER_RANGE) for n, spec in fields.items() if spec.type == "number"}
