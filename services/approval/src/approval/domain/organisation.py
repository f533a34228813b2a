"""The organisation approvals need: departments (members and a head; a user
may be in several), the rep profiles approval keeps from lead-routing's
`rep.profile_changed` (the manager chain), and delegation windows (an
approver away from A to B names a deputy). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, NotFound, PermissionDenied, Validator, Violation
from crm_shared.limits import MAX_ID, MAX_NAME
from crm_shared.rep_profiles import RepProfile  # noqa: F401  (lead-routing's profile, kept here)

MAX_MEMBERS = 500
MAX_REASON = 500
MAX_WINDOW = timedelta(days=366)
# Departments: written by admins, read by every internal role (approvers pick from them).
DEPARTMENT_EDITORS = roles.DEPARTMENT_EDITORS
DEPARTMENT_READERS = roles.DEPARTMENT_READERS
# Delegation windows: an approver names their own deputy; an admin anyone's.
DELEGATION_USERS = roles.DELEGATION_USERS
# Roles a member may be recorded with (what a policy's "role" approver rule finds).
MEMBER_ROLES = ("rep", "manager", "finance", "reviewer", "admin")


@dataclass(frozen=True)
class Member:
    user_id: str
    role: str = ""  # the member's role, as the admin records it ("" when not said)


@dataclass(frozen=True)
class Department:
    department_id: str
    tenant_id: str
    name: str
    head_id: str
    members: tuple[Member, ...]
    version: int
    updated_by: str
    updated_at: datetime

    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.user_id for m in self.members)


@dataclass(frozen=True)
class DepartmentInput:
    name: str
    head_id: str = ""
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Delegation:
    delegation_id: str
    tenant_id: str
    user_id: str  # the approver who is away
    deputy_id: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_by: str
    created_at: datetime
    cancelled_at: datetime | None = None

    def covers(self, now: datetime) -> bool:
        return self.cancelled_at is None and self.starts_at <= now < self.ends_at


def department_input(cmd: DepartmentInput) -> DepartmentInput:
    """A department as written, trimmed; every problem named by field. The head
    counts as a member (they see the department's tasks)."""
    v = Validator()
    name = cmd.name.strip()
    if not name or len(name) > MAX_NAME:
        v.add("name", f"is required, at most {MAX_NAME} characters")
    head = cmd.head_id.strip()
    if len(head) > MAX_ID:
        v.add("head_id", f"is longer than {MAX_ID} characters")
    if len(cmd.members) > MAX_MEMBERS:
        v.add("members", f"at most {MAX_MEMBERS} members")
    seen: dict[str, Member] = {}
    for i, m in enumerate(cmd.members[:MAX_MEMBERS]):
        user = m.user_id.strip()
        if not user or len(user) > MAX_ID:
            v.add(f"members[{i}].user_id", f"is required, at most {MAX_ID} characters")
        elif user in seen:
            v.add(f"members[{i}].user_id", f"{user!r} is listed twice")
        if m.role and m.role not in MEMBER_ROLES:
            v.add(f"members[{i}].role", f"must be empty or one of {', '.join(MEMBER_ROLES)}")
        seen[user] = Member(user, m.role)
    v.check()
    if head and head not in seen:
        seen[head] = Member(head, "")
    return DepartmentInput(name, head, tuple(seen.values()))


def refuse_duplicate_name(existing: Department | None, department_id: str | None) -> None:
    if existing is not None and existing.department_id != department_id:
        raise FailedPrecondition(
            f"department {existing.name!r} already exists ({existing.department_id})",
            [Violation("department", existing.department_id, "has this name")],
        )


MAX_DEPARTMENTS = 500  # of a tenant: listed whole, read by every policy save


def refuse_past_limit(departments: int) -> None:
    if departments >= MAX_DEPARTMENTS:
        raise FailedPrecondition(
            f"the tenant has {MAX_DEPARTMENTS} departments already",
            [Violation("department", "", f"at most {MAX_DEPARTMENTS} departments")],
        )


def refuse_if_in_use(department: Department, policy_names: Sequence[str]) -> None:
    """A department an active policy names cannot be deleted: its steps would find nobody."""
    if policy_names:
        raise FailedPrecondition(
            f"department {department.name!r} is named by policies {', '.join(policy_names)}",
            [Violation("policy", name, f"names department {department.department_id}") for name in policy_names],
        )


def check_delegation_writer(caller: Caller, user_id: str) -> None:
    caller.require_role(*DELEGATION_USERS)
    if caller.role != roles.ADMIN and caller.user_id != user_id:
        raise PermissionDenied("an approver names their own deputy; an admin may name anyone's")


def may_read_delegation(caller: Caller, delegation: Delegation) -> bool:
    return caller.role == roles.ADMIN or caller.user_id in (delegation.user_id, delegation.deputy_id)


def readable_delegation(caller: Caller, delegation: Delegation | None, delegation_id: str) -> Delegation:
    if delegation is None or not may_read_delegation(caller, delegation):
        raise NotFound(f"delegation {delegation_id} not found")
    return delegation


def check_window(
    user_id: str,
    deputy_id: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    now: datetime,
    existing: Sequence[Delegation],
) -> None:
    """A window from A to B (B after A and after now, at most a year), another
    person as deputy, not overlapping another window of the same approver."""
    v = Validator()
    if not user_id.strip() or len(user_id) > MAX_ID:
        v.add("user_id", f"is required, at most {MAX_ID} characters")
    if not deputy_id.strip() or len(deputy_id) > MAX_ID:
        v.add("deputy_id", f"is required, at most {MAX_ID} characters")
    elif deputy_id == user_id:
        v.add("deputy_id", "must be someone other than the approver")
    if ends_at <= starts_at:
        v.add("ends_at", "must be after starts_at")
    elif ends_at <= now:
        v.add("ends_at", "must be in the future")
    elif ends_at - starts_at > MAX_WINDOW:
        v.add("ends_at", "a window is at most 366 days")
    if len(reason) > MAX_REASON:
        v.add("reason", f"is longer than {MAX_REASON} characters")
    v.check()
    clash = [d for d in existing if d.cancelled_at is None and d.starts_at < ends_at and starts_at < d.ends_at]
    if clash:
        raise FailedPrecondition(
            f"{user_id} already has a delegation window overlapping this one ({clash[0].delegation_id})",
            [Violation("delegation", d.delegation_id, "overlaps the new window") for d in clash],
        )


MAX_DEPUTY_HOPS = 5  # deputies followed from one away approver


@dataclass(frozen=True)
class StandIn:
    """Who answers for an approver now: the last of `chain` (the approver, then
    each deputy while the one before is away). `done` once the walk has ended;
    `note` says why it stopped short of a deputy a window names."""

    chain: tuple[str, ...]
    done: bool = False
    note: str = ""

    @property
    def approver(self) -> str:
        return self.chain[0]

    @property
    def assignee(self) -> str:
        return self.chain[-1]

    @property
    def away(self) -> bool:
        return len(self.chain) > 1


def stand_in(approver: str) -> StandIn:
    """The walk's start: the approver answers for themself until a window says otherwise."""
    return StandIn((approver,))


def follow(
    walk: StandIn, window: Delegation | None, now: datetime, *, requester: str = "", hops: int = MAX_DEPUTY_HOPS
) -> StandIn:
    """One step of the deputy walk. `window` is the current assignee's window
    covering now (None: they are not away), read by the caller, so each person
    on the chain is read once. A deputy already on the chain (a loop) or the
    requester (never their own approver) is not followed: the one before them
    answers. At most `hops` deputies."""
    if walk.done:
        return walk
    if window is None or window.user_id != walk.assignee or not window.covers(now):
        return replace(walk, done=True)
    deputy = window.deputy_id
    if deputy in walk.chain:
        return replace(walk, done=True, note=f"the delegation of {walk.assignee} loops back to {deputy}: "
                                             f"{walk.assignee} answers")
    if requester and deputy == requester:
        return replace(walk, done=True, note=f"the deputy of {walk.assignee} is the requester {requester}, "
                                             f"never their own approver: {walk.assignee} answers")
    chain = (*walk.chain, deputy)
    return StandIn(chain, done=len(chain) > hops)
