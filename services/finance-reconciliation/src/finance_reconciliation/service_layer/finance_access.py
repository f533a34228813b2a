"""Whether the caller may touch a receipt, an instalment or a contract's money: read access to its
opportunity (opportunity's rule, asked at every call; domain/access.py). Each lookup reads in its own
short unit of work; another tenant's row is not found."""

from __future__ import annotations

from collections.abc import Callable

from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.domain.plan import Instalment
from finance_reconciliation.domain.receipt import Receipt
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]


class FinanceAccess:
    def __init__(self, uow: UowFactory, access: SubjectAccess) -> None:
        self.uow = uow
        self.access = access

    async def opportunity(self, caller: Caller, opportunity_id: str) -> None:
        await self.access.require(caller, "opportunity", opportunity_id)

    async def contract(self, caller: Caller, contract_id: str) -> str:
        """The contract's opportunity, when the caller may read it; another tenant's contract is not found."""
        async with self.uow() as uow:
            versions = await uow.contracts.versions(caller.tenant_id, contract_id) if contract_id else []
        if not versions:
            raise NotFound(f"contract {contract_id} has no signed version known to finance")
        await self.opportunity(caller, versions[0].opportunity_id)
        return versions[0].opportunity_id

    async def receipt(self, caller: Caller, receipt_id: str) -> Receipt:
        receipt_id = receipt_id.strip()
        async with self.uow() as uow:
            found = await uow.receipts.get(caller.tenant_id, receipt_id) if receipt_id else None
        if found is None:
            raise NotFound(f"receipt {receipt_id} not found")
        await self.opportunity(caller, found.opportunity_id)
        return found

    async def instalment(self, caller: Caller, instalment_id: str) -> Instalment:
        instalment_id = instalment_id.strip()
        async with self.uow() as uow:
            found = await uow.plans.instalment(caller.tenant_id, instalment_id) if instalment_id else None
        if found is None:
            raise NotFound(f"instalment {instalment_id} not found")
        await self.opportunity(caller, found.opportunity_id)
        return found
