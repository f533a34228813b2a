"""Use cases of the win model: train a tenant's model (on demand by a manager or admin, nightly
under a lease), its report, each open opportunity's probability and rating (after training, in
chunks, and per event when one changes), a manager's manual probability, the tenant's settings.

Training is CPU work: the history is read in one unit of work (bounded to MAX_HISTORY closed
opportunities, newest first), the model is fitted and reported in a thread (asyncio.to_thread),
and stored in a second, short one; the open opportunities are then scored in chunks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from crm_shared.business_calendar import BUSINESS_TZ
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, Violation
from crm_shared.logs import get_logger

from opportunity.adapters import win_model_metrics as metrics
from opportunity.adapters.win_model_repository import OpenOpportunity, StoredModel
from opportunity.domain.access import Scope
from opportunity.domain.indexes import calibration
from opportunity.domain.indexes import win_model as rules
from opportunity.domain.indexes.win_model import ModelParams, WinSettings
from opportunity.service_layer.common import readable_opportunity, scope_of
from opportunity.service_layer.tenant_settings import TenantSettings, VersionedSettings
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
log = get_logger("opportunity.win_model")

MAX_HISTORY = 100_000  # closed opportunities read to train (newest first)
SCORE_CHUNK = 500
MAX_PAGE = 500
NIGHT_HOURS = range(1, 5)  # the nightly retrain runs between 01:00 and 05:00 Asia/Shanghai
SYSTEM_USER = "win-model"


@dataclass(frozen=True)
class ModelReport:
    stored: StoredModel
    report: calibration.Report
    scored: int = 0


@dataclass(frozen=True)
class Scored:
    """An opportunity's probabilities as callers see them."""

    opportunity_id: str
    owner_id: str
    stage: str
    stage_probability: int | None
    model_probability: int | None
    manual_probability: int | None
    probability: int | None
    source: str
    rating: str
    model_version: int


# The tenant's win model settings (service_layer/tenant_settings.py).
SETTINGS = TenantSettings(
    lambda uow: uow.win_model_settings, rules.DEFAULT_SETTINGS, rules.settings_from_data, rules.settings_data
)
read_settings = SETTINGS.read


def scored(o: OpenOpportunity, s: WinSettings, model_version: int) -> Scored:
    p, source = rules.effective(o.manual_probability, o.model_probability, o.stage_probability)
    return Scored(
        o.opportunity_id,
        o.owner_id,
        o.stage,
        o.stage_probability,
        o.model_probability,
        o.manual_probability,
        p,
        source,
        rules.rating(p, s) if p is not None else "",
        model_version,
    )


class WinModelHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow
        self._params: dict[str, tuple[int, ModelParams]] = {}  # tenant → (version, params)

    async def _model(self, uow: OpportunityUnitOfWork, tenant_id: str) -> tuple[int, ModelParams] | None:
        version = await uow.win_model.latest_version(tenant_id)
        if not version:
            return None
        cached = self._params.get(tenant_id)
        if cached and cached[0] == version:
            return cached
        stored = await uow.win_model.latest_model(tenant_id)
        assert stored is not None
        self._params[tenant_id] = (stored.version, rules.params_from_data(stored.params))
        return self._params[tenant_id]

    async def train(self, caller: Caller) -> ModelReport:
        caller.require_role(*rules.TRAINERS)
        return await self._train(caller.tenant_id, caller.user_id)

    async def _train(self, tenant_id: str, by: str) -> ModelReport:
        started = time.perf_counter()
        async with self.uow() as uow:
            settings = (await read_settings(uow, tenant_id)).settings
            history = await uow.win_model.closed_history(tenant_id, MAX_HISTORY)
            now = uow.clock.now()
        trained = await asyncio.to_thread(calibration.train_and_report, history, now, settings.half_life_days)
        async with self.uow() as uow:
            version = await uow.win_model.latest_version(tenant_id) + 1
            stored = StoredModel(
                version,
                trained.model.to_data(),
                calibration.report_data(trained.report),
                by,
                int((time.perf_counter() - started) * 1000),
                uow.clock.now(),
            )
            await uow.win_model.add_model(tenant_id, stored)
            await uow.commit()
        self._params[tenant_id] = (version, trained.model)
        count = await self.score_all(tenant_id)
        metrics.TRAINING_SECONDS.observe(time.perf_counter() - started)
        for name, s in trained.report.scores.items():
            metrics.BRIER.labels(tenant_id, name).set(s.brier)
            metrics.LOG_LOSS.labels(tenant_id, name).set(s.log_loss)
        return ModelReport(stored, trained.report, count)

    async def score_all(self, tenant_id: str) -> int:
        """Every open opportunity of the tenant scored by the latest model, SCORE_CHUNK per transaction."""
        after, count = "", 0
        while True:
            async with self.uow() as uow:
                model = await self._model(uow, tenant_id)
                if model is None:
                    return 0
                page = await uow.win_model.open_page(Scope(tenant_id, None), after=after, limit=SCORE_CHUNK)
                await self._score(uow, tenant_id, model, page)
                await uow.commit()
            count += len(page)
            if len(page) < SCORE_CHUNK:
                return count
            after = page[-1].opportunity_id

    async def _score(
        self, uow: OpportunityUnitOfWork, tenant_id: str, model: tuple[int, ModelParams], page: list[OpenOpportunity]
    ) -> None:
        version, params = model
        rows = [o.fixed.snapshot(o.stage, o.stage_probability or 0, o.activities) for o in page]
        now = uow.clock.now()
        for o, p in zip(page, params.predict(rows), strict=True):
            await uow.win_model.set_model_probability(tenant_id, o.opportunity_id, version, rules.percent(p), now)

    async def recompute_tenant(self, tenant_id: str) -> int:
        """Train and score every open opportunity (the scale bench's entry); 0 without enough history."""
        try:
            return (await self._train(tenant_id, SYSTEM_USER)).scored
        except FailedPrecondition:
            return await self.score_all(tenant_id)

    async def opportunity_changed(self, uow: OpportunityUnitOfWork, tenant_id: str, opportunity_id: str) -> None:
        """In an event's unit of work: the one opportunity scored again (a closed one is left)."""
        if not opportunity_id:
            return
        model = await self._model(uow, tenant_id)
        if model is None:
            return
        page = await uow.win_model.open_page(
            Scope(tenant_id, None), after="", limit=1, opportunity_ids=[opportunity_id]
        )
        await self._score(uow, tenant_id, model, page)

    async def nightly(self) -> dict[str, int]:
        """The leased job: between 01:00 and 05:00 Shanghai, each tenant with closed opportunities not
        yet trained this Shanghai night is retrained (too little history: skipped)."""
        async with self.uow() as uow:
            now = uow.clock.now().astimezone(BUSINESS_TZ)
            if now.hour not in NIGHT_HOURS:
                return {}
            tenants = await uow.win_model.tenants_with_closed()
            due = []
            for tenant_id in tenants:
                latest = await uow.win_model.latest_model(tenant_id)
                if latest is None or latest.trained_at.astimezone(BUSINESS_TZ).date() < now.date():
                    due.append(tenant_id)
        counts = {"trained": 0, "skipped": 0}
        for tenant_id in due:
            try:
                await self._train(tenant_id, SYSTEM_USER)
                counts["trained"] += 1
            except FailedPrecondition as small:
                log.info("win model of %s not trained: %s", tenant_id, small)
                counts["skipped"] += 1
        return counts

    async def report(self, caller: Caller) -> ModelReport | None:
        """The latest model's report; None when the tenant has none yet (the stage default stands)."""
        caller.require_role(*rules.READERS)
        async with self.uow() as uow:
            stored = await uow.win_model.latest_model(caller.tenant_id)
        return ModelReport(stored, calibration.report_from_data(stored.report)) if stored else None

    async def probability(self, caller: Caller, opportunity_id: str) -> Scored:
        caller.require_role(*rules.READERS)
        async with self.uow() as uow:
            opp = await readable_opportunity(uow, caller, opportunity_id)
            settings = (await read_settings(uow, caller.tenant_id)).settings
            row = await uow.win_model.score_row(caller.tenant_id, opp.opportunity_id) or {}
        model = row.get("model_probability") if opp.is_open else None
        manual = row.get("manual_probability") if opp.is_open else None
        p, source = rules.effective(manual, model, opp.probability)
        return Scored(
            opp.opportunity_id,
            opp.owner_id,
            opp.stage,
            opp.probability,
            model,
            manual,
            p,
            source,
            rules.rating(p, settings) if p is not None else "",
            int(row.get("model_version") or 0),
        )

    async def list(self, caller: Caller, page_size: int, page_token: str) -> tuple[list[Scored], str]:
        caller.require_role(*rules.READERS)
        if not 0 <= page_size <= MAX_PAGE:
            raise InvalidArgument.field("page_size", f"must be between 1 and {MAX_PAGE}")
        if len(page_token) > 36:
            raise InvalidArgument.field("page_token", "is not a page token of this list")
        size = page_size or 100
        async with self.uow() as uow:
            scope = await scope_of(uow, caller)
            settings = (await read_settings(uow, caller.tenant_id)).settings
            version = await uow.win_model.latest_version(caller.tenant_id)
            page = await uow.win_model.open_page(scope, after=page_token, limit=size)
        items = [scored(o, settings, version) for o in page]
        return items, (page[-1].opportunity_id if len(page) == size else "")

    async def set_manual(self, caller: Caller, opportunity_id: str, probability: int | None) -> Scored:
        """A manager's or admin's figure, kept apart from the model's (retraining never touches it);
        None clears it. Only an open opportunity."""
        caller.require_role(*rules.MANUAL_SETTERS)
        if probability is not None:
            rules.check_manual(probability)
        async with self.uow() as uow:
            opp = await readable_opportunity(uow, caller, opportunity_id, lock=True)
            if not opp.is_open:
                raise FailedPrecondition(
                    f"opportunity {opportunity_id} is closed: its probability is its outcome",
                    [Violation("status", opportunity_id, "is closed")],
                )
            await uow.win_model.set_manual(
                caller.tenant_id, opp.opportunity_id, probability, caller.user_id, uow.clock.now()
            )
            await uow.commit()
        return await self.probability(caller, opportunity_id)

    async def settings(self, caller: Caller) -> VersionedSettings:
        caller.require_role(*rules.SETTINGS_READERS)
        async with self.uow() as uow:
            return await read_settings(uow, caller.tenant_id)

    async def put_settings(self, caller: Caller, version: int, data: Mapping[str, Any]) -> VersionedSettings:
        caller.require_role(*rules.SETTINGS_EDITORS)
        parsed = SETTINGS.parse_new(version, data)
        async with self.uow() as uow:
            saved = await SETTINGS.save(uow, caller, version, parsed)
            await uow.commit()
        return saved
