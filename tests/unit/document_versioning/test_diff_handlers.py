"""The diff and text use cases with fakes: texts are extracted once per blob,
a blob past the bound is never read, both versions must be readable and of
the one document, and bad ids are named."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, NotFound
from crm_shared.testing import FakeUnitOfWork
from document_versioning.adapters.text_extraction import ExtractedText, ExtractionLimits
from document_versioning.domain.document import Document, DocumentVersion
from document_versioning.domain.fields import VersionFields
from document_versioning.service_layer.diffs import DiffHandlers
from document_versioning.service_layer.texts import VersionTexts

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
REP = Caller("t", "rep-1", "rep")
DOC = Document("doc-1", "t", "opp-1", "技术方案", "方案", "rep-1", NOW, "opportunity", "opp-1")
V1 = DocumentVersion(
    "v1", "doc-1", "t", 1, "a.txt", "text/plain", 10, "a" * 64, "rep-1", NOW, fields=VersionFields(total_minor=100)
)
V2 = replace(V1, version_id="v2", version_number=2, sha256="b" * 64, fields=VersionFields(total_minor=120))
OTHER = replace(V1, version_id="v9", document_id="doc-2", sha256="c" * 64)
BLOBS = {"a" * 64: "交期 30 天".encode(), "b" * 64: "交期 45 天".encode(), "c" * 64: b"other"}


class Texts:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], ExtractedText] = {}

    async def get(self, tenant_id: str, sha256: str) -> ExtractedText | None:
        return self.rows.get((tenant_id, sha256))

    async def put(self, tenant_id: str, sha256: str, extracted: ExtractedText, now: datetime) -> None:
        self.rows[(tenant_id, sha256)] = extracted


@pytest.fixture
def texts() -> Texts:
    return Texts()


def handlers(texts: Texts, reads: list[str], max_bytes: int = 1024) -> DiffHandlers:
    uow = FakeUnitOfWork(texts=texts)

    async def read_bytes(tenant_id: str, sha256: str, limit: int) -> bytes:
        reads.append(sha256)
        return BLOBS[sha256]

    async def readable(caller: Caller, version_id: str) -> tuple[Document, DocumentVersion]:
        versions = {v.version_id: v for v in (V1, V2, OTHER)}
        if version_id not in versions:
            raise NotFound(f"document version {version_id} not found")
        version = versions[version_id]
        return replace(DOC, document_id=version.document_id), version

    return DiffHandlers(readable, VersionTexts(lambda: uow, read_bytes, ExtractionLimits(), max_bytes), 0.5)


async def test_diff_names_the_text_and_field_changes_and_extracts_each_blob_once(texts: Texts) -> None:
    reads: list[str] = []
    h = handlers(texts, reads)

    diff = await h.diff(REP, "doc-1", "v1", "v2", include_html=True)
    await h.diff(REP, "doc-1", "v1", "v2", include_html=False)

    assert [(c.before, c.after) for c in diff.text.changes] == [("30", "45")]
    assert [(f.path, f.before, f.after) for f in diff.fields] == [("total_minor", "100", "120")]
    assert "<ins" in diff.html
    assert reads == ["a" * 64, "b" * 64]  # the second diff read the cache


async def test_a_blob_past_the_bound_is_not_read(texts: Texts) -> None:
    reads: list[str] = []

    diff = await handlers(texts, reads, max_bytes=5).diff(REP, "doc-1", "v1", "v2", include_html=False)

    assert reads == []
    assert diff.older.text.truncated and "not extracted" in diff.older.text.note


async def test_versions_must_be_readable_and_of_the_document(texts: Texts) -> None:
    h = handlers(texts, [])

    with pytest.raises(NotFound):
        await h.diff(REP, "doc-1", "v1", "nope", include_html=False)
    with pytest.raises(InvalidArgument) as other:
        await h.diff(REP, "doc-1", "v1", "v9", include_html=False)
    assert [v.field for v in other.value.violations] == ["to"]
    with pytest.raises(InvalidArgument) as bad:
        await h.diff(REP, "", "", "x" * 65, include_html=False)
    assert {v.field for v in bad.value.violations} == {"document_id", "from", "to"}
