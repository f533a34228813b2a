"""Whom an approver rule names when a step starts: a named user, a role's
holders, a department's members or head, the requester's manager or their
managers up to a level. The requester is never among them; a rule that finds
nobody falls back to the policy's fallback user and says so. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from approval.domain.organisation import Department, RepProfile
from approval.domain.policy import ApproverRule


@dataclass(frozen=True)
class Resolution:
    users: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Directory:
    """What resolution reads: the departments a rule may name, the rep
    profiles (the manager chain), and the holders of a role."""

    departments: Mapping[str, Department] = field(default_factory=dict)
    profiles: Mapping[str, RepProfile] = field(default_factory=dict)
    role_holders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def manager_chain(requester_id: str, profiles: Mapping[str, RepProfile], level: int) -> tuple[list[str], list[str]]:
    """The requester's managers, nearest first, up to `level`, from each
    profile's manager_id; a manager whose own profile is inactive is passed
    over (their manager is asked instead). Stops at a cycle or where no profile
    names a manager. Returns (managers, notes)."""
    chain: list[str] = []
    notes: list[str] = []
    seen = {requester_id}
    current = profiles.get(requester_id)
    while current is not None and current.manager_id and len(chain) < level:
        manager = current.manager_id
        if manager in seen:
            notes.append(f"the manager chain loops back to {manager}")
            break
        seen.add(manager)
        profile = profiles.get(manager)
        if profile is not None and not profile.active:
            notes.append(f"manager {manager} is inactive and was passed over")
        else:
            chain.append(manager)
        current = profile
    return chain, notes


def _named(rule: ApproverRule, requester_id: str, directory: Directory) -> tuple[list[str], list[str], str]:
    """(people, notes, what the rule is) before the requester is taken out."""
    if rule.kind == "user":
        return [rule.value], [], f"user {rule.value}"
    if rule.kind == "role":
        return list(directory.role_holders.get(rule.value, ())), [], f"role {rule.value}"
    if rule.kind in ("department_members", "department_head"):
        department = directory.departments.get(rule.value)
        if department is None:
            return [], [f"department {rule.value} no longer exists"], f"department {rule.value}"
        if rule.kind == "department_head":
            return ([department.head_id] if department.head_id else []), [], f"the head of {department.name}"
        return list(department.member_ids()), [], f"the members of {department.name}"
    if rule.kind == "manager":
        chain, notes = manager_chain(requester_id, directory.profiles, 1)
        return chain, notes, "the requester's manager"
    if rule.kind == "manager_chain":
        chain, notes = manager_chain(requester_id, directory.profiles, rule.level)
        return chain, notes, f"the requester's managers up to level {rule.level}"
    return [], [], f"an approver rule of kind {rule.kind!r}"


def resolve(rule: ApproverRule, requester_id: str, directory: Directory, fallback_user: str = "admin") -> Resolution:
    """The people the rule names now, in order, without duplicates or the requester."""
    people, notes, what = _named(rule, requester_id, directory)
    users = tuple(dict.fromkeys(u for u in people if u and u != requester_id))
    if requester_id in people:
        notes.append(f"the requester {requester_id} is not their own approver")
    if users:
        return Resolution(users, "; ".join(notes))
    if fallback_user and fallback_user != requester_id:
        notes.append(f"{what} found nobody: {fallback_user} (the policy's fallback) is asked instead")
        return Resolution((fallback_user,), "; ".join(notes))
    notes.append(f"{what} found nobody and the fallback {fallback_user or '(none)'} is the requester: nobody to ask")
    return Resolution((), "; ".join(notes))
