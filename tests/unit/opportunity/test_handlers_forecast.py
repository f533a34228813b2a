"""The forecast's handlers on fakes: the bound on opportunities summed counts those in the month range
asked for, so narrowing the months (as the refusal says) answers; without a range every open one counts."""

from __future__ import annotations

from datetime import date

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition
from crm_shared.testing import FakeUnitOfWork
from opportunity.adapters.win_model_repository import OpenOpportunity
from opportunity.domain.indexes import win_model as wm
from opportunity.service_layer import forecast
from opportunity.service_layer.forecast import ForecastHandlers

ADMIN = Caller("demo", "admin", "admin")


class FakeOpen:
    def __init__(self, open_: list[OpenOpportunity]) -> None:
        self.open = sorted(open_, key=lambda o: o.opportunity_id)

    async def open_page(self, scope, *, after: str, limit: int, opportunity_ids=None) -> list[OpenOpportunity]:  # type: ignore[no-untyped-def]
        return [o for o in self.open if o.opportunity_id > after][:limit]


def opp(i: int, close: date | None, amount: int) -> OpenOpportunity:
    fixed = wm.Fixed("lead", "机械", "浙江", "泵", amount, "zhangwei")
    return OpenOpportunity(f"o-{i:03}", "zhangwei", fixed, "方案", 40, "pipeline", 0, close, "CNY", None, None)


async def test_the_bound_counts_the_opportunities_in_the_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forecast, "MAX_OPPORTUNITIES", 4)
    monkeypatch.setattr(forecast, "PAGE", 2)
    april = [opp(i, date(2026, 4, 1 + i), 1_000 * (i + 1)) for i in range(3)]
    others = [opp(10 + i, date(2026, 6, 1), 7) for i in range(4)] + [opp(20, None, 9)]
    handlers = ForecastHandlers(lambda: FakeUnitOfWork(win_model=FakeOpen(april + others)))  # type: ignore[arg-type]

    with pytest.raises(FailedPrecondition):
        await handlers.forecast(ADMIN, "month", "", "")  # eight open ones, more than four

    found = await handlers.forecast(ADMIN, "month", "2026-04", "2026-04")
    [total] = found.totals
    assert (total.count, total.amount_minor) == (3, 1_000 + 2_000 + 3_000)
    assert total.expected_minor == (1_000 + 2_000 + 3_000) * 40 // 100  # the stage default, 40 %
    assert [c.key for c in found.cells] == [("2026-04",)]
