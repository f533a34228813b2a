"""Whether a partner still acts for a current distributor is lead-routing's
answer (docs/adr/0010-partner-portal.md: `partners.partner_distributor`),
asked at every partner call by the services that answer partners from the
token's organisation alone (finance's rebates, opportunity's sales lists):
a deactivated distributor, an ended contract or a removed user then cuts the
user off everywhere from the next call on, and no service keeps its own list.

    await partners.require(caller)  # before the unit of work opens

does nothing for anyone but a partner; for a partner it asks lead-routing's
GetOwnDistributor *as the partner* (their identity, signed by the calling
service as every call is) and raises PermissionDenied with lead-routing's
own words when it refuses them, Unavailable when lead-routing cannot be
asked (not configured, down, slow, or failing otherwise): nothing is then
answered, so nothing leaks."""

from __future__ import annotations

from crm.lead_routing.v1 import partner_pb2, partner_pb2_grpc

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, PermissionDenied, Unavailable
from crm_shared.grpc_client import Peer, rpc_code
from crm_shared.logs import get_logger

log = get_logger("crm.partner_check")

LEAD_ROUTING = "lead-routing"
DEFAULT_TIMEOUT_S = 5.0


class PartnerCheck:
    """A client of lead-routing's GetOwnDistributor for one calling service
    (`address` empty: every partner call is Unavailable). The channel opens
    on first use."""

    def __init__(self, address: str = "", service: str = "", timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.service = service
        self.peer = Peer(LEAD_ROUTING, address, timeout_s=timeout_s)

    async def require(self, caller: Caller) -> None:
        """Nothing for the manufacturer's users and services; for a partner,
        lead-routing's refusal (PermissionDenied) or Unavailable."""
        if caller.role != roles.PARTNER:
            return
        if not self.peer.address:
            raise Unavailable(f"{self.service or 'this service'} does not know where lead-routing is; try again later")
        stub = self.peer.stub(partner_pb2_grpc.DistributorServiceStub)
        try:
            await self.peer.call(stub.GetOwnDistributor, partner_pb2.GetOwnDistributorRequest(), caller, decode=True)
        except PermissionDenied:
            raise  # "not a user of an active distributor", as lead-routing's own partner routes answer
        except DomainError as error:
            code = rpc_code(error).name
            log.warning("partner check failed", code=code, message=error.message)
            raise Unavailable(f"lead-routing could not be asked about the caller's distributor ({code})") from error

    async def close(self) -> None:
        await self.peer.close()
