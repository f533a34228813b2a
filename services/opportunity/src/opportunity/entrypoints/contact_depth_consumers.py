"""activity.logged / activity.tagged → the customers' CDI recomputed, a batch of
events at a time (an import's hundreds of messages recompute each customer
once). Translation only; the inbox records and the commit are
crm_shared.messaging's."""

from __future__ import annotations

from collections.abc import Sequence

from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.clock import as_utc

from opportunity.service_layer.contact_depth import ContactDepthHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork


class ContactDepthConsumers:
    def __init__(self, handlers: ContactDepthHandlers) -> None:
        self.handlers = handlers

    async def activities_changed(self, envelopes: Sequence[Envelope], uow: OpportunityUnitOfWork) -> None:
        # Both events are keyed by their customer (the aggregate id).
        customers: dict[str, set[str]] = {}
        for envelope in envelopes:
            customers.setdefault(envelope.tenant_id, set()).add(envelope.aggregate_id)
        occurred = [as_utc(e.occurred_at.ToDatetime()) for e in envelopes]
        await self.handlers.customers_changed(uow, customers, occurred)
