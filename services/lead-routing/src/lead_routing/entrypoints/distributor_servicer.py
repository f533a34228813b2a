"""gRPC servicer of DistributorService: requests to handler calls, distributors to messages."""

from __future__ import annotations

import grpc
from crm.lead_routing.v1 import partner_pb2 as pb
from crm.lead_routing.v1 import partner_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from lead_routing.domain.distributor import DistributorInput, TerritoryInput
from lead_routing.service_layer.distributors import DistributorHandlers, DistributorView


def distributor_message(view: DistributorView) -> pb.Distributor:
    d, t = view.distributor, view.distributor.territory
    return pb.Distributor(
        distributor_id=d.distributor_id,
        details=pb.DistributorDetails(
            name=d.name,
            credit_code=d.credit_code,
            territory=pb.Territory(
                provinces=t.provinces, cities=t.cities, industries=t.industries, accounts=t.accounts
            ),
            tier=d.tier,
            contract_starts=d.contract_starts.isoformat() if d.contract_starts else "",
            contract_ends=d.contract_ends.isoformat() if d.contract_ends else "",
            users=d.users,
            channel_manager_id=d.channel_manager_id,
            active=d.active,
        ),
        version=d.version,
        updated_by=d.updated_by,
        created_at=timestamp(d.created_at),
        updated_at=timestamp(d.updated_at),
        in_contract=view.current,
    )


def _input(distributor_id: str, details: pb.DistributorDetails, version: int = 0) -> DistributorInput:
    t = details.territory
    return DistributorInput(
        distributor_id=distributor_id,
        name=details.name,
        credit_code=details.credit_code,
        territory=TerritoryInput(
            provinces=tuple(t.provinces),
            cities=tuple(t.cities),
            industries=tuple(t.industries),
            accounts=tuple(t.accounts),
        ),
        tier=details.tier,
        contract_starts=details.contract_starts,
        contract_ends=details.contract_ends,
        users=tuple(details.users),
        channel_manager_id=details.channel_manager_id,
        active=details.active if details.HasField("active") else True,
        version=version,
    )


class DistributorServicer(pb_grpc.DistributorServiceServicer):
    def __init__(self, handlers: DistributorHandlers) -> None:
        self.handlers = handlers

    async def CreateDistributor(
        self, request: pb.CreateDistributorRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateDistributorResponse:
        made = await self.handlers.create(current_caller(), _input(request.distributor_id, request.details))
        return pb.CreateDistributorResponse(distributor=distributor_message(made))

    async def UpdateDistributor(
        self, request: pb.UpdateDistributorRequest, context: grpc.aio.ServicerContext
    ) -> pb.UpdateDistributorResponse:
        cmd = _input(request.distributor_id, request.details, request.version)
        saved, changed = await self.handlers.update(current_caller(), cmd)
        return pb.UpdateDistributorResponse(distributor=distributor_message(saved), changed=changed)

    async def GetDistributor(
        self, request: pb.GetDistributorRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetDistributorResponse:
        found = await self.handlers.get(current_caller(), request.distributor_id)
        return pb.GetDistributorResponse(distributor=distributor_message(found))

    async def ListDistributors(
        self, request: pb.ListDistributorsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListDistributorsResponse:
        active = request.active if request.HasField("active") else None
        found = await self.handlers.list(current_caller(), active=active, channel_manager_id=request.channel_manager_id)
        return pb.ListDistributorsResponse(distributors=[distributor_message(d) for d in found])

    async def GetOwnDistributor(
        self, request: pb.GetOwnDistributorRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetOwnDistributorResponse:
        return pb.GetOwnDistributorResponse(distributor=distributor_message(await self.handlers.own(current_caller())))
