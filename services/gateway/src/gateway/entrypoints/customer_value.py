"""Customer value tiers (seed 002, RFM) and customer health (seed 001),
opportunity's CustomerValueService: a customer's tier with its score, purchase
facts and history; its health per month (on-time payment rate and DSO from
finance, technical consultations, new-product trial progress) with the alert;
the tiers' counts and members in scope; the health alerts; the tenant's
formula and thresholds. Whoever sees the customer sees its tier and health
(reps their own, managers their team's, admin, finance and reviewers the
tenant's: every department sees the same tier); partners are refused."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.opportunity.v1 import customer_value_pb2 as pb
from crm_shared import roles
from fastapi import APIRouter, Query
from pydantic import Field

from gateway.adapters.stubs import customer_value
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import model_of, reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, PathId

router = APIRouter(prefix="/v1")

READERS = (roles.REP, roles.MANAGER, roles.FINANCE, roles.REVIEWER, roles.ADMIN)
CONFIGURERS = (roles.MANAGER, roles.ADMIN)
RECOMPUTERS = (roles.ADMIN,)
REFERRAL_RECORDERS = (roles.REP, roles.MANAGER, roles.ADMIN)
FRESHNESS = (
    "A receipt recorded or reversed, or a referral, recomputes the customer's tier within seconds; "
    "every customer is recomputed once a month (Asia/Shanghai). Health follows finance's "
    "payment.customer_stats and service requests within seconds."
)
SettingsModel = model_of(pb.ValueTierSettings.DESCRIPTOR)
Page = Annotated[int, Query(ge=1, le=10_000)]
PageSize = Annotated[int, Query(ge=1, le=200)]
Tier = Literal["战略", "重点", "普通"]
Period = Annotated[str, Query(max_length=7, description="YYYY-MM")]


class ThresholdBody(Body):
    tier: Annotated[str, Field(max_length=10)]
    min_score: Annotated[float, Field(ge=-1e9, le=1e9)]


class ValueTierSettingsBody(Body):
    version: Annotated[int, Field(ge=0, le=2_000_000_000, description="The version read (0: none saved yet)")]
    active: bool = Field(False, description="on: the formula sets every tier and a hand-set tier is refused (412)")
    formula: Annotated[str, Field(max_length=2_000, description="a number over the purchase facts' variables")]
    thresholds: Annotated[list[ThresholdBody], Field(max_length=3, description="战略 and 重点: score ≥ min_score")]
    new_product_lines: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=50, default_factory=list)]


class ReferralBody(Body):
    referred_by: Annotated[str, Field(max_length=36, description="the existing customer who referred this one")]


@router.get(
    "/customers/{customer_id}/value",
    summary="A customer's value tier, score, purchase facts, referrer and tier history",
    description=FRESHNESS,
    dependencies=[allow(READERS)],
    response_model=reply(customer_value.GetCustomerValue),
)
async def get_customer_value(customer_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(customer_value.GetCustomerValue, pb.GetCustomerValueRequest(customer_id=customer_id))


@router.get(
    "/customers/{customer_id}/health",
    summary="A customer's health per month (on-time rate, DSO, consultations), trial progress and alerts",
    description=FRESHNESS,
    dependencies=[allow(READERS)],
    response_model=reply(customer_value.GetCustomerHealth),
)
async def get_customer_health(
    customer_id: PathId, rpc: RpcDep, periods: Annotated[int, Query(ge=1, le=24)] = 6
) -> dict:
    request = pb.GetCustomerHealthRequest(customer_id=customer_id, periods=periods)
    return await rpc(customer_value.GetCustomerHealth, request)


@router.post(
    "/customers/{customer_id}/referral",
    summary="Record who referred this (new) customer; one referrer each; the referrer's tier is recomputed",
    dependencies=[allow(REFERRAL_RECORDERS)],
    response_model=reply(customer_value.RecordReferral),
)
async def record_referral(customer_id: PathId, body: ReferralBody, rpc: RpcDep) -> dict:
    request = pb.RecordReferralRequest(customer_id=customer_id, referred_by=body.referred_by)
    return await rpc(customer_value.RecordReferral, request)


@router.get(
    "/indexes/value-tiers",
    summary="Customers per value tier in the caller's scope",
    description=FRESHNESS,
    dependencies=[allow(READERS)],
    response_model=reply(customer_value.GetValueTierCounts),
)
async def get_value_tier_counts(rpc: RpcDep) -> dict:
    return await rpc(customer_value.GetValueTierCounts, pb.GetValueTierCountsRequest())


@router.get(
    "/indexes/value-tiers/customers",
    summary="The customers of one value tier (or all), highest score first, one page",
    dependencies=[allow(READERS)],
    response_model=reply(customer_value.ListValueTierCustomers),
)
async def list_value_tier_customers(
    rpc: RpcDep, tier: Annotated[Tier | Literal[""], Query()] = "", page: Page = 1, page_size: PageSize = 50
) -> dict:
    request = pb.ListValueTierCustomersRequest(tier=tier, page=page, page_size=page_size)
    return await rpc(customer_value.ListValueTierCustomers, request)


@router.get(
    "/indexes/health-alerts",
    summary="Customer health alerts (on-time rate down twice while consultations rise) in scope, newest first",
    dependencies=[allow(READERS)],
    response_model=reply(customer_value.ListHealthAlerts),
)
async def list_health_alerts(rpc: RpcDep, period: Period = "", page: Page = 1, page_size: PageSize = 50) -> dict:
    request = pb.ListHealthAlertsRequest(period=period, page=page, page_size=page_size)
    return await rpc(customer_value.ListHealthAlerts, request)


@router.get(
    "/indexes/value-tiers/settings",
    summary="The tenant's value tier formula, thresholds and new product lines, with the formula's variables",
    dependencies=[allow(READERS)],
    response_model=SettingsModel,
)
async def get_value_tier_settings(rpc: RpcDep) -> dict:
    return (await rpc(customer_value.GetValueTierSettings, pb.GetValueTierSettingsRequest()))["settings"]


@router.put(
    "/indexes/value-tiers/settings",
    summary="Save the value tier settings (manager, admin); 409 when `version` is not the one stored",
    description="400 naming formula (line and column) or thresholds.<tier>. Every customer is recomputed.",
    dependencies=[allow(CONFIGURERS)],
    response_model=SettingsModel,
)
async def put_value_tier_settings(body: ValueTierSettingsBody, rpc: RpcDep) -> dict:
    request = pb.PutValueTierSettingsRequest(
        version=body.version,
        active=body.active,
        formula=body.formula,
        thresholds=[pb.TierThreshold(tier=t.tier, min_score=t.min_score) for t in body.thresholds],
        new_product_lines=body.new_product_lines,
    )
    return (await rpc(customer_value.PutValueTierSettings, request))["settings"]


@router.post(
    "/indexes/value-tiers/recompute",
    summary="Recompute every customer's value tier now (admin)",
    dependencies=[allow(RECOMPUTERS)],
    response_model=reply(customer_value.RecomputeValueTiers),
)
async def recompute_value_tiers(rpc: RpcDep) -> dict:
    return await rpc(customer_value.RecomputeValueTiers, pb.RecomputeValueTiersRequest())
