"""Which fields of a subject its pending requests lock, for the service that
owns the subject (asked synchronously before it changes one)."""

from __future__ import annotations

from collections.abc import Callable

from crm_shared.context import Caller

from approval.domain.approval import validate_subject
from approval.domain.lock import LOCK_READERS, SubjectLock
from approval.service_layer.uow import ApprovalUnitOfWork


class LockHandlers:
    def __init__(self, uow: Callable[[], ApprovalUnitOfWork]) -> None:
        self.uow = uow

    async def subject_locks(self, caller: Caller, subject_type: str, subject_id: str) -> list[SubjectLock]:
        caller.require_role(*LOCK_READERS)
        validate_subject(subject_type, subject_id)
        async with self.uow() as uow:
            return await uow.locks.pending_locks(caller.tenant_id, subject_type.strip(), subject_id.strip())
