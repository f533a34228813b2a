from crm_shared.db import UnitOfWork
from lead_routing.adapters.repository import LeadRepository, RepRepository


class LeadRoutingUnitOfWork(UnitOfWork):
    leads: LeadRepository
    reps: RepRepository

    def _open(self) -> None:
        self.leads = LeadRepository(self.session)
        self.reps = RepRepository(self.session)
