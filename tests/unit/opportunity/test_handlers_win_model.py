"""The win model's handlers on fakes: the nightly job trains a tenant once per Shanghai night (between
01:00 and 05:00, not again the same night, not in the day), scores every open opportunity with the
stored model, and a tenant with too little history is skipped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crm_shared.clock import FixedClock
from crm_shared.testing import FakeUnitOfWork
from opportunity.adapters.win_model_repository import OpenOpportunity, StoredModel
from opportunity.domain.indexes import win_model as wm
from opportunity.service_layer.win_model import WinModelHandlers

from tests.unit.opportunity.test_win_model_rules import history


class FakeWinModels:
    def __init__(self, closed: dict[str, list[wm.ClosedHistory]], open_: list[OpenOpportunity]) -> None:
        self.closed, self.open, self.models, self.scores = closed, open_, {}, {}

    async def tenants_with_closed(self) -> list[str]:
        return list(self.closed)

    async def latest_model(self, tenant_id: str) -> StoredModel | None:
        return (self.models.get(tenant_id) or [None])[-1]

    async def latest_version(self, tenant_id: str) -> int:
        return len(self.models.get(tenant_id, []))

    async def closed_history(self, tenant_id: str, limit: int) -> list[wm.ClosedHistory]:
        return self.closed[tenant_id][:limit]

    async def add_model(self, tenant_id: str, model: StoredModel) -> None:
        self.models.setdefault(tenant_id, []).append(model)

    async def open_page(self, scope, *, after: str, limit: int, opportunity_ids=None) -> list[OpenOpportunity]:  # type: ignore[no-untyped-def]
        return [o for o in self.open if o.opportunity_id > after][:limit]

    async def set_model_probability(self, tenant_id: str, opportunity_id: str, version: int, p: int, now) -> None:  # type: ignore[no-untyped-def]
        self.scores[opportunity_id] = (version, p)


class NoSettings:
    async def get(self, tenant_id: str) -> None:
        return None


def open_one(i: int) -> OpenOpportunity:
    fixed = wm.Fixed("lead", "机械", "浙江", "泵", 3_000_000, "rep-0")
    return OpenOpportunity(f"open-{i}", "rep-0", fixed, "方案", 40, "pipeline", 2, None, "CNY", None, None)


async def test_the_nightly_job_trains_once_a_shanghai_night_and_scores_the_open_ones() -> None:
    clock = FixedClock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))  # 20:00 in Shanghai
    repo = FakeWinModels({"t1": history(300), "small": history(20)}, [open_one(i) for i in range(3)])
    uow = FakeUnitOfWork(clock, win_model=repo, win_model_settings=NoSettings())
    handlers = WinModelHandlers(lambda: uow)
    assert await handlers.nightly() == {}
    clock.advance(timedelta(hours=6, minutes=30))  # 02:30 on 12-02 in Shanghai
    assert await handlers.nightly() == {"trained": 1, "skipped": 1}
    assert [m.version for m in repo.models["t1"]] == [1] and "small" not in repo.models
    assert {o: v for o, (v, _) in repo.scores.items()} == {"open-0": 1, "open-1": 1, "open-2": 1}
    clock.advance(timedelta(hours=1, minutes=30))  # 04:00, the same night
    assert (await handlers.nightly())["trained"] == 0
    clock.advance(timedelta(hours=22, minutes=30))  # 02:30 the next night
    assert (await handlers.nightly())["trained"] == 1 and len(repo.models["t1"]) == 2
