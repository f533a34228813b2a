"""Approval requests: who may ask, who may decide, and when a decision stands."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, PermissionDenied, Validator, Violation
from crm_shared.limits import MAX_APPROVAL_TEXT
from crm_shared.roles import APPROVAL_DECIDERS, APPROVAL_READERS, APPROVAL_REQUESTERS

SUBJECT_TYPES = ("opportunity",)
REQUESTERS = APPROVAL_REQUESTERS
DECIDERS = APPROVAL_DECIDERS
# Approvals are internal to the manufacturer: partners (distributors) never see them.
# Every role needs besides the subject's access, as opportunity decides: write
# to ask, read to see or decide (a manager of another team decides nothing there).
READERS = APPROVAL_READERS
DECISIONS = {"approve": "approved", "reject": "rejected"}
MAX_TEXT = MAX_APPROVAL_TEXT


@dataclass(frozen=True)
class Approval:
    approval_id: str
    tenant_id: str
    subject_type: str
    subject_id: str
    document_version_id: str | None
    reason: str
    status: str  # pending | approved | rejected
    requested_by: str
    decided_by: str | None
    comment: str
    requested_at: datetime
    decided_at: datetime | None

    def decide(self, decision: str, decider_id: str, comment: str, now: datetime) -> Approval:
        """`decision` has passed validate_decision: "approve" or "reject"."""
        if decider_id == self.requested_by:
            raise PermissionDenied(f"{decider_id} requested approval {self.approval_id} and may not decide it")
        if self.status != "pending":
            raise already_decided(self)
        return replace(self, status=DECISIONS[decision], decided_by=decider_id, comment=comment.strip(), decided_at=now)


def already_decided(approval: Approval) -> FailedPrecondition:
    return FailedPrecondition(
        f"approval {approval.approval_id} is {approval.status}; only pending requests can be decided",
        [Violation("approval", approval.approval_id, f"is {approval.status}, not pending")],
    )


def refuse_second_request(pending: Approval | None) -> None:
    """One open request per subject, so an approver never sees two competing asks."""
    if pending is not None:
        raise FailedPrecondition(
            f"{pending.subject_type} {pending.subject_id} already has pending approval {pending.approval_id}",
            [Violation("approval", pending.approval_id, "is still pending for this subject")],
        )


def validate_decision(value: str, comment: str) -> None:
    v = Validator()
    if value not in DECISIONS:
        v.add("decision", "must be DECISION_APPROVE or DECISION_REJECT")
    if len(comment) > MAX_TEXT:
        v.add("comment", f"is longer than {MAX_TEXT} characters")
    v.check()


def check_document_of_subject(filed_under: str | None, subject_id: str) -> None:
    """A request may point at a document version only of its own subject
    (`filed_under`: the opportunity the version is filed under, None when no
    such version exists in the tenant: the two read alike)."""
    if filed_under != subject_id:
        raise InvalidArgument.field("document_version_id", "is not a version of a document of this opportunity")


def validate_subject(subject_type: str, subject_id: str) -> None:
    v = Validator()
    _check_subject(v, subject_type, subject_id)
    v.check()


def _check_subject(v: Validator, subject_type: str, subject_id: str) -> None:
    v.require("subject_type", subject_type)
    if subject_type.strip() and subject_type.strip() not in SUBJECT_TYPES:
        v.add("subject_type", f"must be one of {', '.join(SUBJECT_TYPES)}")
    v.require("subject_id", subject_id)
    if len(subject_id) > 64:
        v.add("subject_id", "is longer than 64 characters")


def validate_submit(subject_type: str, subject_id: str, document_version_id: str, reason: str) -> None:
    v = Validator()
    _check_subject(v, subject_type, subject_id)
    if len(document_version_id) > 64:
        v.add("document_version_id", "is longer than 64 characters")
    if len(reason) > MAX_TEXT:
        v.add("reason", f"is longer than {MAX_TEXT} characters")
    v.check()


def new_approval(
    *,
    approval_id: str,
    tenant_id: str,
    requested_by: str,
    now: datetime,
    subject_type: str,
    subject_id: str,
    document_version_id: str,
    reason: str,
) -> Approval:
    validate_submit(subject_type, subject_id, document_version_id, reason)
    return Approval(
        approval_id=approval_id,
        tenant_id=tenant_id,
        subject_type=subject_type.strip(),
        subject_id=subject_id.strip(),
        document_version_id=document_version_id.strip() or None,
        reason=reason.strip(),
        status="pending",
        requested_by=requested_by,
        decided_by=None,
        comment="",
        requested_at=now,
        decided_at=None,
    )
