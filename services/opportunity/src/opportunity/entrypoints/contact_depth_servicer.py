"""gRPC servicer of ContactDepthService: translates requests to handler calls
and results to messages (errors are the server interceptor's)."""

from __future__ import annotations

import grpc
from crm.opportunity.v1 import contact_depth_pb2 as pb
from crm.opportunity.v1 import contact_depth_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from opportunity.adapters.contact_depth_repository import CdiRow
from opportunity.domain.indexes.heat_map import TierRow
from opportunity.service_layer.contact_depth import ContactDepthHandlers, VersionedSettings


def _factor(value: float | None) -> pb.CdiFactor:
    return pb.CdiFactor(value=value or 0.0, applicable=value is not None)


def cdi_message(r: CdiRow) -> pb.CustomerCdi:
    c = r.index
    return pb.CustomerCdi(
        customer_id=r.customer_id,
        customer_name=r.customer_name,
        owner_id=r.owner_id,
        province=r.province,
        value_tier=r.value_tier,
        cdi=c.cdi,
        coverage=_factor(c.coverage),
        needs=_factor(c.needs),
        closure=_factor(c.closure),
        red=c.red,
        plans_due=c.plans_due,
        plans_on_time=c.plans_on_time,
        last_contact_at=timestamp(c.last_contact_at),
        computed_at=timestamp(r.computed_at),
        touches=[
            pb.CdiTouch(activity_id=t.activity_id, kind=t.kind, occurred_at=timestamp(t.occurred_at)) for t in c.touches
        ],
        tags=[pb.CdiTag(tag=t.tag, activity_id=t.activity_id, words=list(t.words)) for t in c.tags],
        plans=[
            pb.CdiPlan(
                activity_id=p.activity_id,
                due_at=timestamp(p.due_at),
                state=p.state,
                met_by=p.met_by,
                met_at=timestamp(p.met_at),
            )
            for p in c.plans
        ],
    )


def settings_message(v: VersionedSettings) -> pb.CdiSettings:
    s = v.settings
    coverage, needs, closure = s.weights
    return pb.CdiSettings(
        version=v.version,
        touch_kinds=list(s.touch_kinds),
        touch_window_days=s.touch_window_days,
        touch_min_kinds=s.touch_min_kinds,
        grace_hours=s.grace_hours,
        lookback_days=s.lookback_days,
        weights=pb.CdiWeights(coverage=coverage, needs=needs, closure=closure),
    )


def _row(r: TierRow) -> pb.HeatMapRow:
    return pb.HeatMapRow(
        tier=r.tier,
        cells=[pb.HeatMapCell(bucket=b, customers=n) for b, n in r.counts.items()],
        total=r.total,
        untouched_share=r.untouched_share,
    )


class ContactDepthServicer(pb_grpc.ContactDepthServiceServicer):
    def __init__(self, handlers: ContactDepthHandlers) -> None:
        self.handlers = handlers

    async def ListCdiGroups(
        self, request: pb.ListCdiGroupsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListCdiGroupsResponse:
        groups = await self.handlers.groups(current_caller(), request.group_by)
        return pb.ListCdiGroupsResponse(
            items=[pb.CdiGroup(key=g.key, average_cdi=g.average, customers=g.customers, red=g.red) for g in groups]
        )

    async def ListCdiCustomers(
        self, request: pb.ListCdiCustomersRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListCdiCustomersResponse:
        page = await self.handlers.members(
            current_caller(),
            group_by=request.group_by,
            key=request.key,
            red_only=request.red_only,
            sort=request.sort or "cdi",
            page=request.page or 1,
            page_size=request.page_size or 50,
        )
        return pb.ListCdiCustomersResponse(items=[cdi_message(r) for r in page.items], total=page.total)

    async def GetCustomerCdi(
        self, request: pb.GetCustomerCdiRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCustomerCdiResponse:
        return pb.GetCustomerCdiResponse(
            cdi=cdi_message(await self.handlers.customer(current_caller(), request.customer_id))
        )

    async def GetCdiSettings(
        self, request: pb.GetCdiSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCdiSettingsResponse:
        return pb.GetCdiSettingsResponse(settings=settings_message(await self.handlers.settings(current_caller())))

    async def PutCdiSettings(
        self, request: pb.PutCdiSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.PutCdiSettingsResponse:
        s = request.settings
        data = {
            "touch_kinds": list(s.touch_kinds),
            "touch_window_days": s.touch_window_days,
            "touch_min_kinds": s.touch_min_kinds,
            "grace_hours": s.grace_hours,
            "lookback_days": s.lookback_days,
            "weights": {"coverage": s.weights.coverage, "needs": s.weights.needs, "closure": s.weights.closure},
        }
        saved = await self.handlers.put_settings(current_caller(), s.version, data)
        return pb.PutCdiSettingsResponse(settings=settings_message(saved))

    async def GetFollowUpHeatMap(
        self, request: pb.GetFollowUpHeatMapRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetFollowUpHeatMapResponse:
        found = await self.handlers.heat_map(current_caller(), request.owner_id)
        return pb.GetFollowUpHeatMapResponse(
            rows=[_row(r) for r in found.rows], total=_row(found.total), as_of=timestamp(found.as_of)
        )

    async def ListHeatMapCustomers(
        self, request: pb.ListHeatMapCustomersRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListHeatMapCustomersResponse:
        page = await self.handlers.heat_cell(
            current_caller(),
            tier=request.tier,
            bucket=request.bucket,
            owner_id=request.owner_id,
            page=request.page or 1,
            page_size=request.page_size or 50,
        )
        return pb.ListHeatMapCustomersResponse(
            items=[
                pb.HeatMapCustomer(
                    customer_id=i["customer_id"],
                    customer_name=i["customer_name"],
                    owner_id=i["owner_id"],
                    value_tier=i["value_tier"],
                    last_contact_at=timestamp(i["last_contact_at"]),
                )
                for i in page.items
            ],
            total=page.total,
        )
