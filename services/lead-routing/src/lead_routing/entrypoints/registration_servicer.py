"""gRPC servicer of RegistrationService: requests to handler calls,
registrations and clashes to messages (a partner's view without conflicts)."""

from __future__ import annotations

import grpc
from crm.common.v1.common_pb2 import Money
from crm.lead_routing.v1 import registration_pb2 as pb
from crm.lead_routing.v1 import registration_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from lead_routing.domain.registration import RegistrationInput, RegistrationTerms
from lead_routing.service_layer.registrations import ClashView, RegistrationHandlers, RegistrationView


def registration_message(view: RegistrationView) -> pb.Registration:
    r = view.shown
    return pb.Registration(
        registration_id=r.registration_id,
        distributor_id=r.distributor_id,
        distributor_name=view.distributor_name,
        registered_by=r.registered_by,
        customer=pb.RegistrationInput(
            company_name=r.company_name,
            credit_code=r.credit_code,
            phone=r.phone,
            province=r.province,
            city=r.city,
            district=r.district,
            industry=r.industry,
            contact_name=r.contact_name,
            contact_phone=r.contact_phone,
            product_line=r.product_line,
            models=r.models,
            quantity=r.quantity,
            expected_amount=Money(amount_minor=r.expected_amount, currency=r.currency),
            expected_close_date=r.expected_close_date.isoformat() if r.expected_close_date else "",
        ),
        status=r.status,
        outcome=r.outcome,
        conflicts=[
            pb.RegistrationConflict(kind=c.kind, matched_by=c.matched_by, object_id=c.object_id, detail=c.detail)
            for c in r.conflicts
        ],
        approval_id=r.approval_id,
        decision=r.decision,
        decision_comment=r.decision_comment,
        lead_id=r.lead_id,
        protected_from=timestamp(r.protected_from) if r.protected_from else None,
        protected_until=timestamp(r.protected_until) if r.protected_until else None,
        extensions=r.extensions,
        created_at=timestamp(r.created_at),
        updated_at=timestamp(r.updated_at),
        version=r.version,
    )


def clash_message(view: ClashView) -> pb.Clash:
    c = view.clash
    return pb.Clash(
        clash_id=c.clash_id,
        first=registration_message(view.first),
        second=registration_message(view.second),
        matched_by=c.matched_by,
        status=c.status,
        winner_registration_id=c.winner_registration_id,
        decided_by=c.decided_by,
        decided_at=timestamp(c.decided_at) if c.decided_at else None,
        comment=c.comment,
        created_at=timestamp(c.created_at),
        version=c.version,
    )


def terms_message(terms: RegistrationTerms) -> pb.RegistrationTerms:
    return pb.RegistrationTerms(
        check_window_days=terms.check_window_days,
        updated_by=terms.updated_by,
        updated_at=timestamp(terms.updated_at) if terms.updated_at else None,
    )


def _input(m: pb.RegistrationInput) -> RegistrationInput:
    amount = m.expected_amount if m.HasField("expected_amount") else None
    return RegistrationInput(
        company_name=m.company_name,
        credit_code=m.credit_code,
        phone=m.phone,
        province=m.province,
        city=m.city,
        district=m.district,
        industry=m.industry,
        contact_name=m.contact_name,
        contact_phone=m.contact_phone,
        product_line=m.product_line,
        models=tuple(m.models),
        quantity=m.quantity,
        expected_amount=amount.amount_minor if amount is not None else None,
        currency=(amount.currency if amount is not None else "") or "CNY",
        expected_close_date=m.expected_close_date,
    )


class RegistrationServicer(pb_grpc.RegistrationServiceServicer):
    def __init__(self, handlers: RegistrationHandlers) -> None:
        self.handlers = handlers

    async def SubmitRegistration(
        self, request: pb.SubmitRegistrationRequest, context: grpc.aio.ServicerContext
    ) -> pb.SubmitRegistrationResponse:
        made = await self.handlers.submit(current_caller(), _input(request.customer))
        return pb.SubmitRegistrationResponse(registration=registration_message(made))

    async def GetRegistration(
        self, request: pb.GetRegistrationRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetRegistrationResponse:
        found = await self.handlers.get(current_caller(), request.registration_id)
        return pb.GetRegistrationResponse(registration=registration_message(found))

    async def ListRegistrations(
        self, request: pb.ListRegistrationsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListRegistrationsResponse:
        found, token = await self.handlers.list(
            current_caller(),
            status=request.status,
            distributor_id=request.distributor_id,
            size=request.page_size,
            token=request.page_token,
        )
        return pb.ListRegistrationsResponse(
            registrations=[registration_message(r) for r in found], next_page_token=token
        )

    async def ListClashes(
        self, request: pb.ListClashesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListClashesResponse:
        found = await self.handlers.clashes(current_caller(), status=request.status, size=request.page_size)
        return pb.ListClashesResponse(clashes=[clash_message(c) for c in found])

    async def GetClash(self, request: pb.GetClashRequest, context: grpc.aio.ServicerContext) -> pb.GetClashResponse:
        return pb.GetClashResponse(
            clash=clash_message(await self.handlers.get_clash(current_caller(), request.clash_id))
        )

    async def DecideClash(
        self, request: pb.DecideClashRequest, context: grpc.aio.ServicerContext
    ) -> pb.DecideClashResponse:
        decided = await self.handlers.decide_clash(
            current_caller(), request.clash_id, request.winner_registration_id, request.comment
        )
        return pb.DecideClashResponse(clash=clash_message(decided))

    async def GetRegistrationTerms(
        self, request: pb.GetRegistrationTermsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetRegistrationTermsResponse:
        return pb.GetRegistrationTermsResponse(terms=terms_message(await self.handlers.terms(current_caller())))

    async def SetRegistrationTerms(
        self, request: pb.SetRegistrationTermsRequest, context: grpc.aio.ServicerContext
    ) -> pb.SetRegistrationTermsResponse:
        saved = await self.handlers.set_terms(current_caller(), request.check_window_days)
        return pb.SetRegistrationTermsResponse(terms=terms_message(saved))
