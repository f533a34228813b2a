"""The forecast (seed 000: "各区域、各产品线的预计收入分布"): over the open opportunities in the
caller's scope, per group and currency, the expected revenue Σ amount × effective probability
(exact: the percent-weighted sum, divided by 100 once per group, floor) and the amounts by the
stage's forecast category — commit, best_case, pipeline (disjoint: each opportunity counts in its
own stage's category only). Groups: region (the customer's province), product line, rep, month
(expected_close_date's calendar month; "" = no date), and the region × product line matrix.

The effective probability is manual > model > stage default (win_model.effective). Opportunities
without an amount count in `count` but add nothing. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from crm_shared import roles
from crm_shared.domain.errors import Validator

GROUPINGS = ("region", "product_line", "rep", "month")
CATEGORIES = ("commit", "best_case", "pipeline")
MAX_MONTHS = 24
READERS = (roles.REP, roles.MANAGER, roles.ADMIN)


@dataclass(frozen=True)
class Line:
    """One open opportunity as the forecast reads it."""

    opportunity_id: str
    owner_id: str
    region: str
    product_line: str
    expected_close_date: date | None
    amount_minor: int | None
    currency: str
    probability: int  # effective, 0..100
    forecast_category: str

    @property
    def month(self) -> str:
        return self.expected_close_date.strftime("%Y-%m") if self.expected_close_date else ""

    def key(self, grouping: str) -> str:
        return {"region": self.region, "product_line": self.product_line, "rep": self.owner_id, "month": self.month}[
            grouping
        ]


@dataclass
class Cell:
    """Exact integer sums of one group in one currency."""

    key: tuple[str, ...]
    currency: str
    count: int = 0
    amount_minor: int = 0
    weighted_percent_minor: int = 0  # Σ amount × percent (divide by 100 for money)
    by_category: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))

    @property
    def expected_minor(self) -> int:
        return self.weighted_percent_minor // 100

    def add(self, line: Line) -> None:
        self.count += 1
        if line.amount_minor is None:
            return
        self.amount_minor += line.amount_minor
        self.weighted_percent_minor += line.amount_minor * line.probability
        if line.forecast_category in self.by_category:
            self.by_category[line.forecast_category] += line.amount_minor


def group(lines: Iterable[Line], keys: Sequence[str]) -> list[Cell]:
    """Cells by the `keys` groupings and currency, sorted by expected revenue (largest first)."""
    cells: dict[tuple[tuple[str, ...], str], Cell] = {}
    for line in lines:
        key = tuple(line.key(k) for k in keys)
        cell = cells.setdefault((key, line.currency), Cell(key, line.currency))
        cell.add(line)
    return sorted(cells.values(), key=lambda c: (-c.weighted_percent_minor, c.key, c.currency))


def totals(lines: Iterable[Line]) -> list[Cell]:
    return group(lines, ())


def _month(v: Validator, name: str, value: str) -> tuple[int, int] | None:
    try:
        year, month = (int(p) for p in value.split("-"))
        date(year, month, 1)
        return year, month
    except ValueError:
        v.add(name, "must be a month as YYYY-MM")
        return None


@dataclass(frozen=True)
class Query:
    group_by: str = "region"
    from_month: str = ""  # "" with to_month "": every open opportunity, dated or not
    to_month: str = ""

    def months(self) -> tuple[date, date] | None:
        """The first day of from_month and of the month after to_month, or None for no range."""
        if not self.from_month and not self.to_month:
            return None
        assert self.from_month and self.to_month
        fy, fm = (int(p) for p in self.from_month.split("-"))
        ty, tm = (int(p) for p in self.to_month.split("-"))
        return date(fy, fm, 1), date(ty + tm // 12, tm % 12 + 1, 1)


def check_query(group_by: str, from_month: str, to_month: str, *, matrix: bool = False) -> Query:
    """Every bad field named at once (→ 400); a range is both ends, at most MAX_MONTHS months."""
    v = Validator()
    if not matrix and group_by not in GROUPINGS:
        v.add("group_by", f"must be one of {', '.join(GROUPINGS)}")
    ends = []
    for name, value in (("from_month", from_month.strip()), ("to_month", to_month.strip())):
        if value:
            ends.append(_month(v, name, value))
    if bool(from_month.strip()) != bool(to_month.strip()):
        v.add("to_month" if from_month.strip() else "from_month", "a range needs both from_month and to_month")
    elif len(ends) == 2 and ends[0] and ends[1]:
        span = (ends[1][0] - ends[0][0]) * 12 + ends[1][1] - ends[0][1] + 1
        if span < 1:
            v.add("to_month", "must not be before from_month")
        elif span > MAX_MONTHS:
            v.add("to_month", f"the range is at most {MAX_MONTHS} months")
    v.check()
    return Query("region" if matrix else group_by, from_month.strip(), to_month.strip())


def in_range(lines: Iterable[Line], q: Query) -> list[Line]:
    bounds = q.months()
    if bounds is None:
        return list(lines)
    first, after = bounds
    return [ln for ln in lines if ln.expected_close_date is not None and first <= ln.expected_close_date < after]
