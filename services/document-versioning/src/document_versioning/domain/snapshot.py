"""A snapshot freezes one version for an opportunity, as "the version
submitted for approval" or "the version shown to the customer", with who and
when. Immutable: never changed or removed; freezing the same version for the
same opportunity and purpose again answers the first snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm_shared.domain.errors import Validator

from document_versioning.domain.document import Document, DocumentVersion

PURPOSES = ("submitted_for_approval", "shown_to_customer")
MAX_NOTE = 1_000


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: str
    tenant_id: str
    version_id: str
    document_id: str
    opportunity_id: str
    purpose: str
    version_number: int
    doc_type: str
    title: str
    sha256: str
    note: str
    created_by: str
    created_at: datetime


def validate_request(version_id: str, opportunity_id: str, purpose: str, note: str) -> None:
    v = Validator()
    v.require("version_id", version_id)
    v.require("opportunity_id", opportunity_id)
    if purpose not in PURPOSES:
        v.add("purpose", f"must be one of {', '.join(PURPOSES)}")
    if len(note) > MAX_NOTE:
        v.add("note", f"is longer than {MAX_NOTE} characters")
    v.check()


def check_of_opportunity(document: Document, opportunity_id: str) -> None:
    """Only a version of the opportunity's own documents (or of its contracts') is frozen for it."""
    if document.opportunity_id != opportunity_id:
        v = Validator()
        v.add("opportunity_id", f"document {document.document_id} is not filed under opportunity {opportunity_id}")
        v.check()


def freeze(
    *, snapshot_id: str, document: Document, version: DocumentVersion, purpose: str, note: str, by: str, now: datetime
) -> Snapshot:
    return Snapshot(
        snapshot_id=snapshot_id,
        tenant_id=version.tenant_id,
        version_id=version.version_id,
        document_id=document.document_id,
        opportunity_id=document.opportunity_id,
        purpose=purpose,
        version_number=version.version_number,
        doc_type=document.doc_type,
        title=document.title,
        sha256=version.sha256,
        note=note.strip(),
        created_by=by,
        created_at=now,
    )
