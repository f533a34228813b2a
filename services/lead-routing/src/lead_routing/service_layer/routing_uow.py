from lead_routing.adapters.routing_repository import RoutingRepository
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


class RoutingUnitOfWork(LeadRoutingUnitOfWork):
    """The lead-routing unit of work plus the routing repository."""

    routing: RoutingRepository

    def _open(self) -> None:
        super()._open()
        self.routing = RoutingRepository(self.session, self.db.is_postgres)
