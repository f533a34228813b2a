"""gRPC servicer of EcnService: translates requests to handler calls and ECNs to messages."""

from __future__ import annotations

import grpc
from crm.document_versioning.v1 import ecn_pb2 as pb
from crm.document_versioning.v1 import ecn_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from document_versioning.domain.ecn import Ecn
from document_versioning.service_layer.contracts import SignedFile
from document_versioning.service_layer.ecns import EcnHandlers, order_fields


def ecn_message(ecn: Ecn) -> pb.Ecn:
    return pb.Ecn(
        ecn_id=ecn.ecn_id,
        number=ecn.number,
        title=ecn.title,
        change=ecn.change,
        effective_date=ecn.effective_date.isoformat(),
        affected_models=list(ecn.affected_models),
        document_id=ecn.document_id,
        version_id=ecn.version_id,
        published_by=ecn.published_by,
        published_at=timestamp(ecn.published_at),
        orders=[pb.EcnAffectedOrder(**order_fields(o)) for o in ecn.orders],
    )


class EcnServicer(pb_grpc.EcnServiceServicer):
    def __init__(self, handlers: EcnHandlers) -> None:
        self.handlers = handlers

    async def PublishEcn(
        self, request: pb.PublishEcnRequest, context: grpc.aio.ServicerContext
    ) -> pb.PublishEcnResponse:
        ecn = await self.handlers.publish(
            current_caller(),
            number=request.number,
            title=request.title,
            change=request.change,
            effective_date=request.effective_date,
            affected_models=list(request.affected_models),
            notice=SignedFile(request.filename, request.content_type, request.content),
        )
        return pb.PublishEcnResponse(ecn=ecn_message(ecn))

    async def GetEcn(self, request: pb.GetEcnRequest, context: grpc.aio.ServicerContext) -> pb.GetEcnResponse:
        return pb.GetEcnResponse(ecn=ecn_message(await self.handlers.get(current_caller(), request.ecn_id)))

    async def ListEcns(self, request: pb.ListEcnsRequest, context: grpc.aio.ServicerContext) -> pb.ListEcnsResponse:
        return pb.ListEcnsResponse(ecns=[ecn_message(e) for e in await self.handlers.list(current_caller())])
