"""China's seven geographic regions (七大地理区, 大区), by province: approval's
policies read 大区 as a fact, finance groups aging, reports and plan
templates by it. One table, so the two never disagree on a province."""

from __future__ import annotations

# By the province's short name.
MACRO_REGIONS: dict[str, tuple[str, ...]] = {
    "华东": ("上海", "江苏", "浙江", "安徽", "福建", "江西", "山东", "台湾"),
    "华南": ("广东", "广西", "海南", "香港", "澳门"),
    "华北": ("北京", "天津", "河北", "山西", "内蒙古"),
    "华中": ("河南", "湖北", "湖南"),
    "西南": ("重庆", "四川", "贵州", "云南", "西藏"),
    "西北": ("陕西", "甘肃", "青海", "宁夏", "新疆"),
    "东北": ("辽宁", "吉林", "黑龙江"),
}
_REGION_OF = {short: region for region, shorts in MACRO_REGIONS.items() for short in shorts}


def macro_region(province: str) -> str:
    """浙江省 / 浙江 -> 华东; "" when the province is not known."""
    name = province.strip()
    return _REGION_OF.get(name[:3]) or _REGION_OF.get(name[:2], "")
