"""Customer health (seed 001): per customer and period (a calendar month in
Asia/Shanghai, "YYYY-MM"), the on-time payment rate and DSO as finance last
announced them in the month (payment.customer_stats, the figures of the latest
as_of of the month), the technical consultation frequency (service requests
received in the month) and, read when shown, the new-product trial progress.

The alert (seed 001: 付款准时率连续2期下降且技术咨询频次上升): for the period p and
the two months before it, all three with an on-time rate, rate(p-2) > rate(p-1)
> rate(p) (strictly down twice in a row), and consultations(p) > consultations(p-1)
(rising into the period; a month with no request counts 0). Raised once per
customer and period; the rep is then told with the knowledge base's material for
账期延长.

New-product trial progress: over the customer's opportunities on the product
lines the tenant lists as new products, the mean of each one's progress — won
1, lost 0 where it stopped, open: (index of its stage + 1) ÷ the number of its
pipeline's stages; none such: no figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from crm_shared.business_calendar import BUSINESS_TZ

ALERT_SIGNAL = "账期延长"  # the knowledge base's signal tag of the 话术包
ALERT_KIND = "customer.health_alert"
MAX_PERIODS = 24


@dataclass(frozen=True)
class PeriodFigures:
    period: str  # YYYY-MM
    on_time_rate_bp: int | None = None  # 0..10000
    dso_tenths: int | None = None
    as_of: str = ""  # the day of finance's figures (YYYY-MM-DD)
    consultations: int = 0


def period_of(at: datetime) -> str:
    return at.astimezone(BUSINESS_TZ).strftime("%Y-%m")


def period_of_day(day: str) -> str:
    """The period of finance's as_of (YYYY-MM-DD, a day in Asia/Shanghai); ValueError if not a date."""
    return date.fromisoformat(day).strftime("%Y-%m")


def previous(period: str, back: int = 1) -> str:
    year, month = (int(x) for x in period.split("-"))
    index = year * 12 + month - 1 - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def periods_back(period: str, n: int) -> list[str]:
    """n periods ending with `period`, oldest first."""
    return [previous(period, k) for k in range(n - 1, -1, -1)]


@dataclass(frozen=True)
class Alert:
    period: str
    rates_bp: tuple[int, int, int]  # p-2, p-1, p
    consultations: tuple[int, int]  # p-1, p


def alert_for(period: str, figures: Mapping[str, PeriodFigures]) -> Alert | None:
    """The seed-001 alert for `period` from the figures by period, or None."""
    p2, p1 = previous(period, 2), previous(period, 1)
    rates = [figures[p].on_time_rate_bp if p in figures else None for p in (p2, p1, period)]
    if any(r is None for r in rates):
        return None
    r2, r1, r0 = rates
    assert r2 is not None and r1 is not None and r0 is not None
    if not r2 > r1 > r0:
        return None
    before = figures[p1].consultations if p1 in figures else 0
    now = figures[period].consultations if period in figures else 0
    if not now > before:
        return None
    return Alert(period, (r2, r1, r0), (before, now))


@dataclass(frozen=True)
class Trial:
    status: str  # open | won | lost
    stage_index: int  # 0-based index of its stage in its pipeline (-1: not found)
    stage_count: int


def trial_progress(trials: Sequence[Trial]) -> float | None:
    if not trials:
        return None
    total = 0.0
    for t in trials:
        if t.status == "won":
            total += 1.0
        elif t.status == "open" and t.stage_count > 0 and t.stage_index >= 0:
            total += (t.stage_index + 1) / t.stage_count
    return total / len(trials)


def alert_notice(customer_name: str, alert: Alert, materials: Sequence[str]) -> tuple[str, str]:
    r2, r1, r0 = (f"{r / 100:.1f}%" for r in alert.rates_bp)
    c1, c0 = alert.consultations
    title = f"客户健康预警：{customer_name}"
    body = (
        f"{alert.period} 付款准时率连续2期下降（{r2} → {r1} → {r0}），技术咨询频次上升（{c1} → {c0}）。"
        "可能面临账期延长，建议提前沟通。"
    )
    if materials:
        body += " 推荐资料：" + "；".join(f"《{m}》" for m in materials)
    return title, body
