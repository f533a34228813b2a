"""DiffVersions: what changed between two versions of one document — the
text diff of their extracted text, the field diff of their structured
fields, and the HTML rendering. Both versions are read through the one
access check of versions (D2's readable_version): a version the caller may
not read is not found."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.limits import MAX_ID

from document_versioning.adapters.text_extraction import ExtractedText
from document_versioning.domain.document import Document, DocumentVersion
from document_versioning.domain.field_diff import FieldChange, diff_fields
from document_versioning.domain.text_diff import TextDiff, diff_text, render_html
from document_versioning.service_layer.texts import VersionTexts

# readable_version(caller, version_id) -> (document, version), NotFound when the caller may not read it.
Readable = Callable[[Caller, str], Awaitable[tuple[Document, DocumentVersion]]]


@dataclass(frozen=True)
class Side:
    version: DocumentVersion
    text: ExtractedText


@dataclass(frozen=True)
class VersionDiff:
    document_id: str
    older: Side
    newer: Side
    text: TextDiff
    fields: tuple[FieldChange, ...]
    html: str = ""


class DiffHandlers:
    def __init__(self, readable: Readable, texts: VersionTexts, timeout_s: float) -> None:
        self.readable = readable
        self.texts = texts
        self.timeout_s = timeout_s

    async def diff(
        self, caller: Caller, document_id: str, from_version_id: str, to_version_id: str, include_html: bool
    ) -> VersionDiff:
        document_id, from_version_id, to_version_id = (x.strip() for x in (document_id, from_version_id, to_version_id))
        v = Validator()
        for name, value in (("document_id", document_id), ("from", from_version_id), ("to", to_version_id)):
            v.require(name, value)
            if len(value) > MAX_ID:
                v.add(name, f"is longer than {MAX_ID} characters")
        v.check()
        older = await self._version_of(caller, document_id, from_version_id, "from")
        newer = await self._version_of(caller, document_id, to_version_id, "to")
        text_a, text_b = await self.texts.of(older), await self.texts.of(newer)
        text = await asyncio.to_thread(diff_text, text_a.text, text_b.text, timeout_s=self.timeout_s)
        return VersionDiff(
            document_id=document_id,
            older=Side(older, text_a),
            newer=Side(newer, text_b),
            text=text,
            fields=diff_fields(older.fields, newer.fields),
            html=render_html(text) if include_html else "",
        )

    async def _version_of(self, caller: Caller, document_id: str, version_id: str, name: str) -> DocumentVersion:
        document, version = await self.readable(caller, version_id)
        if document.document_id != document_id:
            # Both versions are readable to the caller, so saying which document it belongs to hides nothing.
            raise InvalidArgument.field(name, f"version {version_id} is not a version of document {document_id}")
        return version
