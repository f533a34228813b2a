"""Documents and their immutable versions: what a valid upload is and how
versions are numbered."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from crm_shared.domain.errors import Validator
from crm_shared.roles import DOCUMENT_READERS, DOCUMENT_UPLOADERS

# Roles that may upload at all; which opportunities they may upload to is
# opportunity's rule (write access to the document's opportunity).
UPLOADERS = DOCUMENT_UPLOADERS
# Roles that may list an opportunity's documents (read access to it besides).
# Partners (distributors) see no documents: the partner portal gives them none.
READERS = DOCUMENT_READERS
MAX_CONTENT_BYTES = 20 * 1024 * 1024
DEFAULT_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class Document:
    document_id: str
    tenant_id: str
    opportunity_id: str
    doc_type: str
    title: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class DocumentVersion:
    """Never changes once stored; the content lives in a blob keyed by sha256."""

    version_id: str
    document_id: str
    tenant_id: str
    version_number: int
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class DocumentSummary:
    document: Document
    latest_version_number: int
    latest_version_id: str


@dataclass(frozen=True)
class Upload:
    """What a caller sends; document_id empty means a new document."""

    document_id: str
    opportunity_id: str
    doc_type: str
    title: str
    filename: str
    content_type: str
    content: bytes


def _check_length(v: Validator, name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        v.add(name, f"is longer than {limit} characters")


def validate_upload(upload: Upload) -> None:
    v = Validator()
    if not upload.document_id:
        # A new document: it needs to be filed somewhere.
        v.require("opportunity_id", upload.opportunity_id)
        v.require("doc_type", upload.doc_type)
        v.require("title", upload.title)
    _check_length(v, "opportunity_id", upload.opportunity_id, 64)
    _check_length(v, "doc_type", upload.doc_type, 100)
    _check_length(v, "title", upload.title, 200)
    v.require("filename", upload.filename)
    _check_length(v, "filename", upload.filename, 255)
    _check_length(v, "content_type", upload.content_type, 255)
    if not upload.content:
        v.add("content", "must not be empty")
    elif len(upload.content) > MAX_CONTENT_BYTES:
        v.add("content", f"is larger than {MAX_CONTENT_BYTES // (1024 * 1024)} MiB")
    v.check()


def check_same_document(document: Document, upload: Upload) -> None:
    """A new version cannot refile its document: filing fields must be empty or unchanged."""
    v = Validator()
    for name in ("opportunity_id", "doc_type", "title"):
        given = getattr(upload, name).strip()
        if given and given != getattr(document, name):
            v.add(name, f"is fixed by document {document.document_id}; leave it empty for a new version")
    v.check()


def new_document(*, document_id: str, tenant_id: str, created_by: str, now: datetime, upload: Upload) -> Document:
    return Document(
        document_id=document_id,
        tenant_id=tenant_id,
        opportunity_id=upload.opportunity_id.strip(),
        doc_type=upload.doc_type.strip(),
        title=upload.title.strip(),
        created_by=created_by,
        created_at=now,
    )


def content_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def same_as_latest(latest: DocumentVersion | None, upload: Upload) -> bool:
    """The same bytes as the document's latest version make no new version.
    (Going back to an older version's content is a change, and is stored.)"""
    return latest is not None and latest.sha256 == content_sha256(upload.content)


def next_version(
    document: Document, latest_number: int, *, version_id: str, created_by: str, now: datetime, upload: Upload
) -> DocumentVersion:
    return DocumentVersion(
        version_id=version_id,
        document_id=document.document_id,
        tenant_id=document.tenant_id,
        version_number=latest_number + 1,
        filename=upload.filename.strip(),
        content_type=upload.content_type.strip() or DEFAULT_CONTENT_TYPE,
        size_bytes=len(upload.content),
        sha256=content_sha256(upload.content),
        created_by=created_by,
        created_at=now,
    )
