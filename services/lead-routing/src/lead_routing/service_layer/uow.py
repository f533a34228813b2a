from crm_shared.db import UnitOfWork

from lead_routing.adapters.assignment_repository import AssignmentRepository
from lead_routing.adapters.distributor_repository import DistributorRepository
from lead_routing.adapters.lead_repository import LeadRepository
from lead_routing.adapters.pool_repository import PoolRepository
from lead_routing.adapters.promotion_application_repository import PromotionApplicationRepository
from lead_routing.adapters.promotion_programme_repository import PromotionProgrammeRepository
from lead_routing.adapters.protection_repository import ProtectionRepository
from lead_routing.adapters.registration_repository import RegistrationRepository
from lead_routing.adapters.rep_repository import RepRepository
from lead_routing.adapters.rule_set_repository import RuleSetRepository


class LeadRoutingUnitOfWork(UnitOfWork):
    """One repository per aggregate (and one for the ranked pool)."""

    leads: LeadRepository
    reps: RepRepository
    rules: RuleSetRepository
    assignments: AssignmentRepository
    pool: PoolRepository
    distributors: DistributorRepository
    registrations: RegistrationRepository
    promotion_programmes: PromotionProgrammeRepository
    promotion_applications: PromotionApplicationRepository
    protection: ProtectionRepository

    def _open(self) -> None:
        postgres = self.db.is_postgres
        self.leads = LeadRepository(self.session, postgres)
        self.reps = RepRepository(self.session, postgres)
        self.rules = RuleSetRepository(self.session)
        self.assignments = AssignmentRepository(self.session)
        self.pool = PoolRepository(self.session, postgres)
        self.distributors = DistributorRepository(self.session)
        self.registrations = RegistrationRepository(self.session, postgres)
        self.promotion_programmes = PromotionProgrammeRepository(self.session)
        self.promotion_applications = PromotionApplicationRepository(self.session)
        self.protection = ProtectionRepository(self.session, postgres)
