"""Upload rules and version numbering, without I/O."""

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from crm_shared.domain.errors import InvalidArgument
from document_versioning.domain.document import (
    MAX_CONTENT_BYTES,
    Upload,
    check_same_document,
    new_document,
    next_version,
    same_as_latest,
    validate_upload,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
UPLOAD = Upload(
    document_id="",
    opportunity_id="opp-1",
    doc_type="客户需求分析文档",
    title="绍兴柯桥 需求分析",
    filename="需求分析 v1.docx",
    content_type="",
    content=b"%PDF-1.7 ...",
)


def fields(error: InvalidArgument) -> set[str]:
    return {v.field for v in error.violations}


def test_a_new_document_needs_filing_fields_a_filename_and_content() -> None:
    validate_upload(UPLOAD)
    with pytest.raises(InvalidArgument) as err:
        validate_upload(replace(UPLOAD, opportunity_id="", doc_type=" ", title="", filename="", content=b""))
    assert fields(err.value) == {"opportunity_id", "doc_type", "title", "filename", "content"}


def test_a_next_version_needs_only_a_filename_and_content() -> None:
    validate_upload(replace(UPLOAD, document_id="d-1", opportunity_id="", doc_type="", title=""))


def test_content_is_limited_to_20_mib() -> None:
    validate_upload(replace(UPLOAD, content=b"x" * MAX_CONTENT_BYTES))
    with pytest.raises(InvalidArgument) as err:
        validate_upload(replace(UPLOAD, content=b"x" * (MAX_CONTENT_BYTES + 1)))
    assert fields(err.value) == {"content"}


def test_versions_count_up_and_carry_a_checksum() -> None:
    document = new_document(document_id="d-1", tenant_id="t", created_by="rep-1", now=NOW, upload=UPLOAD)
    first = next_version(document, 0, version_id="v-1", created_by="rep-1", now=NOW, upload=UPLOAD)
    assert (first.version_number, first.size_bytes) == (1, len(UPLOAD.content))
    assert first.content_type == "application/octet-stream"
    assert first.sha256 == hashlib.sha256(UPLOAD.content).hexdigest()
    assert next_version(document, 7, version_id="v-8", created_by="rep-1", now=NOW, upload=UPLOAD).version_number == 8


def test_a_new_version_cannot_refile_its_document() -> None:
    document = new_document(document_id="d-1", tenant_id="t", created_by="rep-1", now=NOW, upload=UPLOAD)
    check_same_document(document, replace(UPLOAD, opportunity_id="", doc_type="", title=""))
    check_same_document(document, UPLOAD)
    with pytest.raises(InvalidArgument) as err:
        check_same_document(document, replace(UPLOAD, opportunity_id="opp-2", doc_type="contract"))
    assert fields(err.value) == {"opportunity_id", "doc_type"}


def test_only_the_latest_versions_bytes_count_as_unchanged() -> None:
    document = new_document(document_id="d-1", tenant_id="t", created_by="rep-1", now=NOW, upload=UPLOAD)
    first = next_version(document, 0, version_id="v-1", created_by="rep-1", now=NOW, upload=UPLOAD)
    assert not same_as_latest(None, UPLOAD)
    assert same_as_latest(first, replace(UPLOAD, filename="另一个名字.docx"))
    second = next_version(
        document, 1, version_id="v-2", created_by="rep-1", now=NOW, upload=replace(UPLOAD, content=b"v2")
    )
    # Back to the first version's bytes is a change from the latest.
    assert not same_as_latest(second, UPLOAD)
