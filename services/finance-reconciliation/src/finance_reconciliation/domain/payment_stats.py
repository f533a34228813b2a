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

from finance_reconciliation.domain.aging import InstalmentView, Payment, outstanding_as_of, paid_as_of

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
    """Fully paid by the due date (receipts paid on or before it)."""
    assert inst.due_on is not None
    return paid_as_of(payments, inst.due_on).get(inst.instalment_id, 0) >= inst.amount_minor


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
LEAD_SOURCE = "lead_source"
REGION = "region"
PRODUCT_LINE = "product_line"
REPORT_DIMENSIONS = (LEAD_SOURCE, REGION, PRODUCT_LINE)


@dataclass(frozen=True)
class CollectedView:
    """A receipt as reports see it (net of reversal: reversed ones left out
    by the reader), with the opportunity's facts."""

    paid_on: date
    amount_minor: int
    currency: str
    lead_source: str
    region: str
    product_line: str


def period_of(day: date, granularity: str) -> str:
    if granularity == MONTH:
        return f"{day.year}-{day.month:02d}"
    if granularity == QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    raise ValueError("granularity must be month or quarter")


def collections_by(
    collected: Iterable[CollectedView], dimension: str, start: date, end: date, granularity: str = MONTH
) -> dict[tuple[str, str, str], int]:
    """Sum collected per (period, dimension value, currency), paid_on in
    [start, end]; "" is a value not told (kept, so totals reconcile)."""
    if dimension not in REPORT_DIMENSIONS:
        raise ValueError(f"dimension must be one of {', '.join(REPORT_DIMENSIONS)}")
    if end < start:
        raise ValueError("end must not be before start")
    out: dict[tuple[str, str, str], int] = defaultdict(int)
    for c in collected:
        if start <= c.paid_on <= end:
            out[(period_of(c.paid_on, granularity), getattr(c, dimension), c.currency)] += c.amount_minor
    return dict(sorted(out.items()))


def expected_vs_actual(
    instalments: Iterable[InstalmentView], payments: Iterable[Payment], start: date, end: date,
    granularity: str = MONTH,
) -> dict[tuple[str, str], tuple[int, int]]:
    """Per (period, currency): (expected = amounts the plan makes due in the
    period, actual = what was paid in the period on those instalments or any
    other), both within [start, end]. Waived instalments expect nothing."""
    if end < start:
        raise ValueError("end must not be before start")
    currency: dict[str, str] = {}
    out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for inst in instalments:
        currency[inst.instalment_id] = inst.currency
        if not inst.waived and inst.due_on is not None and start <= inst.due_on <= end:
            out[(period_of(inst.due_on, granularity), inst.currency)][0] += inst.amount_minor
    for p in payments:
        if start <= p.paid_on <= end and p.instalment_id in currency:
            out[(period_of(p.paid_on, granularity), currency[p.instalment_id])][1] += p.amount_minor
    return {k: (v[0], v[1]) for k, v in sorted(out.items())}
