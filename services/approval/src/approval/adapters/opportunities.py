"""What approval asks opportunity about a request's subject for its facts:
the opportunity's amount and product line, its customer's province and value
tier. Asked as the tenant's system caller: the requester's own access to the
subject is checked by the engine before."""

from __future__ import annotations

from typing import Any

from crm.opportunity.v1 import customer_pb2, customer_pb2_grpc, opportunity_pb2, opportunity_pb2_grpc
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, NotFound, Unavailable
from crm_shared.grpc_client import Peer, rpc_code
from google.protobuf.message import Message

from approval.domain.facts import SubjectFacts

SERVICE = "approval"


class Opportunities:
    def __init__(self, address: str, timeout_s: float) -> None:
        self.peer = Peer("opportunity", address, timeout_s=timeout_s)

    async def _ask(self, rpc: Any, request: Message, tenant_id: str, what: str) -> Any:
        if not self.peer.address:
            raise Unavailable("approval does not know where opportunity is; nothing was changed")
        try:
            return await self.peer.call(rpc, request, Caller(tenant_id, SERVICE, "system"), decode=True)
        except NotFound:
            raise NotFound(f"{what} not found") from None
        except DomainError as error:
            raise Unavailable(
                f"opportunity could not be asked about {what} ({rpc_code(error).name}); nothing was changed"
            ) from error

    async def _customer(self, tenant_id: str, customer_id: str) -> customer_pb2.Customer:
        stub = self.peer.stub(customer_pb2_grpc.CustomerServiceStub)
        reply = await self._ask(
            stub.GetCustomer,
            customer_pb2.GetCustomerRequest(customer_id=customer_id),
            tenant_id,
            f"customer {customer_id}",
        )
        return reply.customer

    async def facts_of(self, tenant_id: str, subject_type: str, subject_id: str) -> SubjectFacts:
        """The subject's facts (NotFound when the tenant has no such subject)."""
        if subject_type == "customer":
            customer = await self._customer(tenant_id, subject_id)
            return SubjectFacts(
                region=customer.location.province, city=customer.location.city, customer_tier=customer.value_tier
            )
        stub = self.peer.stub(opportunity_pb2_grpc.OpportunityServiceStub)
        reply = await self._ask(
            stub.GetOpportunity,
            opportunity_pb2.GetOpportunityRequest(opportunity_id=subject_id),
            tenant_id,
            f"opportunity {subject_id}",
        )
        opp = reply.opportunity
        customer = await self._customer(tenant_id, opp.customer_id) if opp.customer_id else None
        return SubjectFacts(
            amount_minor=opp.amount.amount_minor if opp.HasField("amount") else None,
            currency=opp.amount.currency or "CNY",
            region=customer.location.province if customer else "",
            city=customer.location.city if customer else "",
            product_line=opp.product_line,
            customer_tier=customer.value_tier if customer else "",
        )

    async def close(self) -> None:
        await self.peer.close()
