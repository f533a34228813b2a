"""Lead routing's dialect of the formula language (crm_shared.formula).

Scoring formulas and route conditions are written in the shared language over
lead-routing's field catalogue (domain/catalogue.py); a formula may mix lead
and rep fields and is then evaluated per (lead, rep) pair, leads down, reps
across. This module adds what only routing needs, through the language's
extension point: the "points" field type (a list of (lat, lon), e.g. the
places of the customers a rep won) and DISTANCE.

- DISTANCE(lat1, lon1, lat2, lon2) is the haversine distance in km on a sphere
  of radius 6371 km; blank coordinates count as 0 like any blank number.
- DISTANCE(lat, lon, points) is the distance to the nearest of a "points"
  field's (lat, lon) pairs. With no points it is the error value #N/A (as
  Excel's lookups give when nothing is found) rather than blank: a blank would
  compare as 0, so `DISTANCE(...)<=50` would hold for a rep with no points.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
from crm_shared import formula as shared
from crm_shared.formula import NA, Call, Column, CompiledFormula, FieldKind, FieldSpec, Function, Vocabulary, expect

__all__ = ["DISTANCE", "LANGUAGE", "POINTS", "SIDES", "FieldType", "Owner", "compile_formula"]

FieldType = Literal["number", "text", "tags", "points"]  # points: a list of (lat, lon)
Owner = Literal["lead", "rep"]
SIDES: tuple[Owner, Owner] = ("lead", "rep")  # leads down, reps across

_EARTH_KM = 6371.0


def _unit(lat, lon):
    """A location as a unit vector, computed once per lead, rep or point so
    the per-pair part is three products and two sums."""
    phi, lam = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    return np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)


def _far(p, q):
    # -cos(central angle): grows with the distance, so the nearest point is the minimum
    return -(p[0] * q[0] + p[1] * q[1] + p[2] * q[2])


def _km(far):
    # haversine: hav(angle) = (1 - cos(angle)) / 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip((1 + far) / 2, 0.0, 1.0)))


def _haversine(lat1, lon1, lat2, lon2):
    # One kernel for both evaluators so they agree to the last bit.
    return _km(_far(_unit(lat1, lon1), _unit(lat2, lon2)))


def _points(value) -> tuple[np.ndarray, np.ndarray]:
    """A points field's value as (lat, lon) float arrays; pairs with a blank
    (or infinite) coordinate are not locations and are dropped."""
    if value is None or len(value) == 0:
        return np.empty(0), np.empty(0)
    arr = np.array(np.where(np.equal(value, None), np.nan, value), dtype=float).reshape(-1, 2)
    arr = arr[np.isfinite(arr).all(axis=1)]
    return arr[:, 0], arr[:, 1]


def _nearest(lat, lon, value):
    """Per pair: km to the nearest point of `value`, or #N/A when it has none."""
    plat, plon = _points(value)
    if plat.size == 0:
        return NA
    # the minimum is taken before the (monotone) km conversion, as the vectorised evaluator does
    return float(_km(_far(_unit(lat, lon), _unit(plat, plon)).min()))


def _nearest_vectorised(lat: np.ndarray, lon: np.ndarray, column: Column) -> tuple[np.ndarray, np.ndarray]:
    """DISTANCE(lat, lon, points) over broadcast arrays: (km, #N/A mask)."""
    points = column.data
    shape = np.broadcast_shapes(np.shape(lat), np.shape(lon), np.shape(points))
    pshape = np.shape(points)
    axis = next((i for i, n in enumerate(pshape) if n > 1), None)
    coords_vary = np.broadcast_shapes(np.shape(lat), np.shape(lon))
    if axis is None or len(shape) != 2 or (len(coords_vary) == 2 and coords_vary[axis] > 1):
        # general case (points and coordinates vary along the same axis): pair by pair
        lat, lon, points = np.broadcast_arrays(lat, lon, points)
        flat = [_nearest(a, b, p) for a, b, p in zip(lat.ravel(), lon.ravel(), points.ravel())]
        na = np.array([v is NA for v in flat], dtype=bool).reshape(shape)
        return np.array([0.0 if v is NA else v for v in flat], dtype=float).reshape(shape), na
    # points vary along `axis`, coordinates along the other: every coordinate
    # against every point, then the minimum per points value.
    if "flat" not in column.memo:  # the rep side is the same column for every chunk of leads
        plats, plons = zip(*(_points(p) for p in np.ravel(points))) if np.size(points) else ((), ())
        counts = np.array([len(p) for p in plats], dtype=np.int64)
        flat = _unit(np.concatenate(plats)[None, :], np.concatenate(plons)[None, :]) if counts.sum() else None
        column.memo["flat"] = counts, flat
    counts, flat = column.memo["flat"]
    other = 1 - axis
    m = shape[other]
    lat_v = np.broadcast_to(lat, shape).take(0, axis=axis).reshape(m, 1) if m else np.empty((0, 1))
    lon_v = np.broadcast_to(lon, shape).take(0, axis=axis).reshape(m, 1) if m else np.empty((0, 1))
    km = np.zeros((m, len(counts)))
    has = counts > 0
    if has.any():
        far = _far(_unit(lat_v, lon_v), flat)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[has]
        km[:, has] = _km(np.minimum.reduceat(far, starts, axis=1))
    na = np.broadcast_to(~has, km.shape)
    if axis == 0:
        km, na = km.T, na.T
    return km, na


def _check_distance(node: Call) -> str:
    for a in node.args[:2]:
        expect(a, ("number",), node.name)
    for a in node.args[2:]:
        expect(a, ("points",) if len(node.args) == 3 else ("number",), node.name)
    return "number"


def _distance(args: list):
    if len(args) == 3:
        return _nearest(0.0 if args[0] is None else args[0], 0.0 if args[1] is None else args[1], args[2])
    return float(_haversine(*(0.0 if a is None else a for a in args)))


def _distance_vectorised(args: list[Column], vocab: Vocabulary) -> Column:
    if len(args) == 3:
        km, na = _nearest_vectorised(args[0].data, args[1].data, args[2])
        return Column(km, None, na)
    return Column(_haversine(*(a.data for a in args)))


DISTANCE = Function("DISTANCE", 3, 4, _check_distance, _distance, _distance_vectorised)
# The save check's places: blank, the origin, both far corners, a pair with blank coordinates, one more place.
POINTS = FieldKind("points", (None, [(0.0, 0.0)], [(90.0, 180.0), (-90.0, -180.0)], [(None, None)], [(45.0, 90.0)]))
LANGUAGE = shared.LANGUAGE.extend([DISTANCE], [POINTS])


def compile_formula(
    text: str, catalogue: Mapping[str, FieldSpec], result_types: tuple[str, ...] = ("number",)
) -> CompiledFormula:
    """A scoring formula (or, with result_types=("bool",), a condition) in
    routing's dialect; raises FormulaError (an InvalidArgument)."""
    return shared.compile_formula(text, catalogue, result_types, language=LANGUAGE, sides=SIDES)
