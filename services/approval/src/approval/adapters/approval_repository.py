"""All SQL of approval."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from approval.adapters.orm import approvals
from approval.domain.approval import Approval


def _to_approval(row: sa.Row) -> Approval:
    data = dict(row._mapping)
    data["requested_at"] = as_utc(data["requested_at"])
    data["decided_at"] = data["decided_at"] and as_utc(data["decided_at"])
    return Approval(**data)


class ApprovalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, approval: Approval) -> bool:
        """False when a concurrent submit for the same subject got its pending
        request in first (the partial unique index); the transaction stays usable."""
        return await insert_unless_taken(self.session, sa.insert(approvals).values(**asdict(approval)))

    async def get(self, tenant_id: str, approval_id: str) -> Approval | None:
        row = (
            await self.session.execute(
                sa.select(approvals).where(approvals.c.tenant_id == tenant_id, approvals.c.approval_id == approval_id)
            )
        ).first()
        return _to_approval(row) if row else None

    async def pending_for(self, tenant_id: str, subject_type: str, subject_id: str) -> Approval | None:
        row = (
            await self.session.execute(
                sa.select(approvals).where(
                    approvals.c.tenant_id == tenant_id,
                    approvals.c.subject_type == subject_type,
                    approvals.c.subject_id == subject_id,
                    approvals.c.status == "pending",
                )
            )
        ).first()
        return _to_approval(row) if row else None

    async def latest_for(self, tenant_id: str, subject_type: str, subject_id: str) -> Approval | None:
        row = (
            await self.session.execute(
                sa.select(approvals)
                .where(
                    approvals.c.tenant_id == tenant_id,
                    approvals.c.subject_type == subject_type,
                    approvals.c.subject_id == subject_id,
                )
                .order_by(approvals.c.requested_at.desc(), approvals.c.approval_id.desc())
                .limit(1)
            )
        ).first()
        return _to_approval(row) if row else None

    async def record_decision(self, decided: Approval) -> bool:
        """Writes the decision only if the request is still pending; False
        when a concurrent decision committed first (it re-checks the status
        under the row lock, which the read before it could not)."""
        result = await self.session.execute(
            sa.update(approvals)
            .where(
                approvals.c.tenant_id == decided.tenant_id,
                approvals.c.approval_id == decided.approval_id,
                approvals.c.status == "pending",
            )
            .values(
                status=decided.status,
                decided_by=decided.decided_by,
                comment=decided.comment,
                decided_at=decided.decided_at,
            )
        )
        return result.rowcount == 1
