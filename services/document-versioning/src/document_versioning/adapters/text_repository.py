"""All SQL of extracted texts: one row per tenant and blob sha256, so a
blob shared by many versions (or diffed many times) is extracted once."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from crm_shared.db import upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from document_versioning.adapters.orm import document_texts
from document_versioning.adapters.text_extraction import EXTRACTOR_VERSION, ExtractedText

_FIELDS = ("text", "kind", "pages", "scanned", "truncated", "note")


class TextRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, sha256: str) -> ExtractedText | None:
        """The cached text, unless an older extractor made it."""
        row = (
            await self.session.execute(
                sa.select(document_texts).where(
                    document_texts.c.tenant_id == tenant_id,
                    document_texts.c.sha256 == sha256,
                    document_texts.c.extractor_version == EXTRACTOR_VERSION,
                )
            )
        ).first()
        return ExtractedText(**{name: row._mapping[name] for name in _FIELDS}) if row else None

    async def put(self, tenant_id: str, sha256: str, extracted: ExtractedText, now: datetime) -> None:
        values = {name: getattr(extracted, name) for name in _FIELDS} | {
            "extractor_version": EXTRACTOR_VERSION,
            "extracted_at": now,
            "note": extracted.note[:500],
        }
        statement = upsert_insert(self.session, document_texts).values(tenant_id=tenant_id, sha256=sha256, **values)
        # Two extractions racing store the same text; the later one simply wins.
        await self.session.execute(statement.on_conflict_do_update(index_elements=["tenant_id", "sha256"], set_=values))
