"""Use cases of approval: check who may, open a unit of work, call the
domain, publish, commit.

Who may ask for, see or decide an approval follows who may see its subject,
as opportunity decides (crm_shared.subject_access), checked before the unit
of work opens so no transaction waits on another service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm.events.v1 import approval_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound
from crm_shared.ids import new_id
from crm_shared.subject_access import SubjectAccess

from approval.adapters.documents import DocumentVersions
from approval.domain.approval import (
    DECIDERS,
    READERS,
    REQUESTERS,
    Approval,
    already_decided,
    check_document_of_subject,
    new_approval,
    refuse_second_request,
    validate_decision,
    validate_subject,
    validate_submit,
)
from approval.service_layer.uow import ApprovalUnitOfWork

UowFactory = Callable[[], ApprovalUnitOfWork]


@dataclass(frozen=True)
class SubmitApproval:
    subject_type: str
    subject_id: str
    document_version_id: str = ""
    reason: str = ""


class ApprovalHandlers:
    def __init__(self, uow: UowFactory, access: SubjectAccess, documents: DocumentVersions) -> None:
        self.uow = uow
        self.access = access
        self.documents = documents

    async def submit(self, caller: Caller, cmd: SubmitApproval) -> Approval:
        caller.require_role(*REQUESTERS)
        validate_submit(cmd.subject_type, cmd.subject_id, cmd.document_version_id, cmd.reason)
        await self.access.require(caller, cmd.subject_type.strip(), cmd.subject_id.strip(), write=True)
        if cmd.document_version_id.strip():
            filed_under = await self.documents.opportunity_of(caller.tenant_id, cmd.document_version_id.strip())
            check_document_of_subject(filed_under, cmd.subject_id.strip())
        async with self.uow() as uow:
            approval = new_approval(
                approval_id=new_id(),
                tenant_id=caller.tenant_id,
                requested_by=caller.user_id,
                now=uow.clock.now(),
                **cmd.__dict__,
            )
            refuse_second_request(
                await uow.approvals.pending_for(approval.tenant_id, approval.subject_type, approval.subject_id)
            )
            if not await uow.approvals.add(approval):
                # A concurrent submit for this subject committed between our check and insert.
                refuse_second_request(
                    await uow.approvals.pending_for(approval.tenant_id, approval.subject_type, approval.subject_id)
                )
            await uow.publish(
                "approval.requested",
                approval.tenant_id,
                approval.approval_id,
                approval_pb2.ApprovalRequested(
                    approval_id=approval.approval_id,
                    subject_type=approval.subject_type,
                    subject_id=approval.subject_id,
                    requested_by=approval.requested_by,
                    document_version_id=approval.document_version_id or "",
                ),
            )
            await uow.commit()
        return approval

    async def decide(self, caller: Caller, approval_id: str, decision: str, comment: str) -> Approval:
        caller.require_role(*DECIDERS)
        validate_decision(decision, comment)
        await self._readable(caller, approval_id)
        async with self.uow() as uow:
            approval = await uow.approvals.get(caller.tenant_id, approval_id)
            if approval is None:
                raise NotFound(f"approval {approval_id} not found")
            decided = approval.decide(decision, caller.user_id, comment, uow.clock.now())
            if not await uow.approvals.record_decision(decided):
                raise already_decided(await uow.approvals.get(caller.tenant_id, approval_id) or approval)
            await uow.publish(
                "approval.decided",
                decided.tenant_id,
                decided.approval_id,
                approval_pb2.ApprovalDecided(
                    approval_id=decided.approval_id,
                    subject_type=decided.subject_type,
                    subject_id=decided.subject_id,
                    decision=decided.status,
                    decided_by=decided.decided_by or "",
                    comment=decided.comment,
                ),
            )
            await uow.commit()
        return decided

    async def get(self, caller: Caller, approval_id: str) -> Approval:
        caller.require_role(*READERS)
        return await self._readable(caller, approval_id)

    async def latest(self, caller: Caller, subject_type: str, subject_id: str) -> Approval | None:
        caller.require_role(*READERS)
        validate_subject(subject_type, subject_id)
        await self.access.require(caller, subject_type.strip(), subject_id.strip())
        async with self.uow() as uow:
            return await uow.approvals.latest_for(caller.tenant_id, subject_type.strip(), subject_id.strip())

    async def _readable(self, caller: Caller, approval_id: str) -> Approval:
        """The approval if the caller may see its subject; one they may not reads as missing."""
        missing = f"approval {approval_id} not found"
        async with self.uow() as uow:
            approval = await uow.approvals.get(caller.tenant_id, approval_id)
        if approval is None:
            raise NotFound(missing)
        await self.access.require(caller, approval.subject_type, approval.subject_id, missing=missing)
        return approval
