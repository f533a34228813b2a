"""Use cases of the forecast: the open opportunities in the caller's scope (reps their own,
managers their team's, admins the tenant), each with its effective probability (manual > model >
stage default), summed by region, product line, rep or month, and the region × product line
matrix. Read in pages; at most MAX_OPPORTUNITIES are summed (a bound, stated in the ADR)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, Violation

from opportunity.adapters.win_model_repository import OpenOpportunity
from opportunity.domain.indexes import forecast as rules
from opportunity.domain.indexes import win_model
from opportunity.domain.indexes.forecast import Cell, Line
from opportunity.service_layer.common import scope_of
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
PAGE = 2000
MAX_OPPORTUNITIES = 250_000


@dataclass(frozen=True)
class Forecast:
    group_by: str
    cells: list[Cell]
    totals: list[Cell]


@dataclass(frozen=True)
class Matrix:
    regions: list[str]
    product_lines: list[str]
    cells: list[Cell]
    totals: list[Cell]


def line_of(o: OpenOpportunity) -> Line:
    p, _ = win_model.effective(o.manual_probability, o.model_probability, o.stage_probability)
    return Line(
        opportunity_id=o.opportunity_id,
        owner_id=o.owner_id,
        region=o.fixed.region,
        product_line=o.fixed.product_line,
        expected_close_date=o.expected_close_date,
        amount_minor=o.fixed.amount_minor,
        currency=o.currency,
        probability=p or 0,
        forecast_category=o.forecast_category,
    )


class ForecastHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def _lines(self, caller: Caller, q: rules.Query) -> list[Line]:
        caller.require_role(*rules.READERS)
        lines: list[Line] = []
        after = ""
        async with self.uow() as uow:
            scope = await scope_of(uow, caller)
            while True:
                page = await uow.win_model.open_page(scope, after=after, limit=PAGE)
                # Kept as read, so the bound counts what is summed: a narrower range is the way out.
                lines.extend(rules.in_range((line_of(o) for o in page), q))
                if len(lines) > MAX_OPPORTUNITIES:
                    raise FailedPrecondition(
                        f"more than {MAX_OPPORTUNITIES} open opportunities in scope: narrow the months",
                        [Violation("from_month", "range", f"at most {MAX_OPPORTUNITIES} opportunities")],
                    )
                if len(page) < PAGE:
                    break
                after = page[-1].opportunity_id
        return lines

    async def forecast(self, caller: Caller, group_by: str, from_month: str, to_month: str) -> Forecast:
        caller.require_role(*rules.READERS)
        q = rules.check_query(group_by, from_month, to_month)
        lines = await self._lines(caller, q)
        return Forecast(q.group_by, rules.group(lines, (q.group_by,)), rules.totals(lines))

    async def matrix(self, caller: Caller, from_month: str, to_month: str) -> Matrix:
        caller.require_role(*rules.READERS)
        q = rules.check_query("", from_month, to_month, matrix=True)
        lines = await self._lines(caller, q)
        cells = rules.group(lines, ("region", "product_line"))
        return Matrix(sorted({c.key[0] for c in cells}), sorted({c.key[1] for c in cells}), cells, rules.totals(lines))
