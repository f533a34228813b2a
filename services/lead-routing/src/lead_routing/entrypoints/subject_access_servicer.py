"""gRPC PartnerSubjectAccessService: translates a question to the handler and its answer to a message."""

from __future__ import annotations

import grpc
from crm.lead_routing.v1 import partner_access_pb2_grpc as pb_grpc
from crm.opportunity.v1 import access_pb2 as pb
from crm_shared.grpc_server import current_caller

from lead_routing.service_layer.partner_access import PartnerAccessHandlers


class PartnerSubjectAccessServicer(pb_grpc.PartnerSubjectAccessServiceServicer):
    def __init__(self, handlers: PartnerAccessHandlers) -> None:
        self.handlers = handlers

    async def CheckSubjectAccess(
        self, request: pb.CheckSubjectAccessRequest, context: grpc.aio.ServicerContext
    ) -> pb.CheckSubjectAccessResponse:
        access = await self.handlers.check(
            current_caller(),
            tenant_id=request.tenant_id,
            user_id=request.user_id,
            role=request.role,
            organisation=request.organisation,
            subject_type=request.subject_type,
            subject_id=request.subject_id,
        )
        return pb.CheckSubjectAccessResponse(exists=access.exists, readable=access.readable, writable=access.writable)
