"""Time source. Services read the time only through a Clock so timers and
deadlines can be tested with a controllable one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that moves only when told to (unit tests, controllable runs)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class OffsetFileClock:
    """System time plus an offset in seconds read from a file, re-read when
    the file changes. Lets end-to-end tests and demos move time forward for
    every process at once (`CLOCK_OFFSET_FILE`); never set in production."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._stamp: float | None = None
        self._offset = 0.0

    def now(self) -> datetime:
        import os

        try:
            stamp = os.stat(self.path).st_mtime_ns
            if stamp != self._stamp:
                with open(self.path, encoding="utf-8") as handle:
                    text = handle.read().strip()
                self._offset = float(text) if text else 0.0
                self._stamp = stamp
        except FileNotFoundError:
            self._offset, self._stamp = 0.0, None
        return datetime.now(UTC) + timedelta(seconds=self._offset)


def clock_from(offset_file: str) -> Clock:
    """The clock a process runs on: the system's, or one shifted by a file."""
    return OffsetFileClock(offset_file) if offset_file else SystemClock()


def iso_z(t: datetime) -> str:
    """An instant as ISO 8601 in UTC with "Z" (2026-03-01T08:00:00Z), the form
    events and the REST API carry. A naive time is taken as UTC, as stored."""
    return as_utc(t).isoformat().replace("+00:00", "Z")
