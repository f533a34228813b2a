from crm_shared.db import UnitOfWork

from finance_reconciliation.adapters.opportunity_repository import OpportunityRepository
from finance_reconciliation.adapters.payment_repository import PaymentRepository


class FinanceUnitOfWork(UnitOfWork):
    opportunities: OpportunityRepository
    payments: PaymentRepository

    def _open(self) -> None:
        self.opportunities = OpportunityRepository(self.session)
        self.payments = PaymentRepository(self.session)
