"""The protection window of approved deal registrations (lead-routing): a
partner asks to extend their own registration's protection (approval decides)
and follows the request; managers and admins read a registration's
extensions; admins set the tenant's terms."""

from __future__ import annotations

from typing import Annotated

from crm.lead_routing.v1 import protection_pb2 as pb
from crm_shared.roles import (
    PROTECTION_TERMS_EDITORS,
    PROTECTION_TERMS_READERS,
    REGISTRANTS,
    REGISTRATION_READERS,
)
from fastapi import APIRouter
from pydantic import Field

from gateway.adapters.stubs import protection
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Int32, PathId

router = APIRouter(prefix="/v1")

# The tenant's own bounds (lead_routing.domain.protection) are checked there, by field; these bound the shape.
Days = Annotated[Int32, Field(ge=1, le=365)]


class ExtensionRequest(Body):
    days: Annotated[Days, Field(description="more days asked (at most the tenant's max_extension_days)")]
    reason: Annotated[str, Field(min_length=1, max_length=500, description="why the customer needs longer")]


class ProtectionTermsBody(Body):
    protection_days: Annotated[Days, Field(description="days an approved registration protects its customer")]
    max_extension_days: Annotated[Days, Field(description="the most days one extension may ask for")]


@router.post(
    "/partner/registrations/{registration_id}/extension",
    status_code=201,
    summary="Ask to extend the protection of one of your organisation's approved registrations (partners)",
    dependencies=[allow(REGISTRANTS)],
    response_model=reply(protection.RequestExtension),
)
async def request_extension(registration_id: PathId, body: ExtensionRequest, rpc: RpcDep) -> dict:
    request = pb.RequestExtensionRequest(registration_id=registration_id, days=body.days, reason=body.reason)
    return await rpc(protection.RequestExtension, request)


@router.get(
    "/partner/registrations/{registration_id}/extensions",
    summary="The extensions asked for one of your organisation's registrations, oldest first (partners)",
    dependencies=[allow(REGISTRANTS)],
    response_model=reply(protection.ListExtensions),
)
async def list_own_extensions(registration_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(protection.ListExtensions, pb.ListExtensionsRequest(registration_id=registration_id))


@router.get(
    "/registrations/{registration_id}/extensions",
    summary="The extensions asked for a registration, oldest first (managers, admins)",
    dependencies=[allow(REGISTRATION_READERS)],
    response_model=reply(protection.ListExtensions),
)
async def list_extensions(registration_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(protection.ListExtensions, pb.ListExtensionsRequest(registration_id=registration_id))


@router.get(
    "/protection-terms",
    summary="The tenant's protection terms of approved registrations (managers, admins, partners)",
    dependencies=[allow(PROTECTION_TERMS_READERS)],
    response_model=reply(protection.GetProtectionTerms),
)
async def get_protection_terms(rpc: RpcDep) -> dict:
    return await rpc(protection.GetProtectionTerms, pb.GetProtectionTermsRequest())


@router.put(
    "/protection-terms",
    summary="Set the tenant's protection terms (admins)",
    dependencies=[allow(PROTECTION_TERMS_EDITORS)],
    response_model=reply(protection.SetProtectionTerms),
)
async def set_protection_terms(body: ProtectionTermsBody, rpc: RpcDep) -> dict:
    request = pb.SetProtectionTermsRequest(
        protection_days=body.protection_days, max_extension_days=body.max_extension_days
    )
    return await rpc(protection.SetProtectionTerms, request)
