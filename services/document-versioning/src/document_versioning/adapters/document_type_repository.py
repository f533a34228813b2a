"""All SQL of a tenant's document types (table document_types)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from document_versioning.adapters.orm import document_types
from document_versioning.domain.document_type import DocumentType


class DocumentTypeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, tenant_id: str) -> tuple[DocumentType, ...]:
        """The tenant's stored types in their order; () when it has none (the defaults apply)."""
        rows = (
            await self.session.execute(
                sa.select(document_types)
                .where(document_types.c.tenant_id == tenant_id)
                .order_by(document_types.c.position, document_types.c.code)
            )
        ).all()
        return tuple(DocumentType(r.code, r.name, r.carries_fields, r.seeded) for r in rows)

    async def lock_tenant(self, tenant_id: str) -> None:
        """Serialises saves of one tenant's types on PostgreSQL (SQLite serialises writers itself)."""
        if self.session.bind.dialect.name == "postgresql":
            await self.session.execute(
                sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"document_types:{tenant_id}"}
            )

    async def add(self, tenant_id: str, document_type: DocumentType, position: int) -> None:
        await self.session.execute(
            sa.insert(document_types).values(
                tenant_id=tenant_id,
                code=document_type.code,
                name=document_type.name,
                carries_fields=document_type.carries_fields,
                seeded=document_type.seeded,
                position=position,
            )
        )

    async def update(self, tenant_id: str, document_type: DocumentType) -> None:
        await self.session.execute(
            sa.update(document_types)
            .where(document_types.c.tenant_id == tenant_id, document_types.c.code == document_type.code)
            .values(name=document_type.name, carries_fields=document_type.carries_fields)
        )
