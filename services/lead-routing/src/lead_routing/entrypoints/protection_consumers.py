"""Event consumers of the protection window: approval's decision on a
registration or on an extension of its protection (a durable of its own; the
promotion applications' decisions have theirs), and an extension's request
recalled or voided (it ends as not granted). The inbox record and the commit
are crm_shared.messaging's."""

from __future__ import annotations

from crm.events.v1 import approval_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.approval_kinds import PROTECTION_EXTENSION
from crm_shared.events import unpack

from lead_routing.domain.protection import DECIDING_KINDS, SUBJECT_TYPE
from lead_routing.service_layer.protection import Decided, ProtectionHandlers
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

ENDED = {"approval.recalled": approval_pb2.ApprovalRecalled, "approval.voided": approval_pb2.ApprovalVoided}


class ProtectionConsumers:
    def __init__(self, handlers: ProtectionHandlers) -> None:
        self.handlers = handlers

    def subscriptions(self) -> list[tuple[str, list[str], object]]:
        """(durable name, event types of one stream, handler of one event) for the bootstrap."""
        return [("lead-routing-registration-decided", ["approval.decided", *ENDED], self.approval_event)]

    async def approval_event(self, envelope: Envelope, uow: LeadRoutingUnitOfWork) -> None:
        if envelope.type == "approval.decided":
            event = unpack(envelope, approval_pb2.ApprovalDecided)
            decision, comment = event.decision, event.comment  # the public comment; opinions stay with approval
        else:
            event = unpack(envelope, ENDED[envelope.type])
            decision, comment = "rejected", "审批已撤回" if envelope.type == "approval.recalled" else "审批已作废"
            if event.kind != PROTECTION_EXTENSION:
                return  # a registration's own request is lead-routing's: it is not recalled
        if event.subject_type != SUBJECT_TYPE or event.kind not in DECIDING_KINDS:
            return  # promotion applications' and opportunities' decisions are others'
        await self.handlers.approval_decided(
            uow, envelope.tenant_id, Decided(event.approval_id, event.subject_id, event.kind, decision, comment)
        )
