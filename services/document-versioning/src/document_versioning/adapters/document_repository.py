"""All SQL of documents and their versions (the blobs' rows are
blob_repository's). Versions are only ever inserted: there is no update or
delete here on purpose."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from document_versioning.adapters.orm import document_versions, documents, equipment_models
from document_versioning.domain.document import Document, DocumentSummary, DocumentVersion
from document_versioning.domain.ecn import model_key
from document_versioning.domain.fields import fields_from_json, fields_json


def _document(mapping: sa.RowMapping) -> Document:
    data = {c.name: mapping[c.name] for c in documents.c}
    data["created_at"] = as_utc(data["created_at"])
    return Document(**data)


def _version(mapping: sa.RowMapping) -> DocumentVersion:
    data = {c.name: mapping[c.name] for c in document_versions.c}
    data["created_at"] = as_utc(data["created_at"])
    data["fields"] = fields_from_json(data["fields"])
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
        return _version(row._mapping) if row else None

    async def add_version(self, version: DocumentVersion) -> bool:
        """False when a concurrent upload took this version number first; the
        caller retries with the next one."""
        values = asdict(version) | {"fields": fields_json(version.fields)}
        return await insert_unless_taken(self.session, sa.insert(document_versions).values(**values))

    async def index_equipment(self, document: Document, version: DocumentVersion) -> None:
        """The models the version's equipment list names, for ECN matching (ecn_repository.py);
        only a document filed under an opportunity has orders an ECN can reach."""
        keys = sorted({model_key(e.model) for e in (version.fields.equipment if version.fields else ())})
        if not keys or not document.opportunity_id:
            return
        await self.session.execute(
            sa.insert(equipment_models),
            [
                {
                    "tenant_id": version.tenant_id,
                    "model_key": key,
                    "version_id": version.version_id,
                    "opportunity_id": document.opportunity_id,
                }
                for key in keys
            ],
        )

    async def get_version(self, tenant_id: str, version_id: str) -> DocumentVersion | None:
        row = (
            await self.session.execute(
                sa.select(document_versions).where(
                    document_versions.c.tenant_id == tenant_id, document_versions.c.version_id == version_id
                )
            )
        ).first()
        return _version(row._mapping) if row else None

    async def list_versions(
        self, tenant_id: str, document_id: str, *, after_number: int = 0, limit: int | None = None
    ) -> list[DocumentVersion]:
        """Ordered by number, from after_number on."""
        query = (
            sa.select(document_versions)
            .where(
                document_versions.c.tenant_id == tenant_id,
                document_versions.c.document_id == document_id,
                document_versions.c.version_number > after_number,
            )
            .order_by(document_versions.c.version_number)
        )
        if limit is not None:
            query = query.limit(limit)
        return [_version(r._mapping) for r in (await self.session.execute(query)).all()]

    async def list_documents(
        self,
        tenant_id: str,
        subject_type: str,
        subject_id: str,
        doc_type: str,
        *,
        after: tuple[object, str] | None = None,
        limit: int | None = None,
    ) -> list[DocumentSummary]:
        """Oldest first by (created_at, document_id); `after` is the last one of the page before."""
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
            .where(
                documents.c.tenant_id == tenant_id,
                documents.c.subject_type == subject_type,
                documents.c.subject_id == subject_id,
            )
            .order_by(documents.c.created_at, documents.c.document_id)
        )
        if doc_type:
            query = query.where(documents.c.doc_type == doc_type)
        if after is not None:
            at, document_id = after
            query = query.where(
                sa.or_(
                    documents.c.created_at > at,
                    sa.and_(documents.c.created_at == at, documents.c.document_id > document_id),
                )
            )
        if limit is not None:
            query = query.limit(limit)
        return [
            DocumentSummary(_document(r._mapping), r.number, r.version_id)
            for r in (await self.session.execute(query)).all()
        ]
