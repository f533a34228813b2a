"""Bound to what was approved: a newer version of a request's document
(`document.version_created`) voids the request while it is pending and
marks it stale once approved (no stage gate accepts a stale approval).
Runs in the consumer's unit of work, which records the event as handled."""

from __future__ import annotations

from crm_shared.domain.errors import Conflict

from approval.domain import actions
from approval.domain.approval import SYSTEM_USER
from approval.service_layer.running import Engine
from approval.service_layer.uow import ApprovalUnitOfWork


async def document_changed(
    engine: Engine, uow: ApprovalUnitOfWork, tenant_id: str, document_id: str, version_id: str, sha256: str
) -> int:
    """How many requests it voided or staled. The same bytes uploaded again
    (equal sha256) change nothing: what was approved is still what is there."""
    changed = 0
    for request in await uow.approvals.about_document(tenant_id, document_id):
        if request.document_version_id == version_id or (sha256 and request.document_sha256 == sha256):
            continue
        run = engine.run(uow, request, await uow.approvals.tasks_of(tenant_id, request.approval_id), SYSTEM_USER,
                         "system")
        actions.document_changed(run, document_id, version_id, sha256)
        if not await engine.persist(uow, run, request.version):
            # An approver acted at the same moment: the event is redelivered and read again.
            raise Conflict(f"approval {request.approval_id} changed while its document's new version was applied")
        changed += 1
    return changed
