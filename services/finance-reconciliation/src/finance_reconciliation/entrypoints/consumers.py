"""Event consumers: translate an envelope into a handler call. The inbox
record and the commit are EventConsumer's; handlers here must not commit."""

from __future__ import annotations

from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.opportunity_pb2 import OpportunityCreated
from crm_shared.events import unpack

from finance_reconciliation.domain.opportunity import Opportunity
from finance_reconciliation.domain.payment import CURRENCY
from finance_reconciliation.service_layer.handlers import project_opportunity
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

OPPORTUNITY_CREATED_DURABLE = "finance-opportunity-created"


async def on_opportunity_created(envelope: Envelope, uow: FinanceUnitOfWork) -> None:
    event = unpack(envelope, OpportunityCreated)
    if not envelope.tenant_id or not event.opportunity_id:
        # Raising sends it through the retries to the dead-letter stream, not silently away.
        raise ValueError(f"event {envelope.event_id} lacks a tenant id or opportunity id")
    has_amount = event.HasField("amount")
    await project_opportunity(
        uow,
        Opportunity(
            opportunity_id=event.opportunity_id,
            tenant_id=envelope.tenant_id,
            customer_name=event.customer_name,
            owner_id=event.owner_id,
            amount_minor=event.amount.amount_minor if has_amount else None,
            currency=(event.amount.currency or CURRENCY) if has_amount else CURRENCY,
        ),
    )
