"""客户接触深度指数 (CDI, seed 001) and the follow-up heat map (seed 002),
opportunity's ContactDepthService: the CDI by rep, region or customer tier with
drill-down to a group's customers and one customer's factors with evidence;
the tenant's weights, windows and thresholds; customers by days since last
contact × value tier with a cell's customers. A rep reads their own customers,
a manager their team's, an admin the tenant's; finance, reviewers and partners
are refused. Fresh within 3 minutes: an activity recomputes its customer within
seconds, and a sweep (every 30 s) what time alone changes."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.opportunity.v1 import contact_depth_pb2 as pb
from crm_shared.roles import CDI_CONFIGURERS, CDI_READERS
from fastapi import APIRouter, Query
from pydantic import Field

from gateway.adapters.stubs import contact_depth
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import model_of, reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Int32, PathId

router = APIRouter(prefix="/v1")

FRESHNESS = "Fresh within 3 minutes of the activity (seconds as a rule; the sweep every 30 s for what time changes)."
SettingsModel = model_of(pb.CdiSettings.DESCRIPTOR)
CdiModel = model_of(pb.CustomerCdi.DESCRIPTOR)
GroupBy = Literal["rep", "region", "tier"]
Bucket = Literal["0-7", "8-30", "31-90", "90+"]
Page = Annotated[int, Query(ge=1, le=10_000)]
PageSize = Annotated[int, Query(ge=1, le=200)]
Key = Annotated[str, Query(max_length=64)]
# Bounds are the service's (400 naming the field); here only the types fit the messages.
Weight = Annotated[float, Field(description="0-100")]


class CdiWeightsBody(Body):
    coverage: Weight = 1.0
    needs: Weight = 1.0
    closure: Weight = 1.0


class CdiSettingsBody(Body):
    version: Annotated[int, Field(ge=0, le=2_000_000_000, description="The version read (0: none saved yet)")]
    touch_kinds: Annotated[
        list[Annotated[str, Field(max_length=20)]],
        Field(
            min_length=1,
            max_length=10,
            default_factory=lambda: ["call", "visit", "demo"],
            description="contact kinds that count as touches",
        ),
    ]
    touch_window_days: Annotated[Int32, Field(description="1-90")] = 7
    touch_min_kinds: Annotated[
        Int32, Field(description="distinct kinds for full coverage, at most the touch kinds")
    ] = 2
    grace_hours: Annotated[Int32, Field(description="0-336: a follow-up later than this is red")] = 24
    lookback_days: Annotated[Int32, Field(description="1-365: plans that came due this far back count")] = 90
    weights: CdiWeightsBody = Field(default_factory=CdiWeightsBody, description="relative; normalised by their sum")


@router.get(
    "/indexes/cdi",
    summary="Average CDI, customers and red ones (a follow-up more than 24 h late) per rep, region or customer tier",
    description=FRESHNESS,
    dependencies=[allow(CDI_READERS)],
    response_model=reply(contact_depth.ListCdiGroups),
)
async def list_cdi_groups(rpc: RpcDep, group_by: Annotated[GroupBy, Query()] = "rep") -> dict:
    return await rpc(contact_depth.ListCdiGroups, pb.ListCdiGroupsRequest(group_by=group_by))


@router.get(
    "/indexes/cdi/customers",
    summary="The customers of one group (group_by + key; none: the whole scope) with their CDI, one page",
    description=FRESHNESS,
    dependencies=[allow(CDI_READERS)],
    response_model=reply(contact_depth.ListCdiCustomers),
)
async def list_cdi_customers(
    rpc: RpcDep,
    group_by: Annotated[GroupBy | Literal[""], Query()] = "",
    key: Key = "",
    red_only: bool = False,
    sort: Annotated[Literal["cdi", "-cdi", "name"], Query(description="cdi: lowest first")] = "cdi",
    page: Page = 1,
    page_size: PageSize = 50,
) -> dict:
    request = pb.ListCdiCustomersRequest(
        group_by=group_by, key=key, red_only=red_only, sort=sort, page=page, page_size=page_size
    )
    return await rpc(contact_depth.ListCdiCustomers, request)


@router.get(
    "/customers/{customer_id}/cdi",
    summary="A customer's CDI with each factor's value and evidence (touches, tags found, follow-up plans)",
    description=FRESHNESS,
    dependencies=[allow(CDI_READERS)],
    response_model=CdiModel,
)
async def get_customer_cdi(customer_id: PathId, rpc: RpcDep) -> dict:
    return (await rpc(contact_depth.GetCustomerCdi, pb.GetCustomerCdiRequest(customer_id=customer_id)))["cdi"]


@router.get(
    "/indexes/cdi/settings",
    summary="The tenant's CDI weights, windows and thresholds (defaults: call/visit/demo, 2 kinds in 7 days, 24 h, 90 days)",
    dependencies=[allow(CDI_READERS)],
    response_model=SettingsModel,
)
async def get_cdi_settings(rpc: RpcDep) -> dict:
    return (await rpc(contact_depth.GetCdiSettings, pb.GetCdiSettingsRequest()))["settings"]


@router.put(
    "/indexes/cdi/settings",
    summary="Save the CDI settings (manager, admin); 409 when `version` is not the one stored",
    description="400 naming the field when a value is out of bounds. Every customer is recomputed by the next sweeps.",
    dependencies=[allow(CDI_CONFIGURERS)],
    response_model=SettingsModel,
)
async def put_cdi_settings(body: CdiSettingsBody, rpc: RpcDep) -> dict:
    settings = pb.CdiSettings(
        version=body.version,
        touch_kinds=body.touch_kinds,
        touch_window_days=body.touch_window_days,
        touch_min_kinds=body.touch_min_kinds,
        grace_hours=body.grace_hours,
        lookback_days=body.lookback_days,
        weights=pb.CdiWeights(coverage=body.weights.coverage, needs=body.weights.needs, closure=body.weights.closure),
    )
    return (await rpc(contact_depth.PutCdiSettings, pb.PutCdiSettingsRequest(settings=settings)))["settings"]


@router.get(
    "/indexes/follow-up-heat-map",
    summary="Customers by days since last contact (0-7, 8-30, 31-90, 90+) × value tier, with the share untouched 90+ days",
    description="Days are Asia/Shanghai calendar days to now; a customer never contacted counts as 90+.",
    dependencies=[allow(CDI_READERS)],
    response_model=reply(contact_depth.GetFollowUpHeatMap),
)
async def get_follow_up_heat_map(rpc: RpcDep, owner_id: Key = "") -> dict:
    return await rpc(contact_depth.GetFollowUpHeatMap, pb.GetFollowUpHeatMapRequest(owner_id=owner_id))


@router.get(
    "/indexes/follow-up-heat-map/customers",
    summary="The customers of one heat map cell (tier × days bucket), longest untouched first, one page",
    dependencies=[allow(CDI_READERS)],
    response_model=reply(contact_depth.ListHeatMapCustomers),
)
async def list_heat_map_customers(
    rpc: RpcDep,
    bucket: Annotated[Bucket, Query()],
    tier: Key = "",
    owner_id: Key = "",
    page: Page = 1,
    page_size: PageSize = 50,
) -> dict:
    request = pb.ListHeatMapCustomersRequest(
        tier=tier, bucket=bucket, owner_id=owner_id, page=page, page_size=page_size
    )
    return await rpc(contact_depth.ListHeatMapCustomers, request)
