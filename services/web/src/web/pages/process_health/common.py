"""What the process health pages share: the period asked for, names of reps, basis points as percent."""

from __future__ import annotations

import re
from typing import Any

MONTH = re.compile(r"^\d{4}-\d{2}$")
INDICATORS = ("key_actions", "freshness", "collaboration")


def period_of(value: str) -> str:
    """A YYYY-MM the gateway checks; anything else: the current month."""
    return value if MONTH.match(value) else ""


def names_of(reps: list[dict[str, Any]]) -> dict[str, str]:
    return {r.get("rep_id", ""): r.get("name") or r.get("rep_id", "") for r in reps}


def pct(bp: int | None) -> float | None:
    """Basis points as a percent with one decimal; None stays None (nothing to count)."""
    return None if bp is None else round(bp / 100, 1)


def ratio(bp: int | None) -> float | None:
    """Basis points as a ratio (协同响应比: 12000 → 1.2)."""
    return None if bp is None else round(bp / 10_000, 2)
