"""Event consumers of contracts: an approval request naming a contract's
draft puts it under review, the decision approves or rejects it; a request
recalled, voided (a newer draft) or sent back to the requester ends the
review unapproved. The inbox record and the commit are
crm_shared.messaging.EventConsumer's."""

from __future__ import annotations

from crm.events.v1 import approval_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import unpack

from document_versioning.service_layer.contracts import ContractHandlers
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

# Requests that end without a decision; the review ends unapproved.
ENDED = {
    "approval.recalled": approval_pb2.ApprovalRecalled,
    "approval.voided": approval_pb2.ApprovalVoided,
    "approval.sent_back": approval_pb2.ApprovalSentBack,
}


class ContractConsumers:
    EVENT_TYPES = ("approval.requested", "approval.decided", *ENDED)

    def __init__(self, contracts: ContractHandlers) -> None:
        self.contracts = contracts

    async def approval_event(self, envelope: Envelope, uow: DocumentVersioningUnitOfWork) -> None:
        if envelope.type == "approval.requested":
            requested = unpack(envelope, approval_pb2.ApprovalRequested)
            await self.contracts.approval_requested(
                uow, envelope.tenant_id, requested.approval_id, requested.document_version_id
            )
        elif envelope.type == "approval.decided":
            decided = unpack(envelope, approval_pb2.ApprovalDecided)
            await self.contracts.approval_decided(uow, envelope.tenant_id, decided.approval_id, decided.decision)
        elif envelope.type in ENDED:
            ended = unpack(envelope, ENDED[envelope.type])
            if envelope.type == "approval.sent_back" and ended.to != "requester":
                return  # back to an earlier stage: still under review
            outcome = envelope.type.removeprefix("approval.")
            await self.contracts.approval_decided(uow, envelope.tenant_id, ended.approval_id, outcome)
