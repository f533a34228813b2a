"""Rebates (finance-reconciliation's RebateService). A partner reads their
own organisation's progress (the token's organisation, which the gateway
checked against its directory; finance asks lead-routing, the owner of
distributors, whether they are a user of that active distributor and passes
its refusal on); finance and admins read every partner's
accruals, settle a period once and read the settlements; admins write the
programmes. Amounts are integer 分; the service names each failing field."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.finance_reconciliation.v1 import rebate_pb2 as pb
from crm_shared.money import MAX_AMOUNT_MINOR
from crm_shared.roles import PARTNER_REBATE_READERS, REBATE_PROGRAMME_EDITORS, REBATE_READERS, REBATE_SETTLERS
from fastapi import APIRouter, Query
from pydantic import Field, StrictBool, StrictInt

from gateway.adapters.stubs import rebates
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, PageSize, PageToken, PathId, Text

router = APIRouter()

Day = Annotated[str, Query(max_length=10, description="ISO date whose period is shown; empty: today (Asia/Shanghai)")]
PeriodLabel = Annotated[str, Field(max_length=8, description="2026-12 (month), 2026-Q4 (quarter) or 2026 (year)")]
DistributorId = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[a-z0-9-]+$")]
IsoDate = Annotated[str, Field(max_length=10, description="ISO date, e.g. 2026-01-01")]


class TierBody(Body):
    threshold_minor: Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT_MINOR, description="collected sales from, in 分")]
    rate_bp: Annotated[StrictInt, Field(ge=1, le=5_000, description="basis points: 200 = 2%")]


class ProgrammeBody(Body):
    name: Annotated[Text, Field(min_length=1)]
    period_kind: Literal["month", "quarter", "year"]
    tiers: Annotated[list[TierBody], Field(min_length=1, max_length=10)]
    basis: Annotated[
        Literal["whole", "marginal"],
        Field(description="whole: the reached tier's rate on everything; marginal: each tier's rate on its part"),
    ] = "whole"
    currency: Literal["CNY"] = "CNY"
    distributor_ids: Annotated[
        list[DistributorId], Field(default_factory=list, max_length=500, description="empty: every distributor")
    ]
    starts_on: IsoDate
    ends_on: Annotated[IsoDate, Field(description="empty: open-ended")] = ""
    active: StrictBool = True


class ReplaceProgrammeBody(ProgrammeBody):
    expected_version: Annotated[StrictInt, Field(ge=0, le=2**31 - 1, description="the version read; 0: any")] = 0


class SettleBody(Body):
    programme_id: Annotated[str, Field(min_length=1, max_length=64)]
    distributor_id: DistributorId
    period: Annotated[PeriodLabel, Field(min_length=4)]
    note: Annotated[str, Field(max_length=500)] = ""


def _programme(body: ProgrammeBody) -> pb.RebateProgrammeInput:
    return to_proto(body, pb.RebateProgrammeInput())  # type: ignore[return-value]


@router.get(
    "/v1/partner/rebates",
    summary="The calling partner's rebate progress: collected, tier, what the next tier needs, accrued (分)",
    dependencies=[allow(PARTNER_REBATE_READERS)],
    response_model=reply(rebates.GetPartnerRebates),
)
async def partner_rebates(rpc: RpcDep, on: Day = "") -> dict:
    return await rpc(rebates.GetPartnerRebates, pb.GetPartnerRebatesRequest(on=on))


@router.get(
    "/v1/rebates/programmes",
    summary="The tenant's rebate programmes",
    dependencies=[allow(REBATE_READERS)],
    response_model=reply(rebates.ListRebateProgrammes),
)
async def list_programmes(rpc: RpcDep) -> dict:
    return await rpc(rebates.ListRebateProgrammes, pb.ListRebateProgrammesRequest())


@router.get(
    "/v1/rebates/programmes/{programme_id}",
    summary="One rebate programme",
    dependencies=[allow(REBATE_READERS)],
    response_model=reply(rebates.GetRebateProgramme),
)
async def get_programme(programme_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(rebates.GetRebateProgramme, pb.GetRebateProgrammeRequest(programme_id=programme_id))


@router.post(
    "/v1/rebates/programmes",
    status_code=201,
    summary="Add a rebate programme: tiers by collected sales per period",
    dependencies=[allow(REBATE_PROGRAMME_EDITORS)],
    response_model=reply(rebates.CreateRebateProgramme),
)
async def create_programme(body: ProgrammeBody, rpc: RpcDep) -> dict:
    return await rpc(rebates.CreateRebateProgramme, pb.CreateRebateProgrammeRequest(programme=_programme(body)))


@router.put(
    "/v1/rebates/programmes/{programme_id}",
    summary="Replace a rebate programme (settlements keep the tiers they were made with)",
    dependencies=[allow(REBATE_PROGRAMME_EDITORS)],
    response_model=reply(rebates.UpdateRebateProgramme),
)
async def replace_programme(programme_id: PathId, body: ReplaceProgrammeBody, rpc: RpcDep) -> dict:
    given = ProgrammeBody.model_validate(body.model_dump(exclude={"expected_version"}))
    request = pb.UpdateRebateProgrammeRequest(
        programme_id=programme_id, programme=_programme(given), expected_version=body.expected_version
    )
    return await rpc(rebates.UpdateRebateProgramme, request)


@router.get(
    "/v1/rebates/accruals",
    summary="Every partner's accrual in a programme and period (finance)",
    dependencies=[allow(REBATE_READERS)],
    response_model=reply(rebates.ListRebateAccruals),
)
async def list_accruals(
    rpc: RpcDep,
    programme_id: Annotated[str, Query(min_length=1, max_length=64)],
    period: Annotated[str, Query(max_length=8, description="2026-12 / 2026-Q4 / 2026; empty: the period of on")] = "",
    on: Day = "",
) -> dict:
    request = pb.ListRebateAccrualsRequest(programme_id=programme_id, period=period, on=on)
    return await rpc(rebates.ListRebateAccruals, request)


@router.post(
    "/v1/rebates/settlements",
    status_code=201,
    summary="Settle a partner's ended period once (an immutable record; a second one is 409)",
    dependencies=[allow(REBATE_SETTLERS)],
    response_model=reply(rebates.SettleRebate),
)
async def settle_rebate(body: SettleBody, rpc: RpcDep) -> dict:
    return await rpc(rebates.SettleRebate, to_proto(body, pb.SettleRebateRequest()))


@router.get(
    "/v1/rebates/settlements",
    summary="Rebate settlements, newest first (paged)",
    dependencies=[allow(REBATE_READERS)],
    response_model=reply(rebates.ListRebateSettlements),
)
async def list_settlements(
    rpc: RpcDep,
    programme_id: Annotated[str, Query(max_length=64)] = "",
    distributor_id: Annotated[str, Query(max_length=64)] = "",
    period: Annotated[str, Query(max_length=8)] = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListRebateSettlementsRequest(
        programme_id=programme_id,
        distributor_id=distributor_id,
        period=period,
        page_size=page_size,
        page_token=page_token,
    )
    return await rpc(rebates.ListRebateSettlements, request)


@router.get(
    "/v1/rebates/settlements/{settlement_id}",
    summary="One rebate settlement with the receipts it counted",
    dependencies=[allow(REBATE_READERS)],
    response_model=reply(rebates.GetRebateSettlement),
)
async def get_settlement(settlement_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(rebates.GetRebateSettlement, pb.GetRebateSettlementRequest(settlement_id=settlement_id))
