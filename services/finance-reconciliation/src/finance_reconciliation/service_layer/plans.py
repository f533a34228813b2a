"""Payment plans from signed contract versions (contract.signed), closed and
re-planned when a version is superseded (domain/plan.py's carry-over rule),
re-dated when finance records delivery or acceptance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, NotFound
from crm_shared.ids import new_id
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.domain import ledger
from finance_reconciliation.domain.access import READERS, RECORDERS
from finance_reconciliation.domain.contract import IN_FORCE, FinanceContract, dated_from
from finance_reconciliation.domain.plan import (
    CLOSED,
    OPEN,
    RECORDED_TRIGGERS,
    Instalment,
    PaymentPlan,
    Triggers,
    build_plan,
    carry_over,
    restated,
    schedule,
)
from finance_reconciliation.domain.receipt import parse_day
from finance_reconciliation.service_layer.aging import publish_customer_stats
from finance_reconciliation.service_layer.plan_templates import with_template_terms
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]
PlanView = tuple[PaymentPlan, list[Instalment], Triggers]


async def contract_signed(uow: FinanceUnitOfWork, contract: FinanceContract) -> None:
    """Idempotent: a redelivered contract.signed finds its plan and changes nothing."""
    now = uow.clock.now()
    if await uow.plans.for_version(contract.tenant_id, contract.version_id):
        return
    await uow.contracts.upsert(contract)
    older = [
        v
        for v in await uow.contracts.versions(contract.tenant_id, contract.contract_id)
        if v.version_id != contract.version_id and v.status == IN_FORCE
    ]
    for old in older:  # only one version is in force: signing this one supersedes the others
        await uow.contracts.set_superseded(old.tenant_id, old.version_id, contract.version_id)
    opportunity = await uow.opportunities.get(contract.tenant_id, contract.opportunity_id)
    owner = opportunity.owner_id if opportunity else ""
    contract = await with_template_terms(uow, contract, opportunity)  # no terms signed: its region's template
    triggers = await uow.contracts.triggers(contract.tenant_id, contract.contract_id)
    plan, items = build_plan(
        contract,
        plan_id=new_id(),
        instalment_ids=[new_id() for _ in range(max(len(contract.terms), 1))],
        owner_id=owner,
        now=now,
    )
    items = schedule(items, contract, triggers, business_day(now))
    carried, replaced = 0, ""
    postings: list[ledger.Posting] = []
    for old_plan in await uow.plans.for_contract(contract.tenant_id, contract.contract_id):
        if old_plan.status != OPEN:
            continue
        moved, paid_items = await _carry(uow, old_plan, items, contract, now, postings)
        items, carried, replaced = paid_items, carried + moved, old_plan.plan_id
        await uow.plans.close(replace(old_plan, status=CLOSED, closed_at=now, replaced_by_plan_id=plan.plan_id))
    await uow.plans.add(plan, items)
    await uow.ledger.post(postings)
    await uow.publish(
        "payment.plan_created",
        plan.tenant_id,
        plan.plan_id,
        finance_pb2.PaymentPlanCreated(
            plan_id=plan.plan_id,
            contract_id=plan.contract_id,
            contract_version_id=plan.contract_version_id,
            label=plan.label,
            opportunity_id=plan.opportunity_id,
            customer_id=plan.customer_id,
            total=Money(amount_minor=plan.total_minor, currency=plan.currency),
            instalments=len(items),
            replaces_plan_id=replaced,
            carried_over=Money(amount_minor=carried, currency=plan.currency),
        ),
    )
    if carried:  # what was paid now sits on other instalments with other due dates
        await publish_customer_stats(uow, plan.tenant_id, plan.customer_id)


async def _carry(
    uow: FinanceUnitOfWork,
    old_plan: PaymentPlan,
    items: list[Instalment],
    contract: FinanceContract,
    now: datetime,
    postings: list[ledger.Posting],
) -> tuple[int, list[Instalment]]:
    """Moves what was paid on the old plan's instalments onto the new ones
    (one ledger entry: −p on each old, +p on each new); the old instalments'
    rows keep their paid amounts at zero afterwards so the ledger sums hold."""
    old_items = await uow.plans.instalments(old_plan.tenant_id, old_plan.plan_id)
    paid = sum(i.paid_minor for i in old_items)
    if paid <= 0:
        return 0, items
    entry = new_id()
    reason = f"改签 {old_plan.label} → {contract.label}: 已收款按期次顺序结转"
    today = business_day(now)
    for old in old_items:
        if old.paid_minor:
            postings.append(_move(old, entry, -old.paid_minor, reason, now))
            await uow.plans.save_instalment(restated(replace(old, paid_minor=0), today))
    by_id = {i.instalment_id: i for i in items}
    for inst, amount in carry_over(paid, items):
        postings.append(_move(inst, entry, amount, reason, now))
        by_id[inst.instalment_id] = restated(
            replace(inst, paid_minor=by_id[inst.instalment_id].paid_minor + amount), today
        )
    return paid, [by_id[i.instalment_id] for i in items]


def _move(inst: Instalment, entry: str, amount: int, reason: str, now: datetime) -> ledger.Posting:
    return ledger.Posting(
        posting_id=new_id(),
        tenant_id=inst.tenant_id,
        entry_id=entry,
        kind=ledger.ALLOCATION,
        receipt_id=None,
        instalment_id=inst.instalment_id,
        amount_minor=amount,
        currency=inst.currency,
        posted_by="system",
        reason=reason,
        posted_at=now,
    )


async def contract_superseded(uow: FinanceUnitOfWork, tenant_id: str, version_id: str, by_version_id: str) -> None:
    """contract.signed of the new version already closed the plan; this only marks the version (idempotent)."""
    if await uow.contracts.get(tenant_id, version_id):
        await uow.contracts.set_superseded(tenant_id, version_id, by_version_id)


async def record_trigger_in(
    uow: FinanceUnitOfWork,
    tenant_id: str,
    contract_id: str,
    trigger: str,
    on: date,
    recorded_by: str,
    *,
    recorded_at: datetime,
    record_id: str,
) -> None:
    """Delivery or acceptance of a contract on `on`, as finance records it or as sales did on the opportunity
    (opportunity.delivery_recorded, recorded_at its time there): stored unless a record made later is already in
    force (a contract not signed yet is dated from it when its plan is built), and what waits on it in every
    open plan re-dated, in the caller's unit of work. Finance's and sales' records are corrections of one fact:
    the one made last wins, whoever made it."""
    if trigger not in RECORDED_TRIGGERS:
        raise InvalidArgument.field("trigger", f"must be one of {', '.join(RECORDED_TRIGGERS)}")
    now = uow.clock.now()
    await uow.contracts.record_trigger(tenant_id, contract_id, trigger, on, recorded_by, recorded_at, record_id)
    triggers = await uow.contracts.triggers(tenant_id, contract_id)
    for plan in await uow.plans.for_contract(tenant_id, contract_id):
        contract = await uow.contracts.get(tenant_id, plan.contract_version_id)
        if plan.status != OPEN or contract is None:
            continue
        items = await uow.plans.instalments(tenant_id, plan.plan_id)
        for inst in schedule(items, contract, triggers, business_day(now)):
            await uow.plans.save_instalment(inst)
        # What falls due, and when, is in the customer's figures (receivable, on-time rate).
        await publish_customer_stats(uow, tenant_id, plan.customer_id)


async def delivery_recorded(
    uow: FinanceUnitOfWork,
    tenant_id: str,
    opportunity_id: str,
    contract_id: str,
    trigger: str,
    on: date,
    recorded_by: str,
    *,
    recorded_at: datetime,
    record_id: str,
) -> bool:
    """Sales recorded a contract's delivery or acceptance on the opportunity (opportunity.delivery_recorded):
    the same path as finance's own record, in the consumer's unit of work. False, nothing recorded, when
    finance knows the contract under another opportunity (domain/contract.py dated_from)."""
    if not dated_from(await uow.contracts.versions(tenant_id, contract_id), opportunity_id):
        return False
    await record_trigger_in(
        uow, tenant_id, contract_id, trigger, on, recorded_by, recorded_at=recorded_at, record_id=record_id
    )
    return True


class PlanHandlers:
    def __init__(self, uow: UowFactory, access: SubjectAccess) -> None:
        self.uow = uow
        self.access = access

    async def listed(self, caller: Caller, *, contract_id: str = "", opportunity_id: str = "") -> list[PlanView]:
        caller.require_role(*READERS)
        contract_id, opportunity_id = contract_id.strip(), opportunity_id.strip()
        if bool(contract_id) == bool(opportunity_id):
            raise InvalidArgument.field("contract_id", "name exactly one of contract_id and opportunity_id")
        async with self.uow() as uow:
            if contract_id:
                versions = await uow.contracts.versions(caller.tenant_id, contract_id)
                if not versions:
                    raise NotFound(f"contract {contract_id} has no signed version known to finance")
                opportunity_id = versions[0].opportunity_id
        await self.access.require(caller, "opportunity", opportunity_id)
        async with self.uow() as uow:
            ids = (
                [contract_id] if contract_id else await uow.contracts.for_opportunity(caller.tenant_id, opportunity_id)
            )
            return await self._views(uow, caller.tenant_id, ids)

    async def record_trigger(self, caller: Caller, contract_id: str, trigger: str, on: str) -> list[PlanView]:
        """Delivery or acceptance of a contract, as finance records it: dates what waits on it."""
        caller.require_role(*RECORDERS)
        if trigger not in RECORDED_TRIGGERS:
            raise InvalidArgument.field("trigger", f"must be one of {', '.join(RECORDED_TRIGGERS)}")
        async with self.uow() as uow:
            versions = await uow.contracts.versions(caller.tenant_id, contract_id.strip())
            today = business_day(uow.clock.now())
        if not versions:
            raise NotFound(f"contract {contract_id} has no signed version known to finance")
        day = parse_day("on", on, today)
        await self.access.require(caller, "opportunity", versions[0].opportunity_id)
        async with self.uow() as uow:
            await record_trigger_in(
                uow,
                caller.tenant_id,
                contract_id.strip(),
                trigger,
                day,
                caller.user_id,
                recorded_at=uow.clock.now(),
                record_id=new_id(),
            )
            views = await self._views(uow, caller.tenant_id, [contract_id.strip()])
            await uow.commit()
        return views

    async def _views(self, uow: FinanceUnitOfWork, tenant_id: str, contract_ids: list[str]) -> list[PlanView]:
        views = []
        for cid in contract_ids:
            triggers = await uow.contracts.triggers(tenant_id, cid)
            for plan in await uow.plans.for_contract(tenant_id, cid):
                views.append((plan, await uow.plans.instalments(tenant_id, plan.plan_id), triggers))
        return views
