"""The statistics the rules compare against."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def median_mad(values: Sequence[float]) -> tuple[float, float]:
    """The median and the median absolute deviation (unscaled) of the values."""
    if not values:
        raise ValueError("no values")
    med = statistics.median(values)
    return med, statistics.median([abs(v - med) for v in values])


def p90(values: Sequence[float]) -> float:
    """The 90th percentile (linear interpolation between closest ranks, inclusive)."""
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=10, method="inclusive")[-1]
