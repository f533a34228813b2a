from crm_shared.db import UnitOfWork
from finance_reconciliation.adapters.repository import OpportunityRepository, PaymentRepository


class FinanceUnitOfWork(UnitOfWork):
    opportunities: OpportunityRepository
    payments: PaymentRepository

    def _open(self) -> None:
        self.opportunities = OpportunityRepository(self.session)
        self.payments = PaymentRepository(self.session)
