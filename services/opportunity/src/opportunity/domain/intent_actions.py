"""An explicit intent action recorded on a customer (as an activity), and the
high-intent conversion report (of the episodes entered, how many were won). Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_shared.domain.errors import InvalidArgument, Validator

MAX_ACTION = 50
MAX_NOTE = 2_000
DEMO_ACTIONS = ("预约技术演示", "技术演示")  # an explicit action of this name is an activity of kind "demo"


def activity_kind_of_action(action: str) -> str:
    return "demo" if action in DEMO_ACTIONS else "note"


def check_action(action: Any, note: Any) -> tuple[str, str]:
    v = Validator()
    if not isinstance(action, str) or not action.strip():
        v.add("action", "is required")
        action = ""
    elif len(action.strip()) > MAX_ACTION:
        v.add("action", f"is longer than {MAX_ACTION} characters")
    if note is None:
        note = ""
    if not isinstance(note, str):
        v.add("note", "must be text")
        note = ""
    elif len(note) > MAX_NOTE:
        v.add("note", f"is longer than {MAX_NOTE} characters")
    v.check()
    return action.strip(), note


@dataclass(frozen=True)
class ConversionRow:
    key: str
    entered: int
    won: int

    @property
    def rate(self) -> float:
        return round(self.won / self.entered, 4) if self.entered else 0.0


def conversion(episodes: Iterable[tuple[str, bool]]) -> tuple[list[ConversionRow], ConversionRow]:
    """Per key (a rep or a team): of the episodes entered, how many were won."""
    counts: dict[str, list[int]] = {}
    for key, won in episodes:
        c = counts.setdefault(key, [0, 0])
        c[0] += 1
        c[1] += 1 if won else 0
    rows = [ConversionRow(k, e, w) for k, (e, w) in sorted(counts.items())]
    return rows, ConversionRow("total", sum(r.entered for r in rows), sum(r.won for r in rows))


def check_period(start: datetime | None, end: datetime | None) -> None:
    if start and end and end <= start:
        raise InvalidArgument.field("to", "must be after from")
