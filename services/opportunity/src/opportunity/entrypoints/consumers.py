"""Event consumers: translate envelopes to handler calls. The inbox record
and the commit are done by crm_shared.messaging.EventConsumer; bootstrap.py
registers each with Runtime.consume."""

from __future__ import annotations

from datetime import UTC

from crm.events.v1 import approval_pb2, customer_pb2, finance_pb2, lead_pb2, opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import unpack
from crm_shared.rep_profiles import profile_from

from opportunity.service_layer import projections
from opportunity.service_layer.conversion import ConvertedLead, lead_converted
from opportunity.service_layer.opportunities import DecisionMade, OpportunityHandlers
from opportunity.service_layer.projections import ReceiptSeen
from opportunity.service_layer.timers import TimerHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork


class OpportunityConsumers:
    def __init__(self, opportunities: OpportunityHandlers, timers: TimerHandlers) -> None:
        self.opportunities = opportunities
        self.timers = timers

    async def lead_converted(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, lead_pb2.LeadConverted)
        has_amount = event.HasField("expected_amount")
        await lead_converted(
            uow,
            envelope.tenant_id,
            ConvertedLead(
                lead_id=event.lead_id,
                company_name=event.company_name,
                credit_code=event.credit_code,
                phone=event.phone,
                province=event.province,
                city=event.city,
                district=event.district,
                owner_id=event.owner_id,
                opportunity_name=event.opportunity_name,
                amount_minor=event.expected_amount.amount_minor if has_amount else None,
                currency=(event.expected_amount.currency or "CNY") if has_amount else "CNY",
                contact_name=event.contact_name,
                address=event.address,
                latitude=event.latitude if event.HasField("latitude") else None,
                longitude=event.longitude if event.HasField("longitude") else None,
                industry_tags=tuple(event.industry_tags),
                partner_org_id=event.partner_org_id,
                registration_id=event.registration_id,
                partner_name=event.partner_name,
            ),
        )

    async def approval_decided(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, approval_pb2.ApprovalDecided)
        if event.subject_type != "opportunity":
            return  # decisions on documents, payments, ... are not ours
        await self.opportunities.approval_decided(
            uow,
            envelope.tenant_id,
            DecisionMade(
                approval_id=event.approval_id,
                opportunity_id=event.subject_id,
                decision=event.decision,
                decided_by=event.decided_by,
                decided_at=envelope.occurred_at.ToDatetime(tzinfo=UTC),
                kind=event.kind,
            ),
        )

    async def activity_logged(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, opportunity_pb2.ActivityLogged)
        await self.timers.activity_logged(uow, envelope.tenant_id, event.customer_id, event.opportunity_id)

    async def rep_profile_changed(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        await projections.rep_profile_changed(uow, profile_from(envelope))

    async def receipt_changed(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        """payment.receipt_recorded and payment.receipt_reversed, on one consumer so
        they are applied in the order finance published them."""
        if envelope.type == "payment.receipt_reversed":
            reversed_ = unpack(envelope, finance_pb2.ReceiptReversed)
            await projections.receipt_reversed(
                uow,
                envelope.tenant_id,
                ReceiptSeen(
                    reversed_.receipt_id,
                    reversed_.opportunity_id,
                    reversed_.amount.amount_minor,
                    reversed_.amount.currency,
                ),
            )
            return
        recorded = unpack(envelope, finance_pb2.ReceiptRecorded)
        await projections.receipt_recorded(
            uow,
            envelope.tenant_id,
            ReceiptSeen(
                recorded.receipt_id,
                recorded.opportunity_id,
                recorded.amount.amount_minor,
                recorded.amount.currency,
                recorded.status,
                recorded.paid_on,
            ),
        )

    async def service_requested(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, customer_pb2.CustomerServiceRequested)
        await projections.service_requested(uow, envelope.tenant_id, event.customer_id)
