"""Use cases of customer health (seed 001). Finance's payment.customer_stats
and customer.service_requested are kept per customer and month by durable
consumers, in the event's unit of work, which also raises the month's alert
(domain/indexes/health.py) once per customer and period. The rep is told by a
leased sweep after the commit: the knowledge base is asked for 账期延长's
material with no transaction open, then in a short one the alert is marked and
the notification published, unless another sweep did meanwhile (never twice) —
the pattern of the intent tool packs. Reads: whoever sees the customer."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from crm.events.v1 import customer_value_pb2 as events
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, Unavailable

from opportunity.adapters.customer_value_metrics import HEALTH_ALERTS
from opportunity.adapters.health_repository import AlertRow
from opportunity.domain.indexes import health as rules
from opportunity.domain.indexes import value_tier as tiers
from opportunity.domain.intent_episode import ToolEntry
from opportunity.domain.timers import NotificationDraft
from opportunity.service_layer.common import notify, scope_of, visible_customer
from opportunity.service_layer.customer_value import page_bounds, read_settings
from opportunity.service_layer.uow import OpportunityUnitOfWork

log = logging.getLogger("opportunity.health")
UowFactory = Callable[[], OpportunityUnitOfWork]
ALERT_BATCH = 50
MATERIALS = 3
DEFAULT_PERIODS = 6
ALERT_RAISED = "customer.health_alert_raised"


class Knowledge(Protocol):
    async def recommend(
        self, tenant_id: str, *, stage: str, industry: str, product_line: str, signals: Sequence[str], size: int
    ) -> list[ToolEntry]: ...


@dataclass(frozen=True)
class Health:
    customer_id: str
    periods: list[rules.PeriodFigures]
    trial_progress: float | None
    trial_opportunities: int
    alerts: list[AlertRow]


async def _evaluate(uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str, changed: str) -> None:
    """The alerts of the months whose window (p-2..p) holds the changed month, up to the current one: a
    month's figures arriving late still raise the next months' alerts."""
    current = rules.period_of(uow.clock.now())
    for ahead in range(3):
        period = rules.previous(changed, -ahead)
        if period > current:
            break
        await _evaluate_one(uow, tenant_id, customer_id, period)


async def _evaluate_one(uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str, period: str) -> None:
    figures = await uow.health.figures(tenant_id, customer_id, rules.periods_back(period, 3))
    alert = rules.alert_for(period, figures)
    if alert is None:
        return
    customer = await uow.customers.get(tenant_id, customer_id)
    if customer is None:
        return
    if not await uow.health.raise_alert(tenant_id, customer_id, customer.owner_id, alert, uow.clock.now()):
        return
    HEALTH_ALERTS.labels(tenant_id).inc()
    await uow.publish(
        ALERT_RAISED,
        tenant_id,
        customer_id,
        events.CustomerHealthAlertRaised(
            customer_id=customer_id,
            period=period,
            owner_id=customer.owner_id,
            on_time_rate_bp=list(alert.rates_bp),
            consultations=list(alert.consultations),
        ),
    )


async def payment_stats(
    uow: OpportunityUnitOfWork,
    tenant_id: str,
    customer_id: str,
    as_of: str,
    on_time_rate_bp: int | None,
    dso_tenths: int | None,
) -> None:
    """Finance's figures as of a day: the month's, unless later ones are kept; then the month's alert."""
    try:
        period = rules.period_of_day(as_of)
    except ValueError:
        log.warning("payment stats with an unreadable as_of %r, ignored", as_of[:32])
        return
    if on_time_rate_bp is not None and not 0 <= on_time_rate_bp <= 10_000:
        log.warning("payment stats with an on-time rate out of range, ignored")
        return
    if await uow.customers.get(tenant_id, customer_id) is None:
        return  # not a customer of this tenant here
    figures = rules.PeriodFigures(period, on_time_rate_bp, dso_tenths, as_of)
    if await uow.health.put_stats(tenant_id, customer_id, period, figures, uow.clock.now()):
        await _evaluate(uow, tenant_id, customer_id, period)


async def service_requested(uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str, at: datetime) -> None:
    """A technical consultation in the month of `at` (Asia/Shanghai); then the month's alert."""
    if await uow.customers.get(tenant_id, customer_id) is None:
        return
    period = rules.period_of(at)
    await uow.health.add_consultation(tenant_id, customer_id, period, uow.clock.now())
    await _evaluate(uow, tenant_id, customer_id, period)


class HealthHandlers:
    def __init__(self, uow: UowFactory, knowledge: Knowledge) -> None:
        self.uow = uow
        self.knowledge = knowledge

    async def send_alerts(self) -> int:
        """The leased sweep (every tenant): each alert whose rep is not told yet is sent with the
        knowledge base's 账期延长 material. The knowledge base unavailable: asked again next sweep."""
        async with self.uow() as uow:
            pending = [
                (a, await uow.customers.get(a.tenant_id, a.customer_id))
                for a in await uow.health.unnotified(ALERT_BATCH)
            ]
        sent = 0
        for alert, customer in pending:
            try:
                found = await self.knowledge.recommend(
                    alert.tenant_id,
                    stage="",
                    industry=customer.industry if customer else "",
                    product_line="",
                    signals=[rules.ALERT_SIGNAL],
                    size=MATERIALS,
                )
            except Unavailable as e:
                log.info("health alert of customer %s sent next sweep: %s", alert.customer_id, e)
                continue
            sent += await self._send(alert, found)
        return sent

    async def _send(self, alert: AlertRow, found: Sequence[ToolEntry]) -> int:
        async with self.uow() as uow:
            current = await uow.health.get_alert(alert.tenant_id, alert.customer_id, alert.period, lock=True)
            if current is None or current.notified_at is not None:
                return 0
            materials = [{"document_id": e.document_id, "title": e.title} for e in found]
            await uow.health.mark_notified(current, materials, uow.clock.now())
            customer = await uow.customers.get(current.tenant_id, current.customer_id)
            name = customer.name if customer else current.customer_id
            recipient = customer.owner_id if customer else current.owner_id
            r = current.rates_bp
            c = current.consultations
            title, body = rules.alert_notice(
                name, rules.Alert(current.period, (r[0], r[1], r[2]), (c[0], c[1])), [e.title for e in found]
            )
            await notify(
                uow,
                current.tenant_id,
                NotificationDraft(recipient, rules.ALERT_KIND, title, body, "customer", current.customer_id),
            )
            await uow.commit()
        return 1

    async def customer(self, caller: Caller, customer_id: str, periods: int = 0) -> Health:
        caller.require_role(*tiers.READERS)
        periods = periods or DEFAULT_PERIODS
        if not 1 <= periods <= rules.MAX_PERIODS:
            raise InvalidArgument.field("periods", f"must be between 1 and {rules.MAX_PERIODS}")
        async with self.uow() as uow:
            customer = await visible_customer(uow, caller, customer_id)
            months = rules.periods_back(rules.period_of(uow.clock.now()), periods)
            found = await uow.health.figures(caller.tenant_id, customer.customer_id, months)
            lines = (await read_settings(uow, caller.tenant_id)).settings.new_product_lines
            trials = []
            stages: dict[str, list[str]] = {}
            for status, stage, pipeline_id in await uow.health.trials(caller.tenant_id, customer.customer_id, lines):
                if pipeline_id and pipeline_id not in stages:
                    pipeline = await uow.pipelines.get(caller.tenant_id, pipeline_id)
                    stages[pipeline_id] = [s.name for s in pipeline.stages] if pipeline else []
                names = stages.get(pipeline_id or "", [])
                trials.append(rules.Trial(status, names.index(stage) if stage in names else -1, len(names)))
            alerts = await uow.health.alerts_of(caller.tenant_id, customer.customer_id)
        return Health(
            customer.customer_id,
            [found.get(m, rules.PeriodFigures(m)) for m in months],
            rules.trial_progress(trials),
            len(trials),
            alerts,
        )

    async def alerts(self, caller: Caller, period: str = "", page: int = 1, page_size: int = 50):
        caller.require_role(*tiers.READERS)
        if period and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
            raise InvalidArgument.field("period", "must be YYYY-MM")
        offset, limit = page_bounds(page_size, page)
        async with self.uow() as uow:
            return await uow.health.alerts(await scope_of(uow, caller), period, offset, limit)
