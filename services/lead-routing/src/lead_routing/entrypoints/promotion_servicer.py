"""gRPC servicer of PromotionService: requests to handler calls, programmes and applications to messages."""

from __future__ import annotations

import grpc
from crm.common.v1.common_pb2 import Money
from crm.lead_routing.v1 import promotion_pb2 as pb
from crm.lead_routing.v1 import promotion_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from lead_routing.domain.promotion import Application, ApplicationInput, Programme, TermsInput
from lead_routing.service_layer.promotions import PromotionHandlers


def programme_message(p: Programme) -> pb.Programme:
    t = p.terms
    return pb.Programme(
        programme_id=p.programme_id,
        terms=pb.ProgrammeTerms(
            name=t.name,
            conditions=t.conditions,
            starts_on=t.starts_on.isoformat(),
            ends_on=t.ends_on.isoformat(),
            product_lines=t.product_lines,
            benefit=t.benefit,
            discount_percent=t.discount_percent,
            support_amount=Money(amount_minor=t.support_amount_minor, currency=t.currency),
        ),
        status=p.status,
        created_by=p.created_by,
        created_at=timestamp(p.created_at),
        updated_at=timestamp(p.updated_at),
        published_at=timestamp(p.published_at),
        version=p.version,
    )


def application_message(a: Application) -> pb.Application:
    return pb.Application(
        application_id=a.application_id,
        programme_id=a.programme_id,
        programme_name=a.programme_name,
        distributor_id=a.distributor_id,
        applicant_id=a.applicant_id,
        registration_id=a.registration_id,
        period_starts_on=a.period_starts_on.isoformat() if a.period_starts_on else "",
        period_ends_on=a.period_ends_on.isoformat() if a.period_ends_on else "",
        amount_asked=Money(amount_minor=a.amount_asked_minor, currency=a.currency),
        note=a.note,
        status=a.status,
        approval_id=a.approval_id,
        decision=a.decision,
        decision_comment=a.decision_comment,
        decided_at=timestamp(a.decided_at),
        created_at=timestamp(a.created_at),
        updated_at=timestamp(a.updated_at),
    )


def _terms(t: pb.ProgrammeTerms) -> TermsInput:
    return TermsInput(
        name=t.name,
        conditions=t.conditions,
        starts_on=t.starts_on,
        ends_on=t.ends_on,
        product_lines=tuple(t.product_lines),
        benefit=t.benefit,
        discount_percent=t.discount_percent,
        support_amount_minor=t.support_amount.amount_minor,
        currency=t.support_amount.currency,
    )


class PromotionServicer(pb_grpc.PromotionServiceServicer):
    def __init__(self, handlers: PromotionHandlers) -> None:
        self.handlers = handlers

    async def CreateProgramme(
        self, request: pb.CreateProgrammeRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateProgrammeResponse:
        made = await self.handlers.create_programme(current_caller(), _terms(request.terms), request.status)
        return pb.CreateProgrammeResponse(programme=programme_message(made))

    async def UpdateProgramme(
        self, request: pb.UpdateProgrammeRequest, context: grpc.aio.ServicerContext
    ) -> pb.UpdateProgrammeResponse:
        saved = await self.handlers.update_programme(
            current_caller(), request.programme_id, _terms(request.terms), request.status, request.version
        )
        return pb.UpdateProgrammeResponse(programme=programme_message(saved))

    async def GetProgramme(
        self, request: pb.GetProgrammeRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetProgrammeResponse:
        found = await self.handlers.get_programme(current_caller(), request.programme_id)
        return pb.GetProgrammeResponse(programme=programme_message(found))

    async def ListProgrammes(
        self, request: pb.ListProgrammesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListProgrammesResponse:
        page = await self.handlers.list_programmes(
            current_caller(), request.status, request.page_size, request.page_token
        )
        return pb.ListProgrammesResponse(
            programmes=[programme_message(p) for p in page.items], next_page_token=page.next_page_token
        )

    async def SubmitApplication(
        self, request: pb.SubmitApplicationRequest, context: grpc.aio.ServicerContext
    ) -> pb.SubmitApplicationResponse:
        asked = request.amount_asked if request.HasField("amount_asked") else None
        cmd = ApplicationInput(
            programme_id=request.programme_id,
            registration_id=request.registration_id,
            period_starts_on=request.period_starts_on,
            period_ends_on=request.period_ends_on,
            amount_asked_minor=asked.amount_minor if asked is not None else None,
            currency=asked.currency if asked is not None else "",
            note=request.note,
        )
        made = await self.handlers.submit_application(current_caller(), cmd)
        return pb.SubmitApplicationResponse(application=application_message(made))

    async def GetApplication(
        self, request: pb.GetApplicationRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetApplicationResponse:
        found = await self.handlers.get_application(current_caller(), request.application_id)
        return pb.GetApplicationResponse(application=application_message(found))

    async def ListApplications(
        self, request: pb.ListApplicationsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListApplicationsResponse:
        page = await self.handlers.list_applications(
            current_caller(),
            request.programme_id,
            request.status,
            request.distributor_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListApplicationsResponse(
            applications=[application_message(a) for a in page.items], next_page_token=page.next_page_token
        )
