"""The bottleneck report's arithmetic: decided tasks grouped per policy,
stage, step, department and approver, with count, median and p90 dwell
(working and wall-clock), each group's share of the dimension's total
working-time delay, overdue count and escalations.

Percentiles interpolate linearly between the closest ranks (numpy's default,
statistics.quantiles(method="inclusive")); the median is the 50th."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

DIMENSIONS = ("policy", "stage", "step", "department", "approver")
# Tasks that waited and were answered or handed on (skipped and cancelled ones never held anyone up).
COUNTED = ("approved", "rejected", "transferred")


def escalation(status: str, escalated: bool) -> bool:
    """The task handed up when its time ran out; those who took it from it carry
    the flag too (the inbox shows it), but were not the ones who let it sit."""
    return escalated and status == "transferred"


@dataclass(frozen=True)
class DecidedTask:
    """One decided task as the report reads it (`late`: decided overdue, as the engine recorded it)."""

    policy_id: str
    stage_id: str
    step_id: str
    step_name: str
    department_id: str
    approver: str
    dwell_seconds: int
    dwell_working_seconds: int
    status: str = "approved"
    escalated: bool = False
    late: bool = False


@dataclass(frozen=True)
class Row:
    dimension: str
    policy_id: str = ""
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


def percentile(ordered: Sequence[int] | np.ndarray, p: float) -> float:
    """The p-th percentile (0..100) of values (numpy's linear interpolation); 0 for none."""
    if len(ordered) == 0:
        return 0.0
    return float(np.percentile(ordered, p))


@dataclass
class Cell:
    """Decided tasks of one policy, stage, step, department, approver, status
    and escalated flag: the finest grain the database groups by (the facts the
    rules read, not the rules); every row of the report adds cells up."""

    policy_id: str
    stage_id: str
    step_id: str
    step_name: str
    department_id: str
    approver: str
    working: Sequence[int] | np.ndarray  # dwell in working seconds, one per task
    wall: Sequence[int] | np.ndarray
    late: int = 0  # of them decided overdue
    status: str = "approved"
    escalated: bool = False

    @property
    def escalations(self) -> int:
        return len(self.working) if escalation(self.status, self.escalated) else 0


def cells_of(tasks: Iterable[DecidedTask]) -> list[Cell]:
    cells: dict[tuple[object, ...], Cell] = {}
    for t in tasks:
        if t.status not in COUNTED:
            continue
        key = (t.policy_id, t.stage_id, t.step_id, t.department_id, t.approver, t.status, t.escalated)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Cell(t.policy_id, t.stage_id, t.step_id, t.step_name, t.department_id, t.approver,
                                     [], [], status=t.status, escalated=t.escalated)
        cell.working.append(t.dwell_working_seconds)  # type: ignore[union-attr]
        cell.wall.append(t.dwell_seconds)  # type: ignore[union-attr]
        cell.late += t.late
    return list(cells.values())


def _key(dimension: str, c: Cell) -> tuple[str, ...]:
    """What a row of the dimension is about (a department across policies; an approver across steps)."""
    match dimension:
        case "policy":
            return (c.policy_id,)
        case "stage":
            return (c.policy_id, c.stage_id)
        case "step":
            return (c.policy_id, c.stage_id, c.step_id)
        case "department":
            return (c.department_id,)
        case _:
            return (c.approver,)


def _values(group: list[Cell], attr: str) -> np.ndarray:
    return np.concatenate([np.asarray(getattr(c, attr), dtype=np.int64) for c in group])


def _row(dimension: str, key: tuple[str, ...], group: list[Cell], total_working: int) -> Row:
    working = _values(group, "working")
    wall = _values(group, "wall")
    names = ("policy_id", "stage_id", "step_id")[: len(key)] if dimension in ("policy", "stage", "step") else (
        ("department_id",) if dimension == "department" else ("approver",))
    fields = dict(zip(names, key, strict=True))
    if dimension == "step":
        fields["step_name"] = group[0].step_name
    total = int(working.sum())
    return Row(
        dimension=dimension,
        **fields,
        count=len(working),
        median_working_seconds=round(percentile(working, 50)),
        p90_working_seconds=round(percentile(working, 90)),
        median_seconds=round(percentile(wall, 50)),
        p90_seconds=round(percentile(wall, 90)),
        total_working_seconds=total,
        share_of_delay_percent=round(100 * total / total_working, 2) if total_working else 0.0,
        overdue=sum(c.late for c in group),
        escalations=sum(c.escalations for c in group),
    )


def bottlenecks(tasks: Iterable[DecidedTask], dimensions: Sequence[str] = DIMENSIONS) -> Report:
    return report_of(cells_of(tasks), dimensions)


def report_of(cells: Sequence[Cell], dimensions: Sequence[str] = DIMENSIONS) -> Report:
    """Rows per dimension, the largest share of delay first. Tasks outside any
    department count in the department dimension under department "" (so its
    shares add up to 100 like the others')."""
    total_working = int(sum(int(np.sum(c.working)) for c in cells))
    rows: list[Row] = []
    for dimension in dimensions:
        groups: dict[tuple[str, ...], list[Cell]] = {}
        for c in cells:
            groups.setdefault(_key(dimension, c), []).append(c)
        made = [_row(dimension, key, group, total_working) for key, group in groups.items()]
        made.sort(key=lambda r: (-r.total_working_seconds, -r.count, r.policy_id, r.stage_id, r.step_id,
                                 r.department_id, r.approver))
        rows += made
    tasks = sum(len(c.working) for c in cells)
    return Report(tuple(rows), tasks, total_working, int(sum(int(np.sum(c.wall)) for c in cells)))
