"""Distributor organisations of the partner portal (lead-routing): admins
write them, managers read them, a partner reads their own organisation."""

from __future__ import annotations

from typing import Annotated

from crm.lead_routing.v1 import partner_pb2 as pb
from crm_shared.limits import MAX_ID
from crm_shared.roles import DISTRIBUTOR_EDITORS, DISTRIBUTOR_READERS, PARTNER_ORGANISATION_READERS
from fastapi import APIRouter, Query
from pydantic import Field

from gateway.adapters.stubs import distributors
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, Int32, PathId, Text

router = APIRouter(prefix="/v1")

# The service's own bounds (lead_routing.domain.distributor) are checked there, by field; these bound the shape.
Place = Annotated[str, Field(max_length=50)]
Account = Annotated[str, Field(max_length=200)]
Day = Annotated[str, Field(max_length=10, description="YYYY-MM-DD (Asia/Shanghai), or empty for open")]


class TerritoryBody(Body):
    """A named account is covered wherever it is; otherwise a customer must be in the regions (when any) and the
    industries (when any). A province listed with cities of its own is narrowed to them (浙江省 + 杭州市 is 杭州)."""

    provinces: Annotated[list[Place], Field(max_length=100, default_factory=list)]
    cities: Annotated[list[Place], Field(max_length=100, default_factory=list)]
    industries: Annotated[list[Text], Field(max_length=20, default_factory=list)]
    accounts: Annotated[
        list[Account], Field(max_length=500, default_factory=list, description="统一社会信用代码 or company names")
    ]


class DistributorDetails(Body):
    name: Text
    credit_code: Annotated[str, Field(max_length=32, description="统一社会信用代码 of the distributor")] = ""
    territory: Annotated[TerritoryBody, Field(default_factory=TerritoryBody)]
    tier: Annotated[str, Field(max_length=50, description="金牌 / 银牌 / 普通 (the default) or the tenant's own")] = ""
    contract_starts: Day = ""
    contract_ends: Day = ""
    users: Annotated[
        list[Id], Field(max_length=200, default_factory=list, description="partner user ids; one distributor each")
    ]
    channel_manager_id: Id
    active: bool = True


class CreateDistributor(DistributorDetails):
    distributor_id: Annotated[str, Field(max_length=MAX_ID, description="an admin-chosen code: a-z, 0-9, -")]


class UpdateDistributor(DistributorDetails):
    version: Annotated[Int32, Field(ge=0, description="the version the change was made from; 0: not checked")] = 0


def _details(body: DistributorDetails) -> pb.DistributorDetails:
    """The details of a create or an update, without the id or version the request carries beside them."""
    return to_proto(
        DistributorDetails(**body.model_dump(include=set(DistributorDetails.model_fields))), pb.DistributorDetails()
    )


@router.post(
    "/distributors",
    status_code=201,
    summary="Create a distributor organisation (admins)",
    dependencies=[allow(DISTRIBUTOR_EDITORS)],
    response_model=reply(distributors.CreateDistributor),
)
async def create_distributor(body: CreateDistributor, rpc: RpcDep) -> dict:
    request = pb.CreateDistributorRequest(distributor_id=body.distributor_id, details=_details(body))
    return await rpc(distributors.CreateDistributor, request)


@router.put(
    "/distributors/{distributor_id}",
    summary="Replace a distributor's details (admins); version: the one the change was made from",
    dependencies=[allow(DISTRIBUTOR_EDITORS)],
    response_model=reply(distributors.UpdateDistributor),
)
async def update_distributor(distributor_id: PathId, body: UpdateDistributor, rpc: RpcDep) -> dict:
    request = pb.UpdateDistributorRequest(distributor_id=distributor_id, details=_details(body), version=body.version)
    return await rpc(distributors.UpdateDistributor, request)


@router.get(
    "/distributors",
    summary="The tenant's distributors (managers, admins); channel_manager_id=me: the ones I look after",
    dependencies=[allow(DISTRIBUTOR_READERS)],
    response_model=reply(distributors.ListDistributors),
)
async def list_distributors(
    rpc: RpcDep,
    active: bool | None = None,
    channel_manager_id: Annotated[str, Query(max_length=MAX_ID)] = "",
) -> dict:
    request = pb.ListDistributorsRequest(channel_manager_id=channel_manager_id)
    if active is not None:
        request.active = active
    return await rpc(distributors.ListDistributors, request)


@router.get(
    "/distributors/{distributor_id}",
    summary="One distributor (managers, admins; a partner only their own)",
    dependencies=[allow(DISTRIBUTOR_READERS + PARTNER_ORGANISATION_READERS)],
    response_model=reply(distributors.GetDistributor),
)
async def get_distributor(distributor_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(distributors.GetDistributor, pb.GetDistributorRequest(distributor_id=distributor_id))


@router.get(
    "/partner/organisation",
    summary="The partner's own distributor organisation (partners)",
    dependencies=[allow(PARTNER_ORGANISATION_READERS)],
    response_model=reply(distributors.GetOwnDistributor),
)
async def get_own_distributor(rpc: RpcDep) -> dict:
    return await rpc(distributors.GetOwnDistributor, pb.GetOwnDistributorRequest())
