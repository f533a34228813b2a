from crm_shared.db import UnitOfWork
from lead_routing.adapters.repository import LeadRepository


class LeadRoutingUnitOfWork(UnitOfWork):
    leads: LeadRepository

    def _open(self) -> None:
        self.leads = LeadRepository(self.session)
