"""gRPC servicer of ProtectionService: requests to handler calls, extensions and terms to messages."""

from __future__ import annotations

import grpc
from crm.lead_routing.v1 import protection_pb2 as pb
from crm.lead_routing.v1 import protection_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from lead_routing.domain.protection import Extension, ProtectionTerms, as_seen_by
from lead_routing.service_layer.protection import ProtectionHandlers


def extension_message(x: Extension) -> pb.ProtectionExtension:
    return pb.ProtectionExtension(
        extension_id=x.extension_id,
        registration_id=x.registration_id,
        days=x.days,
        reason=x.reason,
        requested_by=x.requested_by,
        requested_at=timestamp(x.requested_at),
        status=x.status,
        approval_id=x.approval_id,
        decision_comment=x.decision_comment,
        decided_at=timestamp(x.decided_at),
    )


def terms_message(t: ProtectionTerms) -> pb.ProtectionTerms:
    return pb.ProtectionTerms(
        protection_days=t.protection_days,
        max_extension_days=t.max_extension_days,
        updated_by=t.updated_by,
        updated_at=timestamp(t.updated_at),
    )


class ProtectionServicer(pb_grpc.ProtectionServiceServicer):
    def __init__(self, handlers: ProtectionHandlers) -> None:
        self.handlers = handlers

    async def RequestExtension(
        self, request: pb.RequestExtensionRequest, context: grpc.aio.ServicerContext
    ) -> pb.RequestExtensionResponse:
        caller = current_caller()
        done = await self.handlers.request_extension(caller, request.registration_id, request.days, request.reason)
        return pb.RequestExtensionResponse(extension=extension_message(as_seen_by(caller.role, done)))

    async def ListExtensions(
        self, request: pb.ListExtensionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListExtensionsResponse:
        caller = current_caller()
        found = await self.handlers.list_extensions(caller, request.registration_id)
        return pb.ListExtensionsResponse(extensions=[extension_message(as_seen_by(caller.role, x)) for x in found])

    async def GetProtectionTerms(
        self, request: pb.GetProtectionTermsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetProtectionTermsResponse:
        return pb.GetProtectionTermsResponse(terms=terms_message(await self.handlers.terms(current_caller())))

    async def SetProtectionTerms(
        self, request: pb.SetProtectionTermsRequest, context: grpc.aio.ServicerContext
    ) -> pb.SetProtectionTermsResponse:
        terms = await self.handlers.set_terms(current_caller(), request.protection_days, request.max_extension_days)
        return pb.SetProtectionTermsResponse(terms=terms_message(terms))
