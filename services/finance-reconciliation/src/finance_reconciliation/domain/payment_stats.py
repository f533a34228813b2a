"""Per customer: the on-time payment rate and days-sales-outstanding (DSO),
pure, on the same views as aging (published as payment.customer_stats).

- On-time rate: of the instalments due on or before the date (not waived),
  the share fully paid by their due date, in basis points. Paid late and
  still unpaid both count against it. None when nothing has fallen due.
- DSO (the standard count-back-free form): receivables overdue or due at
  the date / amounts that fell due in the last `period_days` x period_days,
  rounded to 0.1 day. None when nothing fell due in the period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from finance_reconciliation.domain.aging import WRITTEN_OFF, InstalmentView, Payment, outstanding_as_of, paid_as_of

FULL_BP = 10_000
DSO_PERIOD_DAYS = 90


@dataclass(frozen=True)
class CustomerStats:
    customer_id: str
    currency: str
    due_count: int
    on_time_count: int
    on_time_rate_bp: int | None
    receivable_minor: int
    billed_minor: int
    dso_days: Decimal | None


def on_time(inst: InstalmentView, payments: Iterable[Payment]) -> bool:
    """Fully paid by the due date (cash and carry-overs on or before it; a
    write-off settles an instalment but never pays it on time)."""
    assert inst.due_on is not None
    paid = paid_as_of((p for p in payments if p.kind != WRITTEN_OFF), inst.due_on)
    return paid.get(inst.instalment_id, 0) >= inst.amount_minor


def customer_stats(
    instalments: Iterable[InstalmentView],
    payments: Iterable[Payment],
    as_of: date,
    period_days: int = DSO_PERIOD_DAYS,
) -> list[CustomerStats]:
    """One row per (customer, currency) that has anything due by the date."""
    if period_days <= 0:
        raise ValueError("period_days must be positive")
    by_inst: dict[str, list[Payment]] = defaultdict(list)
    for p in payments:
        by_inst[p.instalment_id].append(p)
    period_start = as_of - timedelta(days=period_days)
    acc: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for inst in instalments:
        if inst.waived or inst.due_on is None or inst.due_on > as_of:
            continue
        mine = by_inst.get(inst.instalment_id, [])
        a = acc[(inst.customer_id, inst.currency)]
        a[0] += 1
        a[1] += on_time(inst, mine)
        a[2] += outstanding_as_of(inst, paid_as_of(mine, as_of).get(inst.instalment_id, 0))
        if inst.due_on > period_start:
            a[3] += inst.amount_minor
    out = []
    for (customer, currency), (due, ontime, receivable, billed) in sorted(acc.items()):
        dso = None
        if billed:
            dso = (Decimal(receivable) * period_days / Decimal(billed)).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        out.append(
            CustomerStats(
                customer_id=customer,
                currency=currency,
                due_count=due,
                on_time_count=ontime,
                on_time_rate_bp=ontime * FULL_BP // due if due else None,
                receivable_minor=receivable,
                billed_minor=billed,
                dso_days=dso,
            )
        )
    return out


# Collection reports -----------------------------------------------------
MONTH = "month"
QUARTER = "quarter"
GRANULARITIES = (MONTH, QUARTER)
LEAD_SOURCE = "lead_source"
REGION = "region"
PRODUCT_LINE = "product_line"
OWNER = "owner"  # the opportunity's rep: the KPI views' 回款率 per rep
REPORT_DIMENSIONS = (LEAD_SOURCE, REGION, PRODUCT_LINE, OWNER)
MAX_REPORT_MONTHS = 36  # a report spans at most three years of calendar months (12 quarters)


@dataclass(frozen=True)
class Facts:
    """What a report groups an instalment or a receipt by: the lead's source,
    the opportunity's 大区 and product line, the instalment's owner (the rep)
    ("" when not told: kept, so the totals reconcile)."""

    lead_source: str = ""
    region: str = ""
    product_line: str = ""
    owner: str = ""


@dataclass(frozen=True)
class Planned:
    """An instalment as the plan makes it due (waived ones expect nothing)."""

    due_on: date | None
    amount_minor: int
    currency: str
    facts: Facts
    waived: bool = False


@dataclass(frozen=True)
class Collected:
    """Cash received on a day (a reversal is negative on the day it was reversed)."""

    paid_on: date
    amount_minor: int
    currency: str
    facts: Facts


@dataclass(frozen=True)
class ReportRow:
    period: str
    key: str
    currency: str
    expected_minor: int
    actual_minor: int


def period_of(day: date, granularity: str) -> str:
    if granularity == MONTH:
        return f"{day.year}-{day.month:02d}"
    if granularity == QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    raise ValueError("granularity must be month or quarter")


def check_report(dimension: str, start: date, end: date, granularity: str) -> None:
    if dimension not in REPORT_DIMENSIONS:
        raise ValueError(f"dimension must be one of {', '.join(REPORT_DIMENSIONS)}")
    if granularity not in GRANULARITIES:
        raise ValueError("granularity must be month or quarter")
    if end < start:
        raise ValueError("end must not be before start")
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_REPORT_MONTHS:
        raise ValueError(f"a report covers at most three years ({MAX_REPORT_MONTHS} months)")


def collection_report(
    planned: Iterable[Planned], collected: Iterable[Collected], dimension: str, start: date, end: date,
    granularity: str = MONTH,
) -> list[ReportRow]:
    """Per (period, dimension value, currency), both within [start, end]:
    expected = what the plan makes due in the period, actual = cash received
    in the period (for those instalments or earlier ones: what came in, not
    what was due). Sorted by period, value, currency."""
    check_report(dimension, start, end, granularity)
    out: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for p in planned:
        if not p.waived and p.due_on is not None and start <= p.due_on <= end:
            out[(period_of(p.due_on, granularity), getattr(p.facts, dimension), p.currency)][0] += p.amount_minor
    for c in collected:
        if start <= c.paid_on <= end:
            out[(period_of(c.paid_on, granularity), getattr(c.facts, dimension), c.currency)][1] += c.amount_minor
    return [ReportRow(k[0], k[1], k[2], v[0], v[1]) for k, v in sorted(out.items())]
