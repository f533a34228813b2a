"""All SQL of departments and their members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks, insert_unless_taken
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from approval.adapters.orm import approval_department_members as members_t
from approval.adapters.orm import approval_departments as departments_t
from approval.domain.organisation import Department, Member


class DepartmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _members(self, tenant_id: str, ids: Sequence[str]) -> dict[str, list[Member]]:
        out: dict[str, list[Member]] = defaultdict(list)
        m = members_t
        for chunk in in_chunks(list(ids)):
            rows = await self.session.execute(
                sa.select(m.c.department_id, m.c.user_id, m.c.role)
                .where(m.c.tenant_id == tenant_id, m.c.department_id.in_(chunk))
                .order_by(m.c.department_id, m.c.position)
            )
            for department_id, user_id, role in rows:
                out[department_id].append(Member(user_id, role))
        return out

    async def _build(self, tenant_id: str, rows: Sequence[sa.Row]) -> list[Department]:
        members = await self._members(tenant_id, [r.department_id for r in rows])
        return [
            Department(
                department_id=r.department_id,
                tenant_id=r.tenant_id,
                name=r.name,
                head_id=r.head_id,
                members=tuple(members.get(r.department_id, ())),
                version=r.version,
                updated_by=r.updated_by,
                updated_at=as_utc(r.updated_at),
            )
            for r in rows
        ]

    async def _write_members(self, department: Department) -> None:
        m = members_t
        await self.session.execute(
            sa.delete(m).where(m.c.tenant_id == department.tenant_id, m.c.department_id == department.department_id)
        )
        if department.members:
            await self.session.execute(
                sa.insert(m),
                [
                    {
                        "tenant_id": department.tenant_id,
                        "department_id": department.department_id,
                        "user_id": member.user_id,
                        "role": member.role,
                        "position": i,
                    }
                    for i, member in enumerate(department.members)
                ],
            )

    def _values(self, d: Department) -> dict[str, object]:
        return {
            "name": d.name,
            "head_id": d.head_id,
            "version": d.version,
            "updated_by": d.updated_by,
            "updated_at": d.updated_at,
        }

    async def add(self, department: Department) -> bool:
        """False when the tenant already has a department of that name."""
        statement = sa.insert(departments_t).values(
            department_id=department.department_id, tenant_id=department.tenant_id, **self._values(department)
        )
        if not await insert_unless_taken(self.session, statement):
            return False
        await self._write_members(department)
        return True

    async def save(self, department: Department, *, before: int) -> bool:
        """False when a concurrent change got there first (or took the name)."""
        t = departments_t
        statement = (
            sa.update(t)
            .where(
                t.c.tenant_id == department.tenant_id,
                t.c.department_id == department.department_id,
                t.c.version == before,
            )
            .values(**self._values(department))
        )
        try:
            async with self.session.begin_nested():
                result = await self.session.execute(statement)
        except IntegrityError:  # a concurrent save took the name
            return False
        if result.rowcount != 1:
            return False
        await self._write_members(department)
        return True

    async def delete(self, tenant_id: str, department_id: str) -> None:
        await self.session.execute(
            sa.delete(members_t).where(members_t.c.tenant_id == tenant_id, members_t.c.department_id == department_id)
        )
        await self.session.execute(
            sa.delete(departments_t).where(
                departments_t.c.tenant_id == tenant_id, departments_t.c.department_id == department_id
            )
        )

    async def get(self, tenant_id: str, department_id: str) -> Department | None:
        t = departments_t
        rows = (
            await self.session.execute(
                sa.select(t).where(t.c.tenant_id == tenant_id, t.c.department_id == department_id)
            )
        ).all()
        found = await self._build(tenant_id, rows)
        return found[0] if found else None

    async def by_name(self, tenant_id: str, name: str) -> Department | None:
        t = departments_t
        rows = (await self.session.execute(sa.select(t).where(t.c.tenant_id == tenant_id, t.c.name == name))).all()
        found = await self._build(tenant_id, rows)
        return found[0] if found else None

    async def list(self, tenant_id: str, member_id: str = "") -> list[Department]:
        """By name; with `member_id`, the departments that user is in."""
        t = departments_t
        query = sa.select(t).where(t.c.tenant_id == tenant_id)
        if member_id:
            m = members_t
            query = query.where(
                t.c.department_id.in_(
                    sa.select(m.c.department_id).where(m.c.tenant_id == tenant_id, m.c.user_id == member_id)
                )
            )
        rows = (await self.session.execute(query.order_by(t.c.name))).all()
        return await self._build(tenant_id, rows)

    async def sizes(self, tenant_id: str) -> dict[str, int]:
        """Each department's member count (the save check of a policy's k of n)."""
        t, m = departments_t, members_t
        rows = await self.session.execute(
            sa.select(t.c.department_id, sa.func.count(m.c.user_id))
            .select_from(
                t.outerjoin(m, sa.and_(m.c.tenant_id == t.c.tenant_id, m.c.department_id == t.c.department_id))
            )
            .where(t.c.tenant_id == tenant_id)
            .group_by(t.c.department_id)
        )
        return {department_id: count for department_id, count in rows}

    async def holders_of(self, tenant_id: str, role: str) -> tuple[str, ...]:
        """Members recorded with `role` in any department, by department and position."""
        m = members_t
        rows = await self.session.execute(
            sa.select(m.c.user_id)
            .where(m.c.tenant_id == tenant_id, m.c.role == role)
            .order_by(m.c.department_id, m.c.position)
        )
        return tuple(dict.fromkeys(user_id for (user_id,) in rows))
