"""The events that move a rep's current-month PHI: an activity on an opportunity, a stage change or
a close, an ECN confirmation answered (the owner's row recomputed), and approvals on opportunities
requested and decided (the cross-department task's start and end recorded, then the same).
Translation only: the inbox record and the commit are crm_shared.messaging.EventConsumer's."""

from __future__ import annotations

from datetime import UTC

from crm.events.v1 import approval_pb2, contract_pb2, opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import unpack

from opportunity.service_layer.process_health import ProcessHealthHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork

MOVING = {
    "activity.logged": opportunity_pb2.ActivityLogged,
    "opportunity.stage_changed": opportunity_pb2.OpportunityStageChanged,
    "opportunity.closed": opportunity_pb2.OpportunityClosed,
    "task.ecn_answered": contract_pb2.EcnTaskAnswered,
}
MOVING_EVENTS = list(MOVING)
APPROVAL_EVENTS = ["approval.requested", "approval.decided"]


class ProcessHealthConsumers:
    def __init__(self, handlers: ProcessHealthHandlers) -> None:
        self.handlers = handlers

    async def moved(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        event = unpack(envelope, MOVING[envelope.type])
        await self.handlers.opportunity_moved(uow, envelope.tenant_id, event.opportunity_id)

    async def approval(self, envelope: Envelope, uow: OpportunityUnitOfWork) -> None:
        """requested and decided on one consumer, so a decision never overtakes its request."""
        requested = envelope.type == "approval.requested"
        event = unpack(envelope, approval_pb2.ApprovalRequested if requested else approval_pb2.ApprovalDecided)
        if event.subject_type != "opportunity":
            return
        at = envelope.occurred_at.ToDatetime(tzinfo=UTC)
        record = self.handlers.approval_requested if requested else self.handlers.approval_decided
        await record(uow, envelope.tenant_id, event.approval_id, event.subject_id, at)
