"""Documents on a subject and their immutable versions: what a valid version
header is, how versions are numbered and chained to their parent.

Nothing here (or anywhere) overwrites or deletes a version: there is no
update or delete of a version or a document, and no retention rule removes
one today (docs/adr/0007-documents.md)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from crm_shared.domain.errors import Validator
from crm_shared.limits import MAX_ID

from document_versioning.domain.access import SUBJECT_TYPES, Governing, governing
from document_versioning.domain.fields import VersionFields

# The unary UploadVersion (base64 JSON through the gateway) is for small files;
# larger ones stream (DocumentContentService).
MAX_CONTENT_BYTES = 20 * 1024 * 1024
DEFAULT_CONTENT_TYPE = "application/octet-stream"
MAX_DOC_TYPE = 100
MAX_TITLE = 200
MAX_FILENAME = 255
MAX_CONTENT_TYPE = 255
MAX_CHANGE_SUMMARY = 2_000


@dataclass(frozen=True)
class Document:
    document_id: str
    tenant_id: str
    # The opportunity the subject is or belongs to ("" for customer, ecn, knowledge).
    opportunity_id: str
    doc_type: str
    title: str
    created_by: str
    created_at: datetime
    subject_type: str = "opportunity"
    subject_id: str = ""


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
    change_summary: str = ""
    parent_version_id: str = ""
    fields: VersionFields | None = None


@dataclass(frozen=True)
class DocumentSummary:
    document: Document
    latest_version_number: int
    latest_version_id: str


@dataclass(frozen=True)
class VersionHeader:
    """Everything about a version but its bytes. document_id empty: a new
    document on (subject_type, subject_id); otherwise the filing fields must be
    empty or the document's own. fields None: none given (extraction may find some)."""

    document_id: str = ""
    subject_type: str = ""
    subject_id: str = ""
    # A contract's opportunity; for an opportunity subject, the same id (or the only id given).
    opportunity_id: str = ""
    doc_type: str = ""
    title: str = ""
    filename: str = ""
    content_type: str = ""
    change_summary: str = ""
    fields: VersionFields | None = None


def normalise(header: VersionHeader) -> VersionHeader:
    """Stripped; a header naming only opportunity_id is a document on that
    opportunity (what callers before subjects sent)."""
    h = replace(
        header,
        **{
            name: getattr(header, name).strip()
            for name in (
                "document_id",
                "subject_type",
                "subject_id",
                "opportunity_id",
                "doc_type",
                "title",
                "filename",
                "content_type",
            )
        },
    )
    if not h.document_id and not h.subject_type and not h.subject_id and h.opportunity_id:
        h = replace(h, subject_type="opportunity", subject_id=h.opportunity_id)
    if h.subject_type == "opportunity" and h.subject_id and not h.opportunity_id:
        h = replace(h, opportunity_id=h.subject_id)
    return h


def _length(v: Validator, name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        v.add(name, f"is longer than {limit} characters")


def validate_header(header: VersionHeader, content: bytes | None = None, limit: int = MAX_CONTENT_BYTES) -> None:
    """The header as normalise() gave it (and the bytes of a unary upload); every problem named at once."""
    v = Validator()
    if content is not None:
        _check_content(v, content, limit)
    if not header.document_id:
        # A new document: it needs to be filed somewhere.
        if not header.subject_type:
            # Callers before subjects named an opportunity only: say so in their terms too.
            v.add("opportunity_id", "is required (or subject_type and subject_id)")
        elif header.subject_type not in SUBJECT_TYPES:
            v.add("subject_type", f"must be one of {', '.join(SUBJECT_TYPES)}")
        else:
            v.require("subject_id", header.subject_id)
            if header.subject_type == "contract":
                pass  # filed under the contract's own opportunity (access.contract_opportunity)
            elif header.subject_type == "opportunity" and header.opportunity_id != header.subject_id:
                v.add("opportunity_id", "must be the subject's id (or empty) for a document on an opportunity")
            elif header.subject_type != "opportunity" and header.opportunity_id:
                v.add("opportunity_id", f"must be empty for a document on a {header.subject_type}")
        v.require("doc_type", header.doc_type)
        v.require("title", header.title)
    for name, most in (
        ("subject_id", MAX_ID),
        ("opportunity_id", MAX_ID),
        ("doc_type", MAX_DOC_TYPE),
        ("title", MAX_TITLE),
        ("filename", MAX_FILENAME),
        ("content_type", MAX_CONTENT_TYPE),
        ("change_summary", MAX_CHANGE_SUMMARY),
    ):
        _length(v, name, getattr(header, name), most)
    v.require("filename", header.filename)
    v.check()


def _check_content(v: Validator, content: bytes, limit: int) -> None:
    """Bytes sent in one message (the unary upload): 1 byte .. limit."""
    if not content:
        v.add("content", "must not be empty")
    elif len(content) > limit:
        v.add("content", f"is larger than {limit // (1024 * 1024)} MiB; stream it instead")


def check_same_document(document: Document, header: VersionHeader) -> None:
    """A new version cannot refile its document: filing fields must be empty or unchanged."""
    v = Validator()
    for name in ("subject_type", "subject_id", "opportunity_id", "doc_type", "title"):
        given = getattr(header, name)
        if given and given != getattr(document, name):
            v.add(name, f"is fixed by document {document.document_id}; leave it empty for a new version")
    v.check()


def new_document(
    *, document_id: str, tenant_id: str, created_by: str, now: datetime, header: VersionHeader
) -> Document:
    return Document(
        document_id=document_id,
        tenant_id=tenant_id,
        subject_type=header.subject_type,
        subject_id=header.subject_id,
        opportunity_id=header.opportunity_id,
        doc_type=header.doc_type,
        title=header.title,
        created_by=created_by,
        created_at=now,
    )


def same_as_latest(latest: DocumentVersion | None, sha256: str, fields: VersionFields | None) -> bool:
    """The same bytes (and fields) as the document's latest version make no new
    version. (Going back to an older version's content is a change, and is stored.)"""
    return latest is not None and latest.sha256 == sha256 and (fields is None or fields == latest.fields)


def next_version(
    document: Document,
    latest: DocumentVersion | None,
    *,
    version_id: str,
    created_by: str,
    now: datetime,
    header: VersionHeader,
    sha256: str,
    size_bytes: int,
) -> DocumentVersion:
    """Number = the latest's + 1 (no gaps: the unique number retries a race);
    the parent is the latest version."""
    return DocumentVersion(
        version_id=version_id,
        document_id=document.document_id,
        tenant_id=document.tenant_id,
        version_number=(latest.version_number if latest else 0) + 1,
        filename=header.filename,
        content_type=header.content_type or DEFAULT_CONTENT_TYPE,
        size_bytes=size_bytes,
        sha256=sha256,
        created_by=created_by,
        created_at=now,
        change_summary=header.change_summary.strip(),
        parent_version_id=latest.version_id if latest else "",
        fields=header.fields,
    )


def rule_of(document: Document) -> Governing:
    """The access rule of a document (domain/access.py governing), from its subject."""
    return governing(document.subject_type, document.subject_id, document.opportunity_id)


def missing_document(document_id: str) -> str:
    """The NotFound message for a document that is missing or that the caller may not read."""
    return f"document {document_id} not found"
