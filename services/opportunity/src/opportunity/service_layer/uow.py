from crm_shared.db import UnitOfWork
from opportunity.adapters.repository import ApprovalDecisionRepository, CustomerRepository, OpportunityRepository


class OpportunityUnitOfWork(UnitOfWork):
    customers: CustomerRepository
    opportunities: OpportunityRepository
    approvals: ApprovalDecisionRepository

    def _open(self) -> None:
        self.customers = CustomerRepository(self.session)
        self.opportunities = OpportunityRepository(self.session)
        self.approvals = ApprovalDecisionRepository(self.session)
