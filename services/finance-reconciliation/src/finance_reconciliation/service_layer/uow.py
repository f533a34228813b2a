from crm_shared.db import UnitOfWork

from finance_reconciliation.adapters.layout_repository import LayoutRepository
from finance_reconciliation.adapters.match_repository import MatchRepository
from finance_reconciliation.adapters.opportunity_repository import OpportunityRepository
from finance_reconciliation.adapters.payment_repository import PaymentRepository
from finance_reconciliation.adapters.rule_repository import RuleRepository
from finance_reconciliation.adapters.statement_repository import StatementRepository


class FinanceUnitOfWork(UnitOfWork):
    opportunities: OpportunityRepository
    payments: PaymentRepository
    match_rules: RuleRepository
    matches: MatchRepository
    statements: StatementRepository
    layouts: LayoutRepository

    def _open(self) -> None:
        self.opportunities = OpportunityRepository(self.session)
        self.payments = PaymentRepository(self.session)
        self.match_rules = RuleRepository(self.session)
        self.matches = MatchRepository(self.session)
        self.statements = StatementRepository(self.session)
        self.layouts = LayoutRepository(self.session)
