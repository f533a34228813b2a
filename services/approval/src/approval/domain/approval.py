"""Approval requests, their tasks and their history: the records the engine
(domain/engine.py) reads and writes, and the checks of what a client sends.

A request runs by the policy it was started under (a copy of its stages is
kept with the request), stage after stage; each stage's steps run in
parallel, each step's approvers decide by the step's mode."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crm_shared import roles
from crm_shared.approval_kinds import (
    PARTNER_REGISTRATION,
    PARTNER_SUBJECT_TYPES,
    PROMOTION,
    PROMOTION_APPLICATION,
    PROTECTION_EXTENSION,
    REGISTRATION,
)
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, PermissionDenied, Validator, Violation
from crm_shared.limits import MAX_APPROVAL_TEXT
from crm_shared.roles import APPROVAL_ACTORS, APPROVAL_READERS, APPROVAL_REQUESTERS

from approval.domain.policy import KINDS, Policy

# Opportunity's subjects, and the partner portal's (lead-routing's: who may see
# them is its answer, crm_shared.subject_access routes the question there).
SUBJECT_TYPES = ("opportunity", "customer", *PARTNER_SUBJECT_TYPES)
REQUESTERS = APPROVAL_REQUESTERS
# A partner's registration or application is put to approval by the service
# owning it, when the partner asks; nobody submits one by hand.
PARTNER_SUBJECT_OWNER = "lead-routing"
PARTNER_SUBJECT_KINDS = {
    REGISTRATION: (PARTNER_REGISTRATION, PROTECTION_EXTENSION),
    PROMOTION_APPLICATION: (PROMOTION,),
}
# Approvals are internal to the manufacturer: partners (distributors) never see them.
# Besides the role, reading needs the subject's access (as opportunity decides) or
# a place on the request: an approver's task or a copy (抄送).
READERS = APPROVAL_READERS
# Whoever holds a task acts on it, whatever their role; partners never hold one.
ACTORS = APPROVAL_ACTORS
MAX_TEXT = MAX_APPROVAL_TEXT
MAX_ID = 64
MAX_USERS = 20  # added signers or copied users in one call
MAX_GIVEN = 20  # further facts given with a request
MAX_BATCH = 100
SYSTEM_USER = "system"
REQUESTER = "requester"  # send back to the requester

STATUSES = ("pending", "approved", "rejected", "recalled", "voided", "returned")
OPEN_TASK = ("waiting", "pending", "delegated")
TASK_STATUSES = ("waiting", "pending", "approved", "rejected", "transferred", "delegated", "skipped", "cancelled")
PLACEMENTS = ("before", "after", "alongside")
ADDED_MODES = ("all", "any", "sequence")
CHANNELS = ("", "web", "mobile", "wecom", "dingtalk", "email", "api", "system")


@dataclass(frozen=True)
class ApprovalRequest:
    approval_id: str
    tenant_id: str
    kind: str
    subject_type: str
    subject_id: str
    title: str
    facts: dict[str, str]
    impact_scope: str
    amount_minor: int
    currency: str
    document_version_id: str | None
    document_sha256: str
    policy: Policy  # the copy the request runs by
    status: str
    stale: bool
    current_stage: int
    round: int  # raised by every send-back: tasks of earlier rounds no longer count
    locked_fields: tuple[str, ...]
    requested_by: str
    requested_at: datetime
    decided_at: datetime | None
    decided_by: str
    decision_comment: str
    channel: str
    cc_users: tuple[str, ...] = ()
    last_reminded_at: datetime | None = None
    document_id: str | None = None
    version: int = 1

    @property
    def policy_id(self) -> str:
        return self.policy.policy_id

    @property
    def policy_version(self) -> int:
        return self.policy.version


@dataclass(frozen=True)
class ApprovalTask:
    task_id: str
    tenant_id: str
    approval_id: str
    round: int
    stage_index: int
    stage_id: str
    step_id: str
    step_name: str
    assignee: str
    mode: str  # of its group: the step's mode, or the mode its signers were added with
    status: str
    position: int  # order within its group (sequence mode)
    group_id: str  # "" for the step's own approvers; an added group's id otherwise
    slot_id: str  # one seat of a group: transfers, escalations and delegates keep it
    started_at: datetime
    department_id: str | None = None
    original_assignee: str | None = None
    delegated_from: str | None = None
    placement: str = ""  # how its group was added: before, after, alongside
    added_by: str | None = None  # the task that added its group
    due_at: datetime | None = None
    decided_at: datetime | None = None
    comment: str = ""
    dwell_seconds: int | None = None
    dwell_working_seconds: int | None = None
    escalated: bool = False
    reminders: int = 0
    late: bool = False  # decided overdue (domain.sla.overdue when it closed), as the report counts it

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK


@dataclass(frozen=True)
class HistoryEntry:
    entry_id: str
    tenant_id: str
    approval_id: str
    at: datetime
    actor: str
    action: str
    comment: str = ""
    channel: str = ""
    task_id: str | None = None
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    """What a requester sends (the amount of an opportunity is read from it, not taken from here)."""

    kind: str
    subject_type: str
    subject_id: str
    title: str
    impact_scope: str = ""
    discount_percent: int = 0
    document_version_id: str = ""
    document_sha256: str = ""
    cc_users: tuple[str, ...] = ()
    channel: str = ""
    given: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Resubmission:
    """What a requester changes when resubmitting a request sent back to them ("" / 0: unchanged)."""

    comment: str = ""
    channel: str = ""
    title: str = ""
    document_version_id: str = ""
    document_sha256: str = ""
    discount_percent: int = 0
    impact_scope: str = ""


def validate_resubmission(change: Resubmission) -> None:
    v = Validator()
    _text(v, "comment", change.comment)
    _channel(v, change.channel)
    _text(v, "reason", change.title)
    _short(v, "impact_scope", change.impact_scope)
    _short(v, "document_version_id", change.document_version_id)
    if not 0 <= change.discount_percent <= 100:
        v.add("discount_percent", "must be between 0 and 100")
    v.check()


def validate_submission(s: Submission) -> None:
    v = Validator()
    v.require("kind", s.kind.strip())
    if s.kind.strip() and s.kind.strip() not in KINDS:
        v.add("kind", f"must be one of {', '.join(KINDS)}")
    elif s.kind.strip():
        _check_partner_kind(v, s.kind.strip(), s.subject_type.strip())
    _check_subject(v, s.subject_type, s.subject_id)
    _text(v, "reason", s.title)
    _short(v, "impact_scope", s.impact_scope)
    if not 0 <= s.discount_percent <= 100:
        v.add("discount_percent", "must be between 0 and 100")
    _short(v, "document_version_id", s.document_version_id)
    sha = s.document_sha256.strip().lower()
    if sha and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha)):
        v.add("document_sha256", "must be 64 hexadecimal characters")
    if sha and not s.document_version_id.strip():
        v.add("document_sha256", "is given without document_version_id")
    _users(v, "cc_users", s.cc_users)
    _channel(v, s.channel)
    if len(s.given) > MAX_GIVEN:
        v.add("given", f"has more than {MAX_GIVEN} facts")
    for name, value in s.given:
        if not name.strip() or len(name) > MAX_ID or len(value) > 200:
            v.add("given", "each fact needs a name of at most 64 and a value of at most 200 characters")
            break
    v.check()


def check_requester(caller: Caller, subject_type: str) -> None:
    """Who may submit a request about this subject: the manufacturer's
    requesters for an opportunity or a customer; for a partner's registration
    or application only lead-routing (its own service identity), which also
    gives the facts saying who decides (渠道经理)."""
    if subject_type.strip() not in PARTNER_SUBJECT_TYPES:
        caller.require_role(*REQUESTERS)
    elif caller.role != roles.SYSTEM or caller.user_id != PARTNER_SUBJECT_OWNER:
        raise PermissionDenied(f"a {subject_type.strip()} is put to approval by {PARTNER_SUBJECT_OWNER} only")


def _check_partner_kind(v: Validator, kind: str, subject_type: str) -> None:
    """A registration is asked about as a registration or its protection's
    extension, an application as a promotion; the registration kinds ask
    about nothing else."""
    allowed = PARTNER_SUBJECT_KINDS.get(subject_type)
    if allowed is not None and kind not in allowed:
        v.add("kind", f"must be one of {', '.join(allowed)} for a {subject_type}")
    elif allowed is None and kind in PARTNER_SUBJECT_KINDS[REGISTRATION]:
        v.add("kind", f"{kind} is asked about a registration only")


def validate_subject(subject_type: str, subject_id: str, kind: str = "") -> None:
    v = Validator()
    _check_subject(v, subject_type, subject_id)
    if kind.strip() and kind.strip() not in KINDS:
        v.add("kind", f"must be one of {', '.join(KINDS)}")
    v.check()


def validate_note(comment: str, channel: str, *, users: tuple[str, ...] = (), users_field: str = "users") -> None:
    v = Validator()
    _text(v, "comment", comment)
    _channel(v, channel)
    if users:
        _users(v, users_field, users)
    v.check()


def check_document_of_subject(filed_under: str | None, subject_id: str) -> None:
    """A request may point at a document version only of its own subject
    (`filed_under`: the opportunity the version is filed under, None when no
    such version exists in the tenant: the two read alike)."""
    if filed_under != subject_id:
        raise InvalidArgument.field("document_version_id", "is not a version of a document of this opportunity")


def refuse_second_request(pending: ApprovalRequest | None) -> None:
    """One open request per subject and kind, so an approver never sees two competing asks."""
    if pending is not None:
        raise FailedPrecondition(
            f"{pending.subject_type} {pending.subject_id} already has pending {pending.kind} approval "
            f"{pending.approval_id}",
            [Violation("approval", pending.approval_id, "is still pending for this subject and kind")],
        )


def not_pending(request: ApprovalRequest, doing: str) -> FailedPrecondition:
    return FailedPrecondition(
        f"approval {request.approval_id} is {request.status}; {doing} needs a pending request",
        [Violation("approval", request.approval_id, f"is {request.status}, not pending")],
    )


def _check_subject(v: Validator, subject_type: str, subject_id: str) -> None:
    v.require("subject_type", subject_type.strip())
    if subject_type.strip() and subject_type.strip() not in SUBJECT_TYPES:
        v.add("subject_type", f"must be one of {', '.join(SUBJECT_TYPES)}")
    v.require("subject_id", subject_id.strip())
    _short(v, "subject_id", subject_id)


def _short(v: Validator, name: str, value: str) -> None:
    if len(value) > MAX_ID:
        v.add(name, f"is longer than {MAX_ID} characters")


def _text(v: Validator, name: str, value: str) -> None:
    if len(value) > MAX_TEXT:
        v.add(name, f"is longer than {MAX_TEXT} characters")


def _users(v: Validator, name: str, users: tuple[str, ...]) -> None:
    if len(users) > MAX_USERS:
        v.add(name, f"names more than {MAX_USERS} users")
    elif any(not u.strip() or len(u) > MAX_ID for u in users):
        v.add(name, f"each user id must be 1 to {MAX_ID} characters")


def _channel(v: Validator, channel: str) -> None:
    if channel.strip() not in CHANNELS:
        v.add("channel", f"must be one of {', '.join(c for c in CHANNELS if c)}")
