"""SQL of tasks. Every query is scoped by tenant."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

import sqlalchemy as sa
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.tasks import tasks
from opportunity.adapters.rows import load
from opportunity.domain.task import ECN_CONFIRMATION, Task


class TaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_unless_exists(self, task: Task) -> bool:
        """False when a task for this occasion (task.key) already exists."""
        exists = await self.session.scalar(
            sa.select(sa.func.count()).where(tasks.c.tenant_id == task.tenant_id, tasks.c.key == task.key)
        )
        if exists:
            return False
        return await insert_unless_taken(self.session, sa.insert(tasks).values(**asdict(task)))

    async def get(self, tenant_id: str, task_id: str) -> Task | None:
        row = (
            await self.session.execute(
                sa.select(tasks).where(tasks.c.tenant_id == tenant_id, tasks.c.task_id == task_id)
            )
        ).first()
        return load(Task, row) if row else None

    async def complete(self, task: Task) -> bool:
        """Store a completion; False when the task was no longer open (changed concurrently)."""
        result = await self.session.execute(
            sa.update(tasks)
            .where(tasks.c.tenant_id == task.tenant_id, tasks.c.task_id == task.task_id, tasks.c.state == "open")
            .values(state=task.state, completed_at=task.completed_at, completed_by=task.completed_by)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def answer(self, task: Task) -> bool:
        """Store an ECN task's answer; False when it was no longer open (answered concurrently)."""
        result = await self.session.execute(
            sa.update(tasks)
            .where(tasks.c.tenant_id == task.tenant_id, tasks.c.task_id == task.task_id, tasks.c.state == "open")
            .values(
                state=task.state,
                completed_at=task.completed_at,
                completed_by=task.completed_by,
                answer=task.answer,
                answer_note=task.answer_note,
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def for_ecn(
        self, tenant_id: str, ecn_id: str, owner_ids: frozenset[str] | None, limit: int = 2000
    ) -> list[Task]:
        query = sa.select(tasks).where(tasks.c.tenant_id == tenant_id, tasks.c.ecn_id == ecn_id)
        if owner_ids is not None:
            query = query.where(tasks.c.owner_id.in_(owner_ids))
        query = query.order_by(tasks.c.due_at, tasks.c.task_id).limit(limit)
        return [load(Task, r) for r in (await self.session.execute(query)).all()]

    async def ecn_overdue_unescalated(self, now: datetime, limit: int) -> list[Task]:
        """Open ECN confirmation tasks past due whose owner's manager was not told yet (every tenant)."""
        query = (
            sa.select(tasks)
            .where(
                tasks.c.rule == ECN_CONFIRMATION,
                tasks.c.state == "open",
                tasks.c.due_at <= now,
                tasks.c.escalated_at.is_(None),
            )
            .order_by(tasks.c.due_at, tasks.c.task_id)
            .limit(limit)
        )
        return [load(Task, r) for r in (await self.session.execute(query)).all()]

    async def mark_escalated(self, task: Task, at: datetime) -> bool:
        result = await self.session.execute(
            sa.update(tasks)
            .where(tasks.c.tenant_id == task.tenant_id, tasks.c.task_id == task.task_id, tasks.c.escalated_at.is_(None))
            .values(escalated_at=at)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def move_open(
        self, tenant_id: str, customer_ids: list[str], opportunity_ids: list[str], to_owner: str
    ) -> int:
        """Open tasks about customers given to another owner (or their opportunities) go with them."""
        result = await self.session.execute(
            sa.update(tasks)
            .where(
                tasks.c.tenant_id == tenant_id,
                tasks.c.state == "open",
                sa.or_(tasks.c.customer_id.in_(customer_ids), tasks.c.opportunity_id.in_(opportunity_ids)),
            )
            .values(owner_id=to_owner)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def list(
        self,
        tenant_id: str,
        *,
        owner_ids: frozenset[str] | None,
        state: str,
        owner_id: str,
        opportunity_id: str,
        customer_id: str,
        limit: int = 500,
    ) -> list[Task]:
        query = sa.select(tasks).where(tasks.c.tenant_id == tenant_id)
        if owner_ids is not None:
            query = query.where(tasks.c.owner_id.in_(owner_ids))
        for column, value in (
            (tasks.c.state, state),
            (tasks.c.owner_id, owner_id),
            (tasks.c.opportunity_id, opportunity_id),
            (tasks.c.customer_id, customer_id),
        ):
            if value:
                query = query.where(column == value)
        query = query.order_by(tasks.c.due_at, tasks.c.task_id).limit(limit)
        return [load(Task, r) for r in (await self.session.execute(query)).all()]
