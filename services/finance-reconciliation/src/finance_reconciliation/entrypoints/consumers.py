"""Event consumers: translate an envelope into a handler call. The inbox
record and the commit are EventConsumer's; handlers here must not commit."""

from __future__ import annotations

from datetime import UTC, date

from crm.events.v1.contract_pb2 import ContractSigned, ContractSuperseded
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.lead_pb2 import LeadConverted
from crm.events.v1.opportunity_pb2 import OpportunityClosed, OpportunityCreated, OpportunityDeliveryRecorded
from crm_shared.events import unpack
from crm_shared.logs import get_logger
from crm_shared.rep_profiles import profile_from

from finance_reconciliation.domain.contract import CURRENCY, EquipmentRow, FinanceContract, Term
from finance_reconciliation.domain.opportunity import Opportunity, Placement
from finance_reconciliation.service_layer.plans import contract_signed, contract_superseded, delivery_recorded
from finance_reconciliation.service_layer.projections import (
    lead_converted,
    opportunity_closed,
    opportunity_created,
    rep_profile_changed,
)
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

log = get_logger("finance_reconciliation.consumers")

OPPORTUNITY_CREATED_DURABLE = "finance-opportunity-created"


def _required(envelope: Envelope, opportunity_id: str) -> None:
    if not envelope.tenant_id or not opportunity_id:
        # Raising sends it through the retries to the dead-letter stream, not silently away.
        raise ValueError(f"event {envelope.event_id} lacks a tenant id or opportunity id")


def _amount(event: OpportunityCreated | OpportunityClosed) -> tuple[int | None, str]:
    """The amount in 分 (None when the opportunity has none) and its currency."""
    if not event.HasField("amount"):
        return None, CURRENCY
    return event.amount.amount_minor, event.amount.currency or CURRENCY


async def on_opportunity_created(envelope: Envelope, uow: FinanceUnitOfWork) -> None:
    event = unpack(envelope, OpportunityCreated)
    _required(envelope, event.opportunity_id)
    amount_minor, currency = _amount(event)
    await opportunity_created(
        uow,
        Opportunity(
            opportunity_id=event.opportunity_id,
            tenant_id=envelope.tenant_id,
            customer_name=event.customer_name,
            owner_id=event.owner_id,
            lead_id=event.lead_id,
            partner_org_id=event.partner_org_id,
            amount_minor=amount_minor,
            currency=currency,
        ),
    )


OPPORTUNITY_CLOSED_DURABLE = "finance-opportunity-closed"
REP_PROFILE_CHANGED_DURABLE = "finance-rep-profiles"


async def on_opportunity_closed(envelope: Envelope, uow: FinanceUnitOfWork) -> None:
    """Where and what the opportunity sold: its province, 大区 and product line."""
    event = unpack(envelope, OpportunityClosed)
    _required(envelope, event.opportunity_id)
    amount_minor, currency = _amount(event)
    await opportunity_closed(
        uow,
        Placement(
            opportunity_id=event.opportunity_id,
            tenant_id=envelope.tenant_id,
            owner_id=event.owner_id,
            province=event.province,
            product_line=event.product_line,
            amount_minor=amount_minor,
            currency=currency,
        ),
    )


async def on_rep_profile_changed(envelope: Envelope, uow: FinanceUnitOfWork) -> None:
    """Who manages whom: a manager's team scope and the overdue notice's addressee."""
    await rep_profile_changed(uow, profile_from(envelope))


CONTRACT_SIGNED_DURABLE = "finance-contract-signed"
CONTRACT_SUPERSEDED_DURABLE = "finance-contract-superseded"
LEAD_CONVERTED_DURABLE = "finance-lead-converted"


def _terms(rows) -> tuple[Term, ...]:  # type: ignore[no-untyped-def]
    return tuple(
        Term(
            name=r.name,
            trigger=r.trigger,
            days=r.days,
            percent_bp=r.percent_bp if r.HasField("percent_bp") else None,
            amount_minor=r.amount_minor if r.HasField("amount_minor") else None,
        )
        for r in rows
    )


async def on_contract_signed(envelope: Envelope, uow: FinanceUnitOfWork) -> None:
    event = unpack(envelope, ContractSigned)
    if not envelope.tenant_id or not event.version_id or not event.contract_id:
        raise ValueError(f"event {envelope.event_id} lacks a tenant, contract or version id")
    await contract_signed(
        uow,
        FinanceContract(
            tenant_id=envelope.tenant_id,
            contract_id=event.contract_id,
            version_id=event.version_id,
            signed_version_id=event.signed_version_id,
            label=event.label,
            opportunity_id=event.opportunity_id,
            customer_id=event.customer_id,
            total_minor=event.total.amount_minor,
            currency=event.total.currency or CURRENCY,
            equipment=tuple(
                EquipmentRow(e.model, e.description, e.quantity, e.unit_price_minor) for e in event.equipment
            ),
            terms=_terms(event.instalments),
            signed_on=date.fromisoformat(event.signed_on),
            warranty_months=event.warranty_months if event.HasField("warranty_months") else None,
            supersedes_version_id=event.supersedes_version_id,
            contract_number=event.contract_number,
        ),
    )


async def on_contract_superseded(envelope: Envelope, uow: FinanceUnitOfWork) -> None:
    event = unpack(envelope, ContractSuperseded)
    await contract_superseded(uow, envelope.tenant_id, event.version_id, event.superseded_by_version_id)


async def on_lead_converted(envelope: Envelope, uow: FinanceUnitOfWork) -> None:
    """The lead's source, so receipts of its opportunity carry it (the opportunity names its lead)."""
    event = unpack(envelope, LeadConverted)
    source = event.source or (event.sources[0] if event.sources else "")
    if envelope.tenant_id and event.lead_id and source:
        await lead_converted(uow, envelope.tenant_id, event.lead_id, source)


DELIVERY_RECORDED_DURABLE = "finance-delivery-recorded"


async def on_delivery_recorded(envelope: Envelope, uow: FinanceUnitOfWork) -> None:
    """Sales recorded a contract's delivery or acceptance on the opportunity (service_layer/plans.py
    delivery_recorded)."""
    event = unpack(envelope, OpportunityDeliveryRecorded)
    if not envelope.tenant_id or not event.contract_id:
        raise ValueError(f"event {envelope.event_id} lacks a tenant or contract id")
    try:
        on = date.fromisoformat(event.on)
    except ValueError:
        raise ValueError(f"event {envelope.event_id} has no date (on={event.on!r})") from None
    # Ordered by when sales recorded it, not when it reached finance: a retried older record loses to a newer one.
    dated = await delivery_recorded(
        uow,
        envelope.tenant_id,
        event.opportunity_id,
        event.contract_id,
        event.kind,
        on,
        event.recorded_by,
        recorded_at=envelope.occurred_at.ToDatetime(tzinfo=UTC),
        record_id=event.delivery_id or envelope.event_id,
    )
    if not dated:
        log.warning("delivery recorded on another opportunity than the contract's, ignored", contract=event.contract_id)
