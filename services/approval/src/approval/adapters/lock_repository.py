"""Read-only SQL over approval_requests (written by approval_repository only):
the pending requests of one subject that lock fields."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from approval.adapters.orm import approval_requests as r
from approval.domain.lock import SubjectLock


class LockRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def pending_locks(self, tenant_id: str, subject_type: str, subject_id: str) -> list[SubjectLock]:
        rows = await self.session.execute(
            sa.select(r.c.approval_id, r.c.kind, r.c.title, r.c.locked_fields)
            .where(
                r.c.tenant_id == tenant_id,
                r.c.subject_type == subject_type,
                r.c.subject_id == subject_id,
                r.c.status == "pending",
            )
            .order_by(r.c.requested_at, r.c.approval_id)
        )
        return [
            SubjectLock(m["approval_id"], m["kind"], m["title"], tuple(m["locked_fields"] or ()))
            for m in (row._mapping for row in rows)
            if m["locked_fields"]
        ]
