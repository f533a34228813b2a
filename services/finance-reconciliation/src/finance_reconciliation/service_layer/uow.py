from crm_shared.db import UnitOfWork

from finance_reconciliation.adapters.aging_repository import AgingRepository
from finance_reconciliation.adapters.contract_repository import ContractRepository
from finance_reconciliation.adapters.follow_up_repository import FollowUpRepository
from finance_reconciliation.adapters.layout_repository import LayoutRepository
from finance_reconciliation.adapters.ledger_repository import LedgerRepository
from finance_reconciliation.adapters.match_repository import MatchRepository
from finance_reconciliation.adapters.opportunity_repository import OpportunityRepository
from finance_reconciliation.adapters.plan_repository import PlanRepository
from finance_reconciliation.adapters.plan_template_repository import PlanTemplateRepository
from finance_reconciliation.adapters.rebate_repository import RebateRepository
from finance_reconciliation.adapters.receipt_repository import ReceiptRepository
from finance_reconciliation.adapters.rep_profile_repository import RepProfileRepository
from finance_reconciliation.adapters.rule_repository import RuleRepository
from finance_reconciliation.adapters.statement_repository import StatementRepository


class FinanceUnitOfWork(UnitOfWork):
    opportunities: OpportunityRepository
    match_rules: RuleRepository
    matches: MatchRepository
    statements: StatementRepository
    layouts: LayoutRepository
    contracts: ContractRepository
    plans: PlanRepository
    plan_templates: PlanTemplateRepository
    receipts: ReceiptRepository
    ledger: LedgerRepository
    rep_profiles: RepProfileRepository
    aging: AgingRepository
    follow_ups: FollowUpRepository
    rebates: RebateRepository

    def _open(self) -> None:
        # (tenant, customer) pairs whose payment figures publish_customer_stats publishes once at the end of
        # a batch instead of after every receipt (None: published at once, the default).
        self.stats_later: set[tuple[str, str]] | None = None
        self.opportunities = OpportunityRepository(self.session)
        self.match_rules = RuleRepository(self.session)
        self.matches = MatchRepository(self.session)
        self.statements = StatementRepository(self.session)
        self.layouts = LayoutRepository(self.session)
        self.contracts = ContractRepository(self.session)
        self.plans = PlanRepository(self.session)
        self.plan_templates = PlanTemplateRepository(self.session)
        self.receipts = ReceiptRepository(self.session)
        self.ledger = LedgerRepository(self.session)
        self.rep_profiles = RepProfileRepository(self.session)
        self.aging = AgingRepository(self.session)
        self.follow_ups = FollowUpRepository(self.session)
        self.rebates = RebateRepository(self.session)
