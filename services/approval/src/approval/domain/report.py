"""The bottleneck report's arithmetic: decided tasks grouped per policy,
stage, step, department and approver, with count, median and p90 dwell
(working and wall-clock), each group's share of the dimension's total
working-time delay, overdue count and escalations.

Percentiles interpolate linearly between the closest ranks (numpy's default,
statistics.quantiles(method="inclusive")); the median is the 50th."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DIMENSIONS = ("policy", "stage", "step", "department", "approver")


@dataclass(frozen=True)
class DecidedTask:
    """One decided task as the report reads it."""

    policy_id: str
    stage_id: str
    step_id: str
    step_name: str
    department_id: str
    approver: str
    dwell_seconds: int
    dwell_working_seconds: int
    overdue: bool
    escalated: bool


@dataclass(frozen=True)
class Row:
    dimension: str
    policy_id: str
    stage_id: str = ""
    step_id: str = ""
    step_name: str = ""
    department_id: str = ""
    approver: str = ""
    count: int = 0
    median_working_seconds: int = 0
    p90_working_seconds: int = 0
    median_seconds: int = 0
    p90_seconds: int = 0
    total_working_seconds: int = 0
    share_of_delay_percent: float = 0.0
    overdue: int = 0
    escalations: int = 0


@dataclass(frozen=True)
class Report:
    rows: tuple[Row, ...]
    tasks: int
    total_working_seconds: int
    total_seconds: int


def percentile(ordered: Sequence[int], p: float) -> float:
    """The p-th percentile (0..100) of values sorted ascending; 0 for none."""
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _key(dimension: str, t: DecidedTask) -> tuple[str, ...]:
    """What a row of the dimension is about (a department across policies; an approver across steps)."""
    match dimension:
        case "policy":
            return (t.policy_id,)
        case "stage":
            return (t.policy_id, t.stage_id)
        case "step":
            return (t.policy_id, t.stage_id, t.step_id)
        case "department":
            return (t.department_id,)
        case _:
            return (t.approver,)


def _row(dimension: str, key: tuple[str, ...], group: list[DecidedTask], total_working: int) -> Row:
    working = sorted(t.dwell_working_seconds for t in group)
    wall = sorted(t.dwell_seconds for t in group)
    first = group[0]
    fields: dict[str, str] = {}
    if dimension in ("policy", "stage", "step"):
        fields["policy_id"] = key[0]
    if dimension in ("stage", "step"):
        fields["stage_id"] = key[1]
    if dimension == "step":
        fields["step_id"] = key[2]
        fields["step_name"] = first.step_name
    if dimension == "department":
        fields["department_id"] = key[0]
    if dimension == "approver":
        fields["approver"] = key[0]
    total = sum(working)
    return Row(
        dimension=dimension,
        policy_id=fields.get("policy_id", ""),
        stage_id=fields.get("stage_id", ""),
        step_id=fields.get("step_id", ""),
        step_name=fields.get("step_name", ""),
        department_id=fields.get("department_id", ""),
        approver=fields.get("approver", ""),
        count=len(group),
        median_working_seconds=round(percentile(working, 50)),
        p90_working_seconds=round(percentile(working, 90)),
        median_seconds=round(percentile(wall, 50)),
        p90_seconds=round(percentile(wall, 90)),
        total_working_seconds=total,
        share_of_delay_percent=round(100 * total / total_working, 2) if total_working else 0.0,
        overdue=sum(t.overdue for t in group),
        escalations=sum(t.escalated for t in group),
    )


def bottlenecks(tasks: Iterable[DecidedTask], dimensions: Sequence[str] = DIMENSIONS) -> Report:
    """Rows per dimension, the largest share of delay first. Tasks outside any
    department count in the department dimension under department "" (so its
    shares add up to 100 like the others')."""
    tasks = list(tasks)
    total_working = sum(t.dwell_working_seconds for t in tasks)
    rows: list[Row] = []
    for dimension in dimensions:
        groups: dict[tuple[str, ...], list[DecidedTask]] = {}
        for t in tasks:
            groups.setdefault(_key(dimension, t), []).append(t)
        made = [_row(dimension, key, group, total_working) for key, group in groups.items()]
        made.sort(key=lambda r: (-r.total_working_seconds, -r.count, r.policy_id, r.stage_id, r.step_id,
                                 r.department_id, r.approver))
        rows += made
    return Report(tuple(rows), len(tasks), total_working, sum(t.dwell_seconds for t in tasks))
