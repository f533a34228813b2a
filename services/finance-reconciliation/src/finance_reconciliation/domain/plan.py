"""Payment plans: one per signed contract version, its instalments with the
amount, the due rule and the state. Money is integer 分.

Due rules (the trigger of each signed term):
- advance: due `days` after signing;
- on_delivery / on_acceptance: due `days` after finance records delivery /
  acceptance of the contract (due_on stays None until then);
- retention: due `warranty_months` after acceptance, plus `days`.

Re-planning (a superseding version signed): the old plan is closed, never
edited; what was paid on it is carried over to the new plan's instalments
oldest first (by seq), each filled up to its amount before the next; what is
left beyond the new total stays on the last instalment (an overpayment)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from finance_reconciliation.domain.contract import FinanceContract, Term

FULL_BP = 10_000
OPEN = "open"
CLOSED = "closed"

NOT_DUE = "not_due"
DUE = "due"
PARTLY_PAID = "partly_paid"
PAID = "paid"
OVERDUE = "overdue"
WAIVED = "waived"
STATES = (NOT_DUE, DUE, PARTLY_PAID, PAID, OVERDUE, WAIVED)

ADVANCE = "advance"
ON_DELIVERY = "on_delivery"
ON_ACCEPTANCE = "on_acceptance"
RETENTION = "retention"
# What finance records per contract, and the terms it starts.
DELIVERY = "delivery"
ACCEPTANCE = "acceptance"
RECORDED_TRIGGERS = (DELIVERY, ACCEPTANCE)


@dataclass(frozen=True)
class PaymentPlan:
    plan_id: str
    tenant_id: str
    contract_id: str
    contract_version_id: str
    label: str
    opportunity_id: str
    customer_id: str
    status: str
    total_minor: int
    currency: str
    created_at: datetime
    closed_at: datetime | None = None
    replaced_by_plan_id: str = ""


@dataclass(frozen=True)
class Instalment:
    """Mirrors the instalments table (F3 and F4 read it)."""

    instalment_id: str
    tenant_id: str
    plan_id: str
    contract_id: str
    contract_version_id: str
    opportunity_id: str
    customer_id: str
    owner_id: str
    seq: int
    name: str
    trigger: str
    days: int
    amount_minor: int
    currency: str
    due_on: date | None
    paid_minor: int
    state: str
    written_off_minor: int = 0  # settled without cash (write-offs); never part of paid_minor
    waived_by: str | None = None
    waive_reason: str = ""
    waived_at: datetime | None = None

    @property
    def settled_minor(self) -> int:
        """What counts against the amount: cash applied plus what was written off."""
        return self.paid_minor + self.written_off_minor

    @property
    def outstanding_minor(self) -> int:
        return max(self.amount_minor - self.settled_minor, 0)


@dataclass(frozen=True)
class Triggers:
    """The dates finance recorded for a contract (all its versions)."""

    delivered_on: date | None = None
    accepted_on: date | None = None


def split(total_minor: int, terms: Sequence[Term]) -> list[int]:
    """Each term's amount in 分, summing exactly to the total: fixed amounts
    as signed, shares (of the total, as document-versioning checks them)
    floored, and the 分 left over given one each to the largest remainders
    (ties: the earlier term); anything beyond that (terms not adding up) on
    the last term."""
    amounts: list[int] = []
    remainders: list[tuple[int, int]] = []
    for i, t in enumerate(terms):
        if t.amount_minor is not None:
            amounts.append(t.amount_minor)
            continue
        whole, rest = divmod(total_minor * (t.percent_bp or 0), FULL_BP)
        amounts.append(whole)
        remainders.append((-rest, i))
    left = total_minor - sum(amounts)
    for _, i in sorted(remainders)[: max(left, 0)]:
        amounts[i] += 1
        left -= 1
    if left and amounts:
        amounts[-1] += left
    return amounts


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(trigger: str, days: int, signed_on: date, triggers: Triggers, warranty_months: int | None) -> date | None:
    start: date | None
    if trigger == ADVANCE:
        start = signed_on
    elif trigger == ON_DELIVERY:
        start = triggers.delivered_on
    elif trigger == ON_ACCEPTANCE:
        start = triggers.accepted_on
    elif trigger == RETENTION:
        start = add_months(triggers.accepted_on, warranty_months or 0) if triggers.accepted_on else None
    else:
        start = None
    return start + timedelta(days=days) if start else None


def state_of(amount_minor: int, paid_minor: int, due: date | None, today: date, current: str = "") -> str:
    if current == WAIVED:
        return WAIVED
    if paid_minor >= amount_minor:
        return PAID
    if paid_minor > 0:
        return PARTLY_PAID
    if due is None or due > today:
        return NOT_DUE
    return DUE if due == today else OVERDUE


def restated(inst: Instalment, today: date) -> Instalment:
    """The instalment with its state as of today, from what settled it (paid and written off)."""
    return replace(inst, state=state_of(inst.amount_minor, inst.settled_minor, inst.due_on, today, inst.state))


def build_plan(
    contract: FinanceContract, *, plan_id: str, instalment_ids: Sequence[str], owner_id: str, now: datetime
) -> tuple[PaymentPlan, list[Instalment]]:
    plan = PaymentPlan(
        plan_id=plan_id,
        tenant_id=contract.tenant_id,
        contract_id=contract.contract_id,
        contract_version_id=contract.version_id,
        label=contract.label,
        opportunity_id=contract.opportunity_id,
        customer_id=contract.customer_id,
        status=OPEN,
        total_minor=contract.total_minor,
        currency=contract.currency,
        created_at=now,
    )
    terms = contract.terms or (Term(name="全款", trigger=ADVANCE, days=0, percent_bp=FULL_BP),)
    instalments = [
        Instalment(
            instalment_id=instalment_ids[i],
            tenant_id=contract.tenant_id,
            plan_id=plan_id,
            contract_id=contract.contract_id,
            contract_version_id=contract.version_id,
            opportunity_id=contract.opportunity_id,
            customer_id=contract.customer_id,
            owner_id=owner_id,
            seq=i + 1,
            name=term.name or f"第{i + 1}期",
            trigger=term.trigger,
            days=term.days,
            amount_minor=amount,
            currency=contract.currency,
            due_on=None,
            paid_minor=0,
            state=NOT_DUE,
        )
        for i, (term, amount) in enumerate(zip(terms, split(contract.total_minor, terms), strict=True))
    ]
    return plan, instalments


def schedule(
    instalments: Iterable[Instalment], contract: FinanceContract, triggers: Triggers, today: date
) -> list[Instalment]:
    """Due dates from the triggers known, and each state as of today."""
    out = []
    for inst in instalments:
        due = due_on(inst.trigger, inst.days, contract.signed_on, triggers, contract.warranty_months)
        out.append(restated(replace(inst, due_on=due), today))
    return out


def carry_over(paid_minor: int, instalments: Sequence[Instalment]) -> list[tuple[Instalment, int]]:
    """Where the old plan's paid amount goes on the new plan: oldest first,
    each instalment filled to its amount; the rest on the last one."""
    moves: list[tuple[Instalment, int]] = []
    left = paid_minor
    ordered = sorted(instalments, key=lambda i: i.seq)
    for n, inst in enumerate(ordered):
        if left <= 0:
            break
        take = left if n == len(ordered) - 1 else min(left, inst.amount_minor)
        if take > 0:
            moves.append((inst, take))
            left -= take
    return moves
