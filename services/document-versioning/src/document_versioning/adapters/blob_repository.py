"""The blobs table: what the blob store holds, per tenant and sha256
(metadata only; the bytes are in the store)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa
from crm_shared.db import upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from document_versioning.adapters.orm import blobs, document_versions
from document_versioning.domain.blob import StoredBlob


class BlobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, tenant_id: str, blob: StoredBlob, now: datetime | None = None) -> None:
        """Records a blob the store holds; the same content recorded again changes nothing."""
        await self.session.execute(
            upsert_insert(self.session, blobs)
            .values(
                tenant_id=tenant_id,
                sha256=blob.sha256,
                size_bytes=blob.size_bytes,
                store=blob.store or "filesystem",
                created_at=now,
            )
            .on_conflict_do_nothing()
        )

    async def get(self, tenant_id: str, sha256: str) -> StoredBlob | None:
        row = (
            await self.session.execute(
                sa.select(blobs.c.sha256, blobs.c.size_bytes, blobs.c.store).where(
                    blobs.c.tenant_id == tenant_id, blobs.c.sha256 == sha256
                )
            )
        ).first()
        return StoredBlob(row.sha256, row.size_bytes, row.store) if row else None

    async def named(self, tenant_id: str, sha256s: Collection[str]) -> set[str]:
        """Which of these blobs some version names."""
        query = (
            sa.select(document_versions.c.sha256)
            .where(document_versions.c.tenant_id == tenant_id, document_versions.c.sha256.in_(list(sha256s)))
            .distinct()
        )
        return set((await self.session.scalars(query)).all())

    async def forget(self, tenant_id: str, sha256s: Collection[str]) -> None:
        """Removes the rows of these blobs, each only while no version names it (checked in the delete)."""
        named = sa.select(document_versions.c.version_id).where(
            document_versions.c.tenant_id == blobs.c.tenant_id, document_versions.c.sha256 == blobs.c.sha256
        )
        await self.session.execute(
            sa.delete(blobs).where(blobs.c.tenant_id == tenant_id, blobs.c.sha256.in_(list(sha256s)), ~named.exists())
        )
