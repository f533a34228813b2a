"""Chinese addresses to province / city / district with `cpca` (its
administrative-division table and matcher), plus the fixes its results need:
municipalities get themselves as the city instead of "市辖区", a district
written without its suffix after its city ("绍兴柯桥", "宁波北仑") is found,
and a district name alone that exists in several cities ("朝阳区") is not
guessed into one of them."""

from __future__ import annotations

import csv
import importlib.resources
import sys
import types
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Place:
    province: str = ""
    city: str = ""
    district: str = ""
    adcode: str = ""  # 6 digits, the finest division known; "" when none

    @property
    def division(self) -> str:
        """行政区划: the finest division known, district else city."""
        return self.district or self.city


_MUNICIPAL = ("市辖区", "县")
_MUNICIPALITIES = ("11", "12", "31", "50")  # 行政区划 codes of 北京, 天津, 上海, 重庆
_SUFFIXES = ("自治县", "自治旗", "林区", "新区", "区", "县", "市", "旗")


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@cache
def _cpca() -> Any:
    """cpca reads its table through pkg_resources, which current setuptools
    no longer ships: lend it a stand-in for the import only."""
    lent = "pkg_resources" not in sys.modules
    if lent:
        try:
            import pkg_resources  # noqa: F401
            lent = False
        except ImportError:
            shim = types.ModuleType("pkg_resources")
            shim.resource_stream = lambda package, name: importlib.resources.files(package).joinpath(name).open("rb")  # type: ignore[attr-defined]
            sys.modules["pkg_resources"] = shim
    try:
        import cpca
    finally:
        if lent:
            sys.modules.pop("pkg_resources", None)
    return cpca


@cache
def _table() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]], dict[str, list[str]]]:
    """adcode (6 digits) -> name; city adcode -> [(district short name, adcode)];
    district/city name -> adcodes carrying it."""
    names: dict[str, str] = {}
    by_city: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_name: dict[str, list[str]] = defaultdict(list)
    for code12, info in _cpca().ad_2_addr_dict.items():
        code = code12[:6]
        names[code] = info.name
        by_name[info.name].append(code)
        if not code.endswith("00"):
            by_city[code[:4] + "00"].append((_short(info.name), code))
    return names, by_city, by_name


def _blank(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _place_from_code(code: str) -> Place:
    names, _, _ = _table()
    province = names.get(code[:2] + "0000", "")
    city = "" if code.endswith("0000") else names.get(code[:4] + "00", "")
    if city in _MUNICIPAL or (not city and not code.endswith("0000")):
        city = province
    district = "" if code.endswith("00") else names.get(code, "")
    return Place(province, city, district, code)


def _fix(text: str, row: dict[str, Any]) -> Place:
    code = _blank(row.get("adcode"))[:6]
    _, by_city, by_name = _table()
    if not code:
        # cpca needs the suffix without a city before it ("北仑" alone).
        for size in (4, 3, 2):
            name = known_division(text[:size])
            if name and len(by_name[name]) == 1:
                return _place_from_code(by_name[name][0])
        return Place()
    place = _place_from_code(code)
    if place.district and row.get("省_pos", -1) == -1 and row.get("市_pos", -1) == -1:
        if len(by_name.get(place.district, [])) > 1:
            return Place(district=place.district)  # which 朝阳区? the text does not say
    if not place.district and place.city:
        rest = _blank(row.get("地址"))
        for short, district_code in sorted(by_city.get(code[:4] + "00", []), key=lambda x: -len(x[0])):
            if rest.startswith(short):
                return _place_from_code(district_code)
    return place


def resolve_many(texts: Iterable[str]) -> list[Place]:
    """Each address text to its place; Place() when nothing is recognised."""
    texts = [t.strip() for t in texts]
    if not texts:
        return []
    frame = _cpca().transform(texts, pos_sensitive=True)
    return [_fix(text, row) if text else Place() for text, row in zip(texts, frame.to_dict("records"), strict=True)]


def resolve(text: str) -> Place:
    return resolve_many([text])[0]


def known_division(name: str) -> str | None:
    """A city or district name as the table spells it ("柯桥" -> "柯桥区"),
    None when it names no division."""
    name = name.strip()
    _, by_city, by_name = _table()
    if name in by_name:
        return name
    spelled = {full for full in by_name if _short(full) == name and full != name}
    return spelled.pop() if len(spelled) == 1 else None


def province_of(division: str) -> str:
    """The province of a city or district name as the table spells it
    ("宁波市" -> "浙江省"); "" when the name is no division or lies in several
    provinces. A province (or municipality) is its own."""
    _, _, by_name = _table()
    provinces = {_place_from_code(code).province for code in by_name.get(division.strip(), ())}
    return provinces.pop() if len(provinces) == 1 else ""


@cache
def _place_prefixes() -> tuple[frozenset[str], tuple[int, ...]]:
    """Division names and their short forms, and their lengths longest first."""
    _, _, by_name = _table()
    full = [n for n in by_name if n not in _MUNICIPAL]
    names = {x for n in full for x in (n, _short(n), n.removesuffix("省"))}
    names = frozenset(n for n in names if len(n) >= 2)
    return names, tuple(sorted({len(n) for n in names}, reverse=True))


def strip_place_prefix(name: str) -> str:
    """A company name without the places it starts with
    ("绍兴柯桥恒盛纺织" -> "恒盛纺织")."""
    names, lengths = _place_prefixes()
    stripped = True
    while stripped:
        stripped = False
        for size in lengths:
            if len(name) > size and name[:size] in names:
                name = name[size:]
                stripped = True
                break
    return name


@cache
def _centroids() -> dict[str, tuple[float, float]]:
    """adcode (6 digits) -> (latitude, longitude) of the division's centre,
    from the coordinates cpca ships with its division table."""
    _cpca()  # imported first: the resources package belongs to it
    out: dict[str, tuple[float, float]] = {}
    with importlib.resources.files("cpca.resources").joinpath("adcodes.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            try:
                lat, lng = float(row["latitude"]), float(row["longitude"])
            except (TypeError, ValueError):
                continue
            if -90 <= lat <= 90 and -180 <= lng <= 180:
                out[row["adcode"][:6]] = (lat, lng)
    return out


def centroid(adcode: str) -> tuple[float, float, str] | None:
    """Approximate coordinates of a place known by its 行政区划 code: the
    district's centre, else its city's (a municipality's: the municipality's),
    as (latitude, longitude, "district" | "city"); None when neither is known."""
    code = adcode[:6]
    if len(code) != 6 or not code.isdigit():
        return None
    table = _centroids()
    if not code.endswith("00") and code in table:
        return (*table[code], "district")
    city = code[:4] + "00"
    if not city.endswith("0000") and city in table:
        return (*table[city], "city")
    if code[:2] in _MUNICIPALITIES and code[:2] + "0000" in table:  # 北京, 天津, 上海, 重庆: their own city
        return (*table[code[:2] + "0000"], "city")
    return None  # a province alone is too coarse to stand for a place
