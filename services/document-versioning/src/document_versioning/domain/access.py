"""Who may read or write a document: decided here, once, from its subject.

- opportunity, customer: who may see that subject, as opportunity decides
  (crm_shared.subject_access, asked by the service layer); roles
  DOCUMENT_READERS read, DOCUMENT_UPLOADERS write.
- contract: its opportunity's access (the document records the contract's
  opportunity when it is filed).
- ecn, knowledge: the company's own material, tenant-wide: every internal
  role reads; the writers are ECN_PUBLISHERS and KNOWLEDGE_TAGGERS.
- promotion_application: a distributor's application for a promotion, whose
  access lead-routing decides (the routed crm_shared.subject_access); the
  one subject partners may read and write documents on (their own
  organisation's applications, as lead-routing answers).
Partners (distributors) see no document of any other subject. An id the
caller may not read answers NOT_FOUND, like a missing one."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared.approval_kinds import PROMOTION_APPLICATION
from crm_shared.domain.errors import InvalidArgument, NotFound, Validator
from crm_shared.roles import (
    DOCUMENT_READERS,
    DOCUMENT_SNAPSHOTTERS,
    DOCUMENT_UPLOADERS,
    ECN_PUBLISHERS,
    ECN_READERS,
    KNOWLEDGE_READERS,
    KNOWLEDGE_TAGGERS,
    PARTNER,
    SYSTEM,
)

SUBJECT_TYPES = ("opportunity", "customer", "contract", "ecn", "knowledge", PROMOTION_APPLICATION)
# Subjects whose access their owner decides (opportunity; lead-routing for a promotion application), and the
# subject it is asked about.
ASKED = {
    "opportunity": "opportunity",
    "customer": "customer",
    "contract": "opportunity",
    PROMOTION_APPLICATION: PROMOTION_APPLICATION,
}
TENANT_WIDE = ("ecn", "knowledge")

READERS = DOCUMENT_READERS
UPLOADERS = DOCUMENT_UPLOADERS
# The service itself (a contract's signed PDF, an ECN's notice) files versions after its own role checks.
SUBJECT_WRITERS = (*DOCUMENT_UPLOADERS, SYSTEM)
# Internal material: read by every internal role; partners never.
INTERNAL_READERS = DOCUMENT_READERS
# 工程部's notices and the sales knowledge base: their writers and readers, as crm_shared.roles names them.
WRITERS = {"ecn": (*ECN_PUBLISHERS, SYSTEM), "knowledge": tuple(dict.fromkeys((*KNOWLEDGE_TAGGERS, SYSTEM)))}
TENANT_READERS = {"ecn": ECN_READERS, "knowledge": KNOWLEDGE_READERS}
# A promotion application's material: the manufacturer's roles as on any subject, and the applying partner
# (lead-routing answers which partner: only the application's own distributor's).
PARTNER_SUBJECTS = (PROMOTION_APPLICATION,)
PARTNER_SUBJECT_READERS = (*READERS, PARTNER)
PARTNER_SUBJECT_WRITERS = (*SUBJECT_WRITERS, PARTNER)
# Every role that may write some document (before anything is looked up: a role
# that may write none hears 403 whatever the id).
ANY_WRITER = tuple(
    dict.fromkeys(SUBJECT_WRITERS + PARTNER_SUBJECT_WRITERS + tuple(r for roles in WRITERS.values() for r in roles))
)


@dataclass(frozen=True)
class Governing:
    """What decides access to a document: a subject opportunity is asked about
    (subject_type, subject_id), or, when subject_type is empty, the tenant-wide
    role lists alone."""

    subject_type: str
    subject_id: str
    read_roles: tuple[str, ...]
    write_roles: tuple[str, ...]

    @property
    def asks_opportunity(self) -> bool:
        return bool(self.subject_type)

    def may_read_role(self, role: str) -> bool:
        return role in self.read_roles

    def may_write_role(self, role: str) -> bool:
        return role in self.write_roles


def governing(subject_type: str, subject_id: str, opportunity_id: str) -> Governing:
    """The one access rule of a document on (subject_type, subject_id); a
    contract's document carries its opportunity_id."""
    if subject_type in TENANT_WIDE:
        return Governing("", "", TENANT_READERS[subject_type], WRITERS[subject_type])
    if subject_type in PARTNER_SUBJECTS:
        return Governing(subject_type, subject_id, PARTNER_SUBJECT_READERS, PARTNER_SUBJECT_WRITERS)
    if looks_up_owner(subject_type):
        return Governing(ASKED[subject_type], opportunity_id, READERS, SUBJECT_WRITERS)
    if subject_type in ASKED:
        return Governing(ASKED[subject_type], subject_id, READERS, SUBJECT_WRITERS)
    raise ValueError(f"unknown subject type {subject_type!r}")


# Who may freeze a version for an opportunity (write access to it besides).
SNAPSHOTTERS = DOCUMENT_SNAPSHOTTERS


# Subjects that are records of this service belonging to an opportunity: a
# document on one is filed under the record's own opportunity, which the
# service looks up (service_layer/version_reads.py subject_filing), never one
# the uploader names: otherwise a rep could file on another rep's contract by
# naming an opportunity of their own.
OWNED_BY_RECORD = ("contract",)


@dataclass(frozen=True)
class Filing:
    """Where a document on (subject_type, subject_id) is filed and what decides
    access to it: resolved once, before any write or read."""

    subject_type: str
    subject_id: str
    opportunity_id: str
    rule: Governing
    # The NotFound message for a subject the caller may not see ("" names the subject).
    missing: str = ""
    # The opportunity the caller named for a record's document (checked once write access is granted).
    given_opportunity: str = ""

    def check_given(self) -> None:
        """Asked once the caller may write to the record, so the answer tells nothing new."""
        if self.given_opportunity and self.given_opportunity != self.opportunity_id:
            raise InvalidArgument.field(
                "opportunity_id", f"is not the {self.subject_type}'s opportunity; leave it empty"
            )


def looks_up_owner(subject_type: str) -> bool:
    """True when the subject's opportunity is the record's, looked up by the service."""
    return subject_type in OWNED_BY_RECORD


def filing(subject_type: str, subject_id: str, given_opportunity: str, owner_opportunity: str | None = None) -> Filing:
    """The one resolution of a subject: its opportunity and governing rule.
    For a record's subject (looks_up_owner), `owner_opportunity` is the
    record's opportunity, None when no such record is in the tenant."""
    if looks_up_owner(subject_type):
        missing = f"{subject_type} {subject_id} not found"
        if owner_opportunity is None:
            raise NotFound(missing)
        return Filing(
            subject_type,
            subject_id,
            owner_opportunity,
            governing(subject_type, subject_id, owner_opportunity),
            missing,
            given_opportunity,
        )
    return Filing(subject_type, subject_id, given_opportunity, governing(subject_type, subject_id, given_opportunity))


def checked_subject(subject_type: str, subject_id: str) -> tuple[str, str]:
    """A subject a listing names, trimmed: a known type and an id (field errors otherwise)."""
    subject_type, subject_id = subject_type.strip(), subject_id.strip()
    v = Validator()
    if subject_type not in SUBJECT_TYPES:
        v.add("subject_type", f"must be one of {', '.join(SUBJECT_TYPES)}")
    v.require("subject_id", subject_id)
    v.check()
    return subject_type, subject_id
