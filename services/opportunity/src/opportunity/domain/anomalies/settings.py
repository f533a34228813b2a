"""The tenant's anomaly thresholds: their defaults, bounds and the check of a
client's JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from crm_shared.domain.errors import FieldViolation, InvalidArgument


@dataclass(frozen=True)
class AnomalySettings:
    """The tenant's thresholds (tenant data; these are the defaults)."""

    month_end_days: int = 3
    month_end_k: float = 3.0
    month_end_min_share: float = 0.3
    month_end_min_count: int = 10
    history_months: int = 6
    min_history_months: int = 3
    backdate_hours: int = 48
    backdate_min_count: int = 3
    stuck_p90_min_sample: int = 5
    evidence_min_failures: int = 3
    evidence_window_days: int = 30

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# (lowest, highest) each threshold may be set to.
BOUNDS: dict[str, tuple[float, float]] = {
    "month_end_days": (1, 10),
    "month_end_k": (0, 20),
    "month_end_min_share": (0, 1),
    "month_end_min_count": (1, 10_000),
    "history_months": (1, 24),
    "min_history_months": (1, 24),
    "backdate_hours": (1, 24 * 31),
    "backdate_min_count": (0, 10_000),
    "stuck_p90_min_sample": (2, 10_000),
    "evidence_min_failures": (1, 1_000),
    "evidence_window_days": (1, 365),
}


def parse_settings(data: Mapping[str, Any]) -> AnomalySettings:
    """Thresholds from a client's JSON: unknown names, wrong types and values
    out of bounds are refused naming the field; a missing one keeps its default."""
    known = {f.name: f for f in fields(AnomalySettings)}
    violations: list[FieldViolation] = []
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "version":
            continue
        if name not in known:
            violations.append(FieldViolation(name[:50], "is not a threshold"))
            continue
        is_int = known[name].type == "int"
        if isinstance(value, bool) or not isinstance(value, int | float) or (is_int and not float(value).is_integer()):
            violations.append(FieldViolation(name, "must be an integer" if is_int else "must be a number"))
            continue
        low, high = BOUNDS[name]
        if not low <= value <= high:
            violations.append(FieldViolation(name, f"must be between {low:g} and {high:g}"))
            continue
        values[name] = int(value) if is_int else float(value)
    if violations:
        raise InvalidArgument("invalid anomaly settings", violations)
    settings = replace(AnomalySettings(), **values)
    if settings.min_history_months > settings.history_months:
        raise InvalidArgument.field("min_history_months", "must not exceed history_months")
    return settings
