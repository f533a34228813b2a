"""Event consumers of promotions: approval's decision on a promotion
application (a durable of its own; the registrations' decisions have theirs).
The inbox record and the commit are crm_shared.messaging's."""

from __future__ import annotations

from crm.events.v1 import approval_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.approval_kinds import PROMOTION_APPLICATION
from crm_shared.events import unpack

from lead_routing.service_layer.promotions import Decision, PromotionHandlers
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


class PromotionConsumers:
    def __init__(self, handlers: PromotionHandlers) -> None:
        self.handlers = handlers

    def subscriptions(self) -> list[tuple[str, list[str], object]]:
        """(durable name, event types of one stream, handler of one event) for the bootstrap."""
        return [("lead-routing-promotion-decided", ["approval.decided"], self.approval_decided)]

    async def approval_decided(self, envelope: Envelope, uow: LeadRoutingUnitOfWork) -> None:
        event = unpack(envelope, approval_pb2.ApprovalDecided)
        if event.subject_type != PROMOTION_APPLICATION:
            return  # registrations' and opportunities' decisions are others'
        # The decision's comment is the public one; the approvers' opinions stay with approval.
        await self.handlers.approval_decided(
            uow,
            envelope.tenant_id,
            Decision(event.approval_id, event.subject_id, event.decision, event.comment),
        )
