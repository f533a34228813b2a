"""Opportunity's answer to "whose opportunity is this" (its customer), asked
once when a contract is opened: contract.signed names the customer, and
documents keep no projection of opportunities."""

from __future__ import annotations

from crm.opportunity.v1 import opportunity_pb2, opportunity_pb2_grpc
from crm_shared.context import Caller
from crm_shared.domain.errors import Unavailable
from crm_shared.grpc_client import Peer


class OpportunityDirectory:
    def __init__(self, address: str, timeout_s: float) -> None:
        self.peer = Peer("opportunity", address, timeout_s=timeout_s)

    async def customer_of(self, caller: Caller, opportunity_id: str) -> str:
        """The opportunity's customer id, asked as the caller (who may read it: checked before)."""
        if not self.peer.address:
            raise Unavailable("document-versioning does not know where opportunity is; nothing was changed")
        stub = self.peer.stub(opportunity_pb2_grpc.OpportunityServiceStub)
        reply = await self.peer.call(
            stub.GetOpportunity,
            opportunity_pb2.GetOpportunityRequest(opportunity_id=opportunity_id),
            caller,
            decode=True,
        )
        return reply.opportunity.customer_id

    async def close(self) -> None:
        await self.peer.close()
