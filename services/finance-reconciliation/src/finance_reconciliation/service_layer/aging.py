"""Use cases of receivables: aging as of a date, a customer's payment
figures and the collection reports, each within the caller's scope
(domain/aging.py owners_in_scope: finance and admins the tenant, a manager
their team by the rep profiles, a rep their own). One customer's or one
contract's figures also need read access to it, asked of opportunity before
any unit of work opens; the owner scope still applies.

`publish_customer_stats(uow, tenant, customer)` is called by every change to
money (receipts, reversals, write-offs, waivers, carry-overs) inside its unit
of work, so payment.customer_stats commits with the change that moved it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from crm.events.v1.finance_pb2 import CustomerPaymentStats
from crm_shared import paging
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.convert import money
from crm_shared.domain.errors import InvalidArgument, NotFound, Validator
from crm_shared.limits import MAX_ID
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.domain.access import READERS
from finance_reconciliation.domain.aging import DIMENSIONS, AgingRow, age, owners_in_scope, report_day, totals
from finance_reconciliation.domain.payment_stats import (
    DSO_PERIOD_DAYS,
    GRANULARITIES,
    REPORT_DIMENSIONS,
    CustomerStats,
    ReportRow,
    check_report,
    collection_report,
    customer_stats,
)
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]
CUSTOMER_STATS = "payment.customer_stats"
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class AgingReport:
    as_of: date
    group_by: str
    rows: list[AgingRow]  # one page
    totals: list[AgingRow]  # the whole scope's
    next_page_token: str = ""


def _page(rows: list[AgingRow], page_size: int, page_token: str) -> tuple[list[AgingRow], str]:
    """Rows come sorted by (key, currency); a token names the last row given."""
    size = paging.page_size(page_size)
    after = paging.decode_key(page_token, arity=1)
    if after is not None:
        (key,), currency = after
        rows = [r for r in rows if (r.key, r.currency) > (key, currency)]
    if len(rows) <= size:
        return rows, ""
    last = rows[size - 1]
    return rows[:size], paging.encode_key([last.key], last.currency)


@dataclass(frozen=True)
class StatsReport:
    customer_id: str
    as_of: date
    period_days: int
    stats: list[CustomerStats]


async def owner_scope(uow: FinanceUnitOfWork, caller: Caller) -> frozenset[str] | None:
    reports = await uow.rep_profiles.reports_of(caller.tenant_id, caller.user_id) if caller.role == "manager" else ()
    return owners_in_scope(caller.role, caller.user_id, reports)


def _id(v: Validator, field: str, value: str) -> str:
    value = value.strip()
    if len(value) > MAX_ID:
        v.add(field, f"must be at most {MAX_ID} characters")
    return value


class AgingHandlers:
    def __init__(self, uow: UowFactory, access: SubjectAccess) -> None:
        self.uow = uow
        self.access = access

    async def _today(self) -> date:
        # The unit of work's clock (the injected one), read without opening a transaction.
        return business_day(self.uow().clock.now())

    async def aging(
        self, caller: Caller, as_of: str, group_by: str, customer_id: str = "", contract_id: str = "",
        page_size: int = 0, page_token: str = "",
    ) -> AgingReport:
        caller.require_role(*READERS)
        v = Validator()
        if group_by not in DIMENSIONS:
            v.add("group_by", f"must be one of {', '.join(DIMENSIONS)}")
        customer_id, contract_id = _id(v, "customer_id", customer_id), _id(v, "contract_id", contract_id)
        v.check()
        paging.page_size(page_size)
        paging.decode_key(page_token, arity=1)
        day = report_day("as_of", as_of, await self._today())
        if customer_id:
            await self.access.require(caller, "customer", customer_id)
        if contract_id:
            async with self.uow() as uow:
                opportunity_id = await uow.aging.opportunity_of_contract(caller.tenant_id, contract_id)
            if opportunity_id is None:
                raise NotFound(f"contract {contract_id} not found")
            await self.access.require(caller, "opportunity", opportunity_id, missing=f"contract {contract_id} not found")
        async with self.uow() as uow:
            owners = await owner_scope(uow, caller)
            insts = await uow.aging.instalments(caller.tenant_id, owners, customer_id, contract_id)
            pays = await uow.aging.payments(caller.tenant_id, [i.instalment_id for i in insts])
        rows = age(insts, pays, day, group_by)
        page, token = _page(rows, page_size, page_token)
        return AgingReport(day, group_by, page, totals(rows), token)

    async def customer_stats(self, caller: Caller, customer_id: str, as_of: str, period_days: int) -> StatsReport:
        caller.require_role(*READERS)
        v = Validator()
        customer_id = _id(v, "customer_id", customer_id)
        v.require("customer_id", customer_id)
        if not 0 <= period_days <= MAX_PERIOD_DAYS:
            v.add("period_days", f"must be between 1 and {MAX_PERIOD_DAYS} (0: {DSO_PERIOD_DAYS})")
        v.check()
        day = report_day("as_of", as_of, await self._today())
        period = period_days or DSO_PERIOD_DAYS
        await self.access.require(caller, "customer", customer_id)
        async with self.uow() as uow:
            owners = await owner_scope(uow, caller)
            insts = await uow.aging.instalments(caller.tenant_id, owners, customer_id=customer_id)
            pays = await uow.aging.payments(caller.tenant_id, [i.instalment_id for i in insts])
        return StatsReport(customer_id, day, period, customer_stats(insts, pays, day, period))

    async def collections(
        self, caller: Caller, group_by: str, granularity: str, start: str, end: str
    ) -> list[ReportRow]:
        caller.require_role(*READERS)
        v = Validator()
        if group_by not in REPORT_DIMENSIONS:
            v.add("group_by", f"must be one of {', '.join(REPORT_DIMENSIONS)}")
        if granularity not in GRANULARITIES:
            v.add("period", f"must be one of {', '.join(GRANULARITIES)}")
        v.require("from", start.strip())
        v.require("to", end.strip())
        v.check()
        today = await self._today()
        first, last = report_day("from", start, today), report_day("to", end, today)
        try:
            check_report(group_by, first, last, granularity)
        except ValueError as error:
            raise InvalidArgument.field("to", str(error)) from None
        async with self.uow() as uow:
            owners = await owner_scope(uow, caller)
            planned = await uow.aging.planned(caller.tenant_id, owners, first, last)
            collected = await uow.aging.collected(caller.tenant_id, owners, first, last)
        return collection_report(planned, collected, group_by, first, last, granularity)


async def publish_customer_stats(uow, tenant_id: str, customer_id: str, period_days: int = DSO_PERIOD_DAYS) -> int:
    """One event per currency the customer has anything due in; returns how many. In a batch that publishes
    the figures once at its end (uow.stats_later), the customer is noted and nothing published yet."""
    if uow.stats_later is not None:
        uow.stats_later.add((tenant_id, customer_id))
        return 0
    today = business_day(uow.clock.now())
    insts = await uow.aging.instalments(tenant_id, customer_id=customer_id)
    pays = await uow.aging.payments(tenant_id, [i.instalment_id for i in insts])
    rows = customer_stats(insts, pays, today, period_days)
    for s in rows:
        event = CustomerPaymentStats(
            customer_id=s.customer_id, currency=s.currency, as_of=today.isoformat(), due_count=s.due_count,
            on_time_count=s.on_time_count, receivable=money(s.receivable_minor, s.currency),
            dso_period_days=period_days,
        )
        if s.on_time_rate_bp is not None:
            event.on_time_rate_bp = s.on_time_rate_bp
        if s.dso_days is not None:
            event.dso_tenths = int(s.dso_days * 10)
        await uow.publish(CUSTOMER_STATS, tenant_id, customer_id, event)
    return len(rows)
