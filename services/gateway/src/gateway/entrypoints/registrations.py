"""Deal registrations (报备) of the partner portal (lead-routing decides and
stores them): a partner registers a customer for their organisation and
reads their organisation's registrations (the outcome, status, decision and
its public comment, protection dates — never the conflicts); the
manufacturer reads them with the conflicts, and the channel manager decides
clashes (撞单) with both registrations side by side."""

from __future__ import annotations

from typing import Annotated

from crm.lead_routing.v1 import registration_pb2 as pb
from crm_shared.limits import MAX_ID
from crm_shared.roles import (
    CLASH_DECIDERS,
    REGISTRANTS,
    REGISTRATION_READERS,
    REGISTRATION_TERMS_EDITORS,
    REGISTRATION_TERMS_READERS,
)
from fastapi import APIRouter, Query
from pydantic import Field

from gateway.adapters.stubs import registrations
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Int32, Money, PageSize, PageToken, PathId, Text

router = APIRouter(prefix="/v1")

# The service's own bounds (lead_routing.domain.registration) are checked there, by field; these bound the shape.
Phone = Annotated[str, Field(max_length=32)]
Status = Annotated[str, Query(max_length=20)]


class SubmitRegistration(Body):
    """The end customer and the expected deal. The customer needs a phone or a 统一社会信用代码; the place is
    resolved to its 行政区划 names as lead intake does."""

    company_name: Text
    credit_code: Annotated[str, Field(max_length=32, description="统一社会信用代码")] = ""
    phone: Phone = ""
    province: Text = ""
    city: Text = ""
    district: Text = ""
    industry: Text = ""
    contact_name: Text = ""
    contact_phone: Phone = ""
    product_line: Text = ""
    models: Annotated[list[Text], Field(max_length=50, default_factory=list)]
    quantity: Annotated[Int32, Field(ge=0, le=1_000_000)] = 0
    expected_amount: Money
    expected_close_date: Annotated[str, Field(max_length=10, description="YYYY-MM-DD, or empty")] = ""


class SetRegistrationTerms(Body):
    check_window_days: Annotated[Int32, Field(ge=1, le=365, description="a clash: registered this many days apart")]


class DecideClash(Body):
    winner_registration_id: Annotated[str, Field(max_length=MAX_ID, description="the registration that goes on")]
    comment: Annotated[str, Field(max_length=1000, description="shown to both partners")] = ""


# --- the partner's portal ---------------------------------------------------


@router.post(
    "/partner/registrations",
    status_code=201,
    summary="Register an end customer and the expected deal for my organisation (partners); the outcome at once: "
    "no_conflict, under_review or refused",
    dependencies=[allow(REGISTRANTS)],
    response_model=reply(registrations.SubmitRegistration),
)
async def submit_registration(body: SubmitRegistration, rpc: RpcDep) -> dict:
    request = pb.SubmitRegistrationRequest(customer=to_proto(body, pb.RegistrationInput()))
    return await rpc(registrations.SubmitRegistration, request)


@router.get(
    "/partner/registrations",
    summary="My organisation's registrations, newest first (partners)",
    dependencies=[allow(REGISTRANTS)],
    response_model=reply(registrations.ListRegistrations),
)
async def list_partner_registrations(
    rpc: RpcDep, page_size: PageSize = 0, page_token: PageToken = "", status: Status = ""
) -> dict:
    request = pb.ListRegistrationsRequest(page_size=page_size, page_token=page_token, status=status)
    return await rpc(registrations.ListRegistrations, request)


@router.get(
    "/partner/registrations/{registration_id}",
    summary="One of my organisation's registrations (partners)",
    dependencies=[allow(REGISTRANTS)],
    response_model=reply(registrations.GetRegistration),
)
async def get_partner_registration(registration_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(registrations.GetRegistration, pb.GetRegistrationRequest(registration_id=registration_id))


# --- the manufacturer -------------------------------------------------------


@router.get(
    "/registrations",
    summary="The tenant's registrations with their conflicts, newest first (managers, admins)",
    dependencies=[allow(REGISTRATION_READERS)],
    response_model=reply(registrations.ListRegistrations),
)
async def list_registrations(
    rpc: RpcDep,
    page_size: PageSize = 0,
    page_token: PageToken = "",
    status: Status = "",
    distributor_id: Annotated[str, Query(max_length=MAX_ID)] = "",
) -> dict:
    request = pb.ListRegistrationsRequest(
        page_size=page_size, page_token=page_token, status=status, distributor_id=distributor_id
    )
    return await rpc(registrations.ListRegistrations, request)


@router.get(
    "/registrations/clashes",
    summary="Clashes (撞单) with both registrations side by side: a channel manager's distributors', an admin's all",
    dependencies=[allow(CLASH_DECIDERS)],
    response_model=reply(registrations.ListClashes),
)
async def list_clashes(rpc: RpcDep, status: Status = "", page_size: PageSize = 0) -> dict:
    return await rpc(registrations.ListClashes, pb.ListClashesRequest(status=status, page_size=page_size))


@router.get(
    "/registrations/clashes/{clash_id}",
    summary="One clash (the channel manager of both distributors, admins)",
    dependencies=[allow(CLASH_DECIDERS)],
    response_model=reply(registrations.GetClash),
)
async def get_clash(clash_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(registrations.GetClash, pb.GetClashRequest(clash_id=clash_id))


@router.post(
    "/registrations/clashes/{clash_id}/decide",
    summary="Decide a clash: the registration that goes on (its approval is submitted); the other is refused",
    dependencies=[allow(CLASH_DECIDERS)],
    response_model=reply(registrations.DecideClash),
)
async def decide_clash(clash_id: PathId, body: DecideClash, rpc: RpcDep) -> dict:
    request = pb.DecideClashRequest(
        clash_id=clash_id, winner_registration_id=body.winner_registration_id, comment=body.comment
    )
    return await rpc(registrations.DecideClash, request)


@router.get(
    "/registration-terms",
    summary="The tenant's registration terms: the check window of clashes, in days (managers, admins)",
    dependencies=[allow(REGISTRATION_TERMS_READERS)],
    response_model=reply(registrations.GetRegistrationTerms),
)
async def get_registration_terms(rpc: RpcDep) -> dict:
    return await rpc(registrations.GetRegistrationTerms, pb.GetRegistrationTermsRequest())


@router.put(
    "/registration-terms",
    summary="Set the tenant's registration terms (admins)",
    dependencies=[allow(REGISTRATION_TERMS_EDITORS)],
    response_model=reply(registrations.SetRegistrationTerms),
)
async def set_registration_terms(body: SetRegistrationTerms, rpc: RpcDep) -> dict:
    request = pb.SetRegistrationTermsRequest(check_window_days=body.check_window_days)
    return await rpc(registrations.SetRegistrationTerms, request)


@router.get(
    "/registrations/{registration_id}",
    summary="One registration with its conflicts (managers, admins)",
    dependencies=[allow(REGISTRATION_READERS)],
    response_model=reply(registrations.GetRegistration),
)
async def get_registration(registration_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(registrations.GetRegistration, pb.GetRegistrationRequest(registration_id=registration_id))
