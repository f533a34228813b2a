"""Waivers: an instalment no longer owed at all (domain/settlement.py check_waive, waived): no money
moves, so nothing is posted; the state says waived, with who and why, and it then refuses receipts."""

from __future__ import annotations

from collections.abc import Callable

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.domain.access import RECORDERS
from finance_reconciliation.domain.plan import Instalment, restated
from finance_reconciliation.domain.receipt import check_reason
from finance_reconciliation.domain.settlement import check_waive, waived
from finance_reconciliation.service_layer.aging import publish_customer_stats
from finance_reconciliation.service_layer.finance_access import FinanceAccess
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]


class WaiverHandlers:
    def __init__(self, uow: UowFactory, access: SubjectAccess) -> None:
        self.uow = uow
        self.access = FinanceAccess(uow, access)

    async def waive(self, caller: Caller, instalment_id: str, reason: str) -> Instalment:
        """The instalment is no longer owed (state waived, who and why); it then refuses receipts."""
        caller.require_role(*RECORDERS)
        why = check_reason(reason, "say why the instalment is waived")
        found = await self.access.instalment(caller, instalment_id)
        async with self.uow() as uow:
            now = uow.clock.now()
            inst = await uow.plans.instalment(caller.tenant_id, found.instalment_id, for_update=True)
            assert inst is not None
            inst = restated(inst, business_day(now))
            check_waive(inst, await uow.contracts.get(caller.tenant_id, inst.contract_version_id))
            owed = inst.outstanding_minor
            inst = waived(inst, by=caller.user_id, reason=why, at=now)
            await uow.plans.save_instalment(inst)
            await uow.publish(
                "payment.instalment_waived",
                caller.tenant_id,
                inst.instalment_id,
                finance_pb2.InstalmentWaived(
                    instalment_id=inst.instalment_id,
                    contract_id=inst.contract_id,
                    contract_version_id=inst.contract_version_id,
                    opportunity_id=inst.opportunity_id,
                    customer_id=inst.customer_id,
                    waived=Money(amount_minor=owed, currency=inst.currency),
                    reason=why,
                    waived_by=caller.user_id,
                ),
            )
            await publish_customer_stats(uow, caller.tenant_id, inst.customer_id)
            await uow.commit()
        return inst
