"""The ledger check (CheckLedger): whether every entry, instalment and receipt balances
(domain/ledger.py problems) over the sums the repository adds up, and the tenant's totals."""

from __future__ import annotations

from collections.abc import Callable

from crm_shared.context import Caller

from finance_reconciliation.domain import ledger
from finance_reconciliation.domain.access import RECORDERS
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]


class LedgerCheckHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def check_ledger(self, caller: Caller) -> tuple[list[str], tuple[int, int, int, int]]:
        """The problems found (none: balanced) and (postings, received, allocated, written off)."""
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            sums = await uow.ledger.sums(caller.tenant_id)
            totals = await uow.ledger.totals(caller.tenant_id)
        return ledger.problems(sums), totals
