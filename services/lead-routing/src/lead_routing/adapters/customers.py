"""Lead-routing's client of opportunity's customer master, for the
registration check: the customers that could be a registered company
(CustomerService.FindCustomers), as the duplicate rule reads them
(domain.duplicates.KnownLead, the customer's id in lead_id). Asked as
lead-routing's system caller; any failure is Unavailable (nothing is stored:
the partner may submit again)."""

from __future__ import annotations

from datetime import UTC

from crm.opportunity.v1 import customer_pb2, customer_pb2_grpc
from crm_shared.domain.errors import DomainError, Unavailable
from crm_shared.grpc_client import Peer

from lead_routing.adapters.approvals import system_caller
from lead_routing.domain.duplicates import KnownLead


class Customers:
    def __init__(self, peer: Peer) -> None:
        self.peer = peer

    @property
    def configured(self) -> bool:
        return bool(self.peer.address)

    async def candidates(self, tenant_id: str, *, credit_code: str, phone: str, city: str) -> list[KnownLead]:
        """[] when opportunity's address is not configured (a lead-routing on its own)."""
        if not self.configured:
            return []
        stub = self.peer.stub(customer_pb2_grpc.CustomerServiceStub)
        request = customer_pb2.FindCustomersRequest(credit_code=credit_code, phone=phone, city=city)
        try:
            reply = await self.peer.call(stub.FindCustomers, request, system_caller(tenant_id), decode=True)
        except DomainError as error:
            raise Unavailable(f"the customers could not be checked, nothing was registered: {error}") from error
        return [
            KnownLead(
                c.customer_id,
                c.name,
                c.credit_code or None,
                c.phone or None,
                c.city,
                c.created_at.ToDatetime(tzinfo=UTC),
            )
            for c in reply.customers
        ]

    async def close(self) -> None:
        await self.peer.close()
