"""Consumers of customer health (service_layer/health.py): finance's
payment.customer_stats and customer.service_requested, each on its own durable
(the purchase facts of the value tiers come with the receipts consumer,
service_layer/projections.py)."""

from __future__ import annotations

from datetime import UTC

from crm.events.v1 import customer_pb2, finance_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import unpack

from opportunity.service_layer import health
from opportunity.service_layer.uow import OpportunityUnitOfWork


class CustomerHealthConsumers:
    async def payment_stats(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, finance_pb2.CustomerPaymentStats)
        await health.payment_stats(
            uow,
            envelope.tenant_id,
            event.customer_id,
            event.as_of,
            event.on_time_rate_bp if event.HasField("on_time_rate_bp") else None,
            event.dso_tenths if event.HasField("dso_tenths") else None,
        )

    async def service_requested(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, customer_pb2.CustomerServiceRequested)
        at = envelope.occurred_at.ToDatetime(tzinfo=UTC)
        await health.service_requested(uow, envelope.tenant_id, event.customer_id, at)
