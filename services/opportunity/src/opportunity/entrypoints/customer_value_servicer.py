"""gRPC servicer of CustomerValueService: translates requests to handler calls
and results to messages (errors are the server interceptor's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import grpc
from crm.opportunity.v1 import customer_value_pb2 as pb
from crm.opportunity.v1 import customer_value_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller
from crm_shared.money import wire_minor

from opportunity.adapters.health_repository import AlertRow
from opportunity.domain.indexes import value_tier as rules
from opportunity.service_layer.customer_value import CustomerValueHandlers, VersionedSettings
from opportunity.service_layer.health import HealthHandlers


def facts_message(f: Mapping[str, Any]) -> pb.PurchaseFacts:
    days = f.get("days_since")
    return pb.PurchaseFacts(
        last_purchase_on=f.get("last_purchase_on", ""),
        days_since_last_purchase=days,
        purchases_6m=int(f.get("count_6m", 0)),
        amount_6m_minor=wire_minor(int(f.get("amount_6m_minor", 0))),
        annual_amount_minor=wire_minor(int(f.get("annual_minor", 0))),
        referrals=int(f.get("referrals", 0)),
        currency="CNY",
    )


def settings_message(v: VersionedSettings) -> pb.ValueTierSettings:
    s = v.settings
    return pb.ValueTierSettings(
        version=v.version,
        active=s.active,
        formula=s.formula,
        thresholds=[pb.TierThreshold(tier=t, min_score=m) for t, m in s.thresholds.items()],
        new_product_lines=list(s.new_product_lines),
        updated_by=v.updated_by,
        variables=[pb.FormulaVariable(name=n, description=d) for n, d in rules.VARIABLES],
        default_formula=rules.DEFAULT_FORMULA,
    )


def alert_message(a: AlertRow) -> pb.HealthAlert:
    return pb.HealthAlert(
        customer_id=a.customer_id,
        customer_name=a.customer_name,
        period=a.period,
        owner_id=a.owner_id,
        on_time_rate_bp=list(a.rates_bp),
        consultations=list(a.consultations),
        materials=[m.get("title", "") for m in a.materials],
        raised_at=timestamp(a.raised_at),
        notified_at=timestamp(a.notified_at),
    )


class CustomerValueServicer(pb_grpc.CustomerValueServiceServicer):
    def __init__(self, tiers: CustomerValueHandlers, health: HealthHandlers) -> None:
        self.tiers = tiers
        self.health = health

    async def GetCustomerValue(
        self, request: pb.GetCustomerValueRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCustomerValueResponse:
        v = await self.tiers.customer(current_caller(), request.customer_id)
        reply = pb.GetCustomerValueResponse(
            customer_id=v.customer_id,
            tier=v.tier,
            referred_by=v.referred_by,
            history=[
                pb.TierHistoryEntry(
                    tier=h.tier,
                    previous_tier=h.previous_tier,
                    score=h.score,
                    facts=facts_message(h.facts),
                    settings_version=h.settings_version,
                    reason=h.reason,
                    at=timestamp(h.at),
                )
                for h in v.history
            ],
        )
        if v.row is not None:
            reply.score = v.row.score
            reply.error = v.row.error
            reply.facts.CopyFrom(facts_message(v.row.facts))
            reply.settings_version = v.row.settings_version
            reply.computed_at.CopyFrom(timestamp(v.row.computed_at))
        return reply

    async def GetCustomerHealth(
        self, request: pb.GetCustomerHealthRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCustomerHealthResponse:
        h = await self.health.customer(current_caller(), request.customer_id, request.periods)
        return pb.GetCustomerHealthResponse(
            customer_id=h.customer_id,
            periods=[
                pb.HealthPeriod(
                    period=p.period,
                    on_time_rate_bp=p.on_time_rate_bp,
                    dso_tenths=p.dso_tenths,
                    as_of=p.as_of,
                    consultations=p.consultations,
                )
                for p in h.periods
            ],
            trial_progress=h.trial_progress,
            trial_opportunities=h.trial_opportunities,
            alerts=[alert_message(a) for a in h.alerts],
        )

    async def GetValueTierCounts(
        self, request: pb.GetValueTierCountsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetValueTierCountsResponse:
        counts = await self.tiers.counts(current_caller())
        return pb.GetValueTierCountsResponse(counts=[pb.TierCount(tier=t, customers=n) for t, n in counts.items()])

    async def ListValueTierCustomers(
        self, request: pb.ListValueTierCustomersRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListValueTierCustomersResponse:
        page = await self.tiers.members(current_caller(), request.tier, request.page or 1, request.page_size or 50)
        return pb.ListValueTierCustomersResponse(
            customers=[
                pb.TierCustomer(
                    customer_id=m.customer_id,
                    name=m.name,
                    owner_id=m.owner_id,
                    tier=m.tier,
                    score=m.score,
                    computed_at=timestamp(m.computed_at),
                )
                for m in page.items
            ],
            total=page.total,
        )

    async def ListHealthAlerts(
        self, request: pb.ListHealthAlertsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListHealthAlertsResponse:
        items, total = await self.health.alerts(
            current_caller(), request.period, request.page or 1, request.page_size or 50
        )
        return pb.ListHealthAlertsResponse(alerts=[alert_message(a) for a in items], total=total)

    async def GetValueTierSettings(
        self, request: pb.GetValueTierSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetValueTierSettingsResponse:
        return pb.GetValueTierSettingsResponse(settings=settings_message(await self.tiers.settings(current_caller())))

    async def PutValueTierSettings(
        self, request: pb.PutValueTierSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.PutValueTierSettingsResponse:
        data = {
            "active": request.active,
            "formula": request.formula,
            "thresholds": {t.tier: t.min_score for t in request.thresholds},
            "new_product_lines": list(request.new_product_lines),
        }
        saved = await self.tiers.put_settings(current_caller(), request.version, data)
        return pb.PutValueTierSettingsResponse(settings=settings_message(saved))

    async def RecomputeValueTiers(
        self, request: pb.RecomputeValueTiersRequest, context: grpc.aio.ServicerContext
    ) -> pb.RecomputeValueTiersResponse:
        return pb.RecomputeValueTiersResponse(recomputed=await self.tiers.recompute_now(current_caller()))

    async def RecordReferral(
        self, request: pb.RecordReferralRequest, context: grpc.aio.ServicerContext
    ) -> pb.RecordReferralResponse:
        customer_id, referred_by = await self.tiers.record_referral(
            current_caller(), request.customer_id, request.referred_by
        )
        return pb.RecordReferralResponse(customer_id=customer_id, referred_by=referred_by)
