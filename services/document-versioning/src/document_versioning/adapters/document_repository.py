"""All SQL of document-versioning. Versions are only ever inserted: there is
no update or delete here on purpose."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken, upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from document_versioning.adapters.orm import blobs, document_versions, documents
from document_versioning.domain.document import Document, DocumentSummary, DocumentVersion


def _document(mapping: sa.RowMapping) -> Document:
    data = {c.name: mapping[c.name] for c in documents.c}
    data["created_at"] = as_utc(data["created_at"])
    return Document(**data)


def _version(row: sa.Row) -> DocumentVersion:
    data = dict(row._mapping)
    data["created_at"] = as_utc(data["created_at"])
    return DocumentVersion(**data)


class DocumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_document(self, document: Document) -> None:
        await self.session.execute(sa.insert(documents).values(**asdict(document)))

    async def get_document(self, tenant_id: str, document_id: str) -> Document | None:
        row = (
            await self.session.execute(
                sa.select(documents).where(documents.c.tenant_id == tenant_id, documents.c.document_id == document_id)
            )
        ).first()
        return _document(row._mapping) if row else None

    async def latest_version(self, tenant_id: str, document_id: str) -> DocumentVersion | None:
        row = (
            await self.session.execute(
                sa.select(document_versions)
                .where(document_versions.c.tenant_id == tenant_id, document_versions.c.document_id == document_id)
                .order_by(document_versions.c.version_number.desc())
                .limit(1)
            )
        ).first()
        return _version(row) if row else None

    async def add_version(self, version: DocumentVersion, content: bytes) -> bool:
        """False when a concurrent upload took this version number first; the
        caller retries with the next one."""
        # Identical content (the same PDF uploaded twice) is stored once per tenant.
        await self.session.execute(
            upsert_insert(self.session, blobs)
            .values(tenant_id=version.tenant_id, sha256=version.sha256, size_bytes=version.size_bytes, content=content)
            .on_conflict_do_nothing()
        )
        return await insert_unless_taken(self.session, sa.insert(document_versions).values(**asdict(version)))

    async def get_version(self, tenant_id: str, version_id: str) -> DocumentVersion | None:
        row = (
            await self.session.execute(
                sa.select(document_versions).where(
                    document_versions.c.tenant_id == tenant_id, document_versions.c.version_id == version_id
                )
            )
        ).first()
        return _version(row) if row else None

    async def content(self, tenant_id: str, sha256: str) -> bytes:
        return await self.session.scalar(
            sa.select(blobs.c.content).where(blobs.c.tenant_id == tenant_id, blobs.c.sha256 == sha256)
        )

    async def list_versions(self, tenant_id: str, document_id: str) -> list[DocumentVersion]:
        query = (
            sa.select(document_versions)
            .where(document_versions.c.tenant_id == tenant_id, document_versions.c.document_id == document_id)
            .order_by(document_versions.c.version_number)
        )
        return [_version(r) for r in (await self.session.execute(query)).all()]

    async def list_documents(self, tenant_id: str, opportunity_id: str, doc_type: str) -> list[DocumentSummary]:
        latest = (
            sa.select(document_versions.c.document_id, sa.func.max(document_versions.c.version_number).label("number"))
            .where(document_versions.c.tenant_id == tenant_id)
            .group_by(document_versions.c.document_id)
            .subquery()
        )
        query = (
            sa.select(documents, latest.c.number, document_versions.c.version_id)
            .join(latest, latest.c.document_id == documents.c.document_id)
            .join(
                document_versions,
                sa.and_(
                    document_versions.c.document_id == latest.c.document_id,
                    document_versions.c.version_number == latest.c.number,
                ),
            )
            .where(documents.c.tenant_id == tenant_id, documents.c.opportunity_id == opportunity_id)
            .order_by(documents.c.created_at, documents.c.document_id)
        )
        if doc_type:
            query = query.where(documents.c.doc_type == doc_type)
        return [
            DocumentSummary(_document(r._mapping), r.number, r.version_id)
            for r in (await self.session.execute(query)).all()
        ]
