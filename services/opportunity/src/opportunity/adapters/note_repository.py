"""SQL of private notes and their versions. Every query is scoped by tenant."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.customers import note_versions, notes
from opportunity.adapters.rows import columns, load
from opportunity.domain.note import Note, NoteVersion


class NoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, note: Note) -> None:
        await self.session.execute(sa.insert(notes).values(**columns(Note, note, skip=("history",))))
        await self._version(note)

    async def save(self, note: Note) -> None:
        await self.session.execute(
            sa.update(notes)
            .where(notes.c.tenant_id == note.tenant_id, notes.c.note_id == note.note_id)
            .values(text=note.text, version=note.version, updated_at=note.updated_at)
        )
        await self._version(note)

    async def _version(self, note: Note) -> None:
        await self.session.execute(
            sa.insert(note_versions).values(
                note_id=note.note_id,
                version=note.version,
                tenant_id=note.tenant_id,
                text=note.text,
                edited_by=note.author_id,
                edited_at=note.updated_at,
            )
        )

    async def get(self, tenant_id: str, customer_id: str, note_id: str, *, for_update: bool = False) -> Note | None:
        """for_update locks the note's row first (PostgreSQL): edits of one note queue."""
        if for_update:
            await self.session.execute(
                sa.select(notes.c.note_id)
                .where(notes.c.tenant_id == tenant_id, notes.c.customer_id == customer_id, notes.c.note_id == note_id)
                .with_for_update()
            )
        found = await self._with_history(tenant_id, notes.c.customer_id == customer_id, notes.c.note_id == note_id)
        return found[0] if found else None

    async def for_customer(
        self, tenant_id: str, customer_id: str, *, authors: frozenset[str] | None = None
    ) -> list[Note]:
        """Notes on a customer, of the given authors only (None: of everyone)."""
        where = [notes.c.customer_id == customer_id]
        if authors is not None:
            if not authors:
                return []
            where.append(notes.c.author_id.in_(sorted(authors)))
        return await self._with_history(tenant_id, *where)

    async def _with_history(self, tenant_id: str, *where: sa.ColumnElement[bool]) -> list[Note]:
        query = (
            sa.select(notes).where(notes.c.tenant_id == tenant_id, *where).order_by(notes.c.created_at, notes.c.note_id)
        )
        found = [load(Note, r) for r in (await self.session.execute(query)).all()]
        if not found:
            return []
        rows = (
            await self.session.execute(
                sa.select(note_versions)
                .where(note_versions.c.note_id.in_([n.note_id for n in found]))
                .order_by(note_versions.c.version)
            )
        ).all()
        history: dict[str, list[NoteVersion]] = {}
        for row in rows:
            history.setdefault(row.note_id, []).append(load(NoteVersion, row))
        return [
            Note(**{**columns(Note, n, skip=("history",)), "history": tuple(history.get(n.note_id, ()))}) for n in found
        ]

    async def count_for(self, tenant_id: str, customer_ids: list[str]) -> int:
        query = sa.select(sa.func.count()).where(notes.c.tenant_id == tenant_id, notes.c.customer_id.in_(customer_ids))
        return int(await self.session.scalar(query) or 0)
