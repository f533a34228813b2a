"""Contracts: a contract is a row of its own (its opportunity, customer and
title) whose documents have the subject ("contract", contract_id); the
versions of those documents are drafts. A draft becomes a *contract version*
when an approval request names it (approval.requested): under_review, then
approved or rejected by the decision. An approved version is signed — by
the signed PDF uploaded with the signing date and the parties, or by an
e-signature provider's callback naming the signed file's sha256 — and
then carries its own label (e.g. "V3.2", distinct from the document version
number) and the structured fields frozen at signing. Only one version is in
force: signing another supersedes it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_shared.business_calendar import business_day
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, Validator, Violation
from crm_shared.roles import CONTRACT_CREATORS, CONTRACT_SIGNERS, DOCUMENT_READERS

from document_versioning.domain.fields import VersionFields

CREATORS = CONTRACT_CREATORS
SIGNERS = CONTRACT_SIGNERS
READERS = DOCUMENT_READERS
SUBJECT = "contract"
DOC_TYPE = "合同"

UNDER_REVIEW = "under_review"
APPROVED = "approved"
REJECTED = "rejected"
SENT_FOR_SIGNING = "sent_for_signing"
SIGNED = "signed"
SUPERSEDED = "superseded"
VERSION_STATES = (UNDER_REVIEW, APPROVED, REJECTED, SENT_FOR_SIGNING, SIGNED, SUPERSEDED)
SIGNABLE = (APPROVED, SENT_FOR_SIGNING)

MAX_TITLE = 200
MAX_LABEL = 20
MAX_PARTIES = 10
MAX_PARTY = 200
MAX_PROVIDER = 40
MAX_PROVIDER_DOCUMENT_ID = 200
# "V3", "V3.2", "V3.2.1": the contract's own numbering.
LABEL = re.compile(r"^V\d{1,4}(\.\d{1,4}){0,2}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# 合同编号, e.g. "HT2025-018": what customers write in a payment's remark, the same for every version.
MAX_NUMBER = 40
NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9\-_/.]{0,39}$")


@dataclass(frozen=True)
class Contract:
    contract_id: str
    tenant_id: str
    opportunity_id: str
    customer_id: str
    title: str
    created_by: str
    created_at: datetime
    contract_number: str = ""


@dataclass(frozen=True)
class ContractVersion:
    """One reviewed draft of a contract and what became of it."""

    tenant_id: str
    contract_id: str
    version_id: str  # the document version the approval names
    state: str
    approval_id: str
    submitted_at: datetime
    label: str = ""
    signed_version_id: str = ""
    signed_sha256: str = ""
    signed_on: date | None = None
    parties: tuple[str, ...] = ()
    signed_via: str = ""
    signed_by: str = ""
    signed_at: datetime | None = None
    superseded_by_version_id: str = ""
    superseded_at: datetime | None = None
    fields: VersionFields | None = None
    esign_provider: str = ""
    esign_document_id: str = ""


@dataclass(frozen=True)
class Signing:
    """What a signature tells: given by the signer (upload) or the provider (callback)."""

    label: str
    signed_on: date
    parties: tuple[str, ...]
    via: str
    by: str


def validate_new(opportunity_id: str, title: str, contract_number: str = "") -> tuple[str, str, str]:
    """The opportunity, the title and the contract number (optional; upper-cased, so "ht2025-018" and
    "HT2025-018" are one number)."""
    v = Validator()
    v.require("opportunity_id", opportunity_id.strip())
    v.require("title", title.strip())
    if len(opportunity_id) > 64:
        v.add("opportunity_id", "is longer than 64 characters")
    if len(title) > MAX_TITLE:
        v.add("title", f"is longer than {MAX_TITLE} characters")
    number = contract_number.strip().upper()
    if len(number) > MAX_NUMBER:
        v.add("contract_number", f"is longer than {MAX_NUMBER} characters")
    elif number and not NUMBER.match(number):
        v.add("contract_number", "must be letters, digits and - _ / . starting with a letter or digit")
    v.check()
    return opportunity_id.strip(), title.strip(), number


def state_of(versions: Sequence[ContractVersion]) -> str:
    """The contract's state: signed while a version is in force, under review
    while one is being reviewed or signed, else draft."""
    if any(cv.state == SIGNED for cv in versions):
        return SIGNED
    if any(cv.state in (UNDER_REVIEW, APPROVED, SENT_FOR_SIGNING) for cv in versions):
        return UNDER_REVIEW
    return "draft"


def in_force(versions: Iterable[ContractVersion]) -> ContractVersion | None:
    return next((cv for cv in versions if cv.state == SIGNED), None)


def review_requested(
    existing: ContractVersion | None,
    *,
    tenant_id: str,
    contract_id: str,
    version_id: str,
    approval_id: str,
    now: datetime,
) -> ContractVersion | None:
    """An approval request names a draft: it is under review, bound to that
    request. A rejected draft may be asked again; anything further along
    (approved, signed, ...) is not changed by a new request: None."""
    if existing is None:
        return ContractVersion(tenant_id, contract_id, version_id, UNDER_REVIEW, approval_id, now)
    if existing.state == REJECTED:
        return replace(existing, state=UNDER_REVIEW, approval_id=approval_id, submitted_at=now)
    return None


def review_decided(cv: ContractVersion, approval_id: str, decision: str) -> ContractVersion | None:
    """The bound request's decision; None when it is not this version's current request or it is past review."""
    if cv.approval_id != approval_id or cv.state != UNDER_REVIEW:
        return None
    if decision == "approved":
        return replace(cv, state=APPROVED)
    if decision in ("rejected", "recalled", "voided", "sent_back"):
        return replace(cv, state=REJECTED)
    return None


def default_label(versions: Sequence[ContractVersion]) -> str:
    signed = sum(1 for cv in versions if cv.state in (SIGNED, SUPERSEDED))
    return f"V{signed + 1}"


def check_label(label: str, cv: ContractVersion, versions: Sequence[ContractVersion]) -> str:
    label = label.strip()
    if not LABEL.match(label):
        raise InvalidArgument.field("label", 'must look like "V3" or "V3.2"')
    taken = {
        other.label for other in versions if other.version_id != cv.version_id and other.state in (SIGNED, SUPERSEDED)
    }
    if label in taken:
        raise InvalidArgument.field("label", f"{label} is already a signed version of this contract")
    return label


def parse_signed_on(value: str, now: datetime) -> date:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidArgument.field("signed_on", "must be an ISO date, e.g. 2026-12-01") from None
    if day > business_day(now):
        raise InvalidArgument.field("signed_on", "is in the future")
    return day


def check_parties(parties: Sequence[str], *, required: bool) -> tuple[str, ...]:
    cleaned = tuple(p.strip() for p in parties)
    if required and not cleaned:
        raise InvalidArgument.field("parties", "name at least one signing party")
    if len(cleaned) > MAX_PARTIES:
        raise InvalidArgument.field("parties", f"at most {MAX_PARTIES} parties")
    for i, party in enumerate(cleaned):
        if not party or len(party) > MAX_PARTY:
            raise InvalidArgument.field(f"parties[{i}]", f"must be 1 to {MAX_PARTY} characters")
    return cleaned


def signed_with(cv: ContractVersion, sha256: str) -> bool:
    """Already signed with this very file: a repeated signing (an upload retried after its answer
    was lost, a provider's repeated callback) is answered as it is and changes nothing."""
    return cv.state in (SIGNED, SUPERSEDED) and cv.signed_sha256 == sha256


def check_signable(cv: ContractVersion) -> None:
    if cv.state not in SIGNABLE:
        raise FailedPrecondition(
            f"contract version {cv.version_id} is {cv.state}; only an approved version is signed",
            [Violation("version_id", cv.version_id, f"is {cv.state}, not approved")],
        )


def send_for_esign(cv: ContractVersion, *, provider: str, provider_document_id: str, label: str) -> ContractVersion:
    check_signable(cv)
    return replace(
        cv, state=SENT_FOR_SIGNING, esign_provider=provider, esign_document_id=provider_document_id, label=label
    )


def check_provider(provider: str, provider_document_id: str, known: Iterable[str]) -> tuple[str, str]:
    provider, provider_document_id = provider.strip(), provider_document_id.strip()
    if provider not in set(known):
        raise InvalidArgument.field("provider", "is not a configured e-signature provider")
    if not provider_document_id or len(provider_document_id) > MAX_PROVIDER_DOCUMENT_ID:
        raise InvalidArgument.field("provider_document_id", f"must be 1 to {MAX_PROVIDER_DOCUMENT_ID} characters")
    return provider, provider_document_id


def check_sha256(value: str) -> str:
    value = value.strip().lower()
    if not SHA256.match(value):
        raise InvalidArgument.field("signed_sha256", "must be 64 hexadecimal characters")
    return value


def sign(
    cv: ContractVersion,
    signing: Signing,
    *,
    signed_version_id: str,
    signed_sha256: str,
    fields: VersionFields | None,
    now: datetime,
) -> ContractVersion:
    check_signable(cv)
    return replace(
        cv,
        state=SIGNED,
        label=signing.label,
        signed_version_id=signed_version_id,
        signed_sha256=signed_sha256,
        signed_on=signing.signed_on,
        parties=signing.parties,
        signed_via=signing.via,
        signed_by=signing.by,
        signed_at=now,
        fields=fields,
    )


def supersede(cv: ContractVersion, by: ContractVersion, now: datetime) -> ContractVersion:
    return replace(cv, state=SUPERSEDED, superseded_by_version_id=by.version_id, superseded_at=now)
