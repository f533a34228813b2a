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
