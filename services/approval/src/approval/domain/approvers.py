"""Whom an approver rule names when a step starts: a named user, a role's
holders, a department's members or head, the requester's manager or their
managers up to a level. The requester is never among them; a rule that finds
nobody falls back to the policy's fallback user and says so. Then who sits in
each seat (a deputy for an approver who is away): one walk, for the engine
starting a stage and for the dry run telling who it would ask. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from crm_shared.domain.errors import FailedPrecondition, Violation

from approval.domain.engine import Seat
from approval.domain.organisation import Department, RepProfile, StandIn, stand_in
from approval.domain.policy import ApproverRule, Policy, Step


@dataclass(frozen=True)
class Resolution:
    users: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Directory:
    """What resolution reads: the departments a rule may name, the rep
    profiles (the manager chain), the holders of a role, and the channel
    manager a partner's request names (its given fact 渠道经理)."""

    departments: Mapping[str, Department] = field(default_factory=dict)
    profiles: Mapping[str, RepProfile] = field(default_factory=dict)
    role_holders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    channel_manager: str = ""


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
    if rule.kind == "channel_manager":
        return _channel_manager(rule.level, directory)
    return [], [], f"an approver rule of kind {rule.kind!r}"


def _channel_manager(level: int, directory: Directory) -> tuple[list[str], list[str], str]:
    """Level 1: the channel manager the request names; level n: the manager
    n - 1 steps above them in the rep profiles (as manager_chain walks them)."""
    manager = directory.channel_manager
    if not manager:
        return [], ["the request names no channel manager (fact 渠道经理)"], "the channel manager"
    if level <= 1:
        return [manager], [], f"the channel manager {manager}"
    above, notes = manager_chain(manager, directory.profiles, level - 1)
    return above[level - 2 : level - 1], notes, f"the manager {level - 1} level(s) above channel manager {manager}"


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


@dataclass(frozen=True)
class StepSeats:
    """Who a step starts with, and the notes of how they were found."""

    step_id: str
    seats: tuple[Seat, ...]
    note: str = ""


def seats_of(step: Step, found: Resolution, stand_ins: Mapping[str, StandIn]) -> StepSeats:
    """A seat per person the rule found, taken by whoever stands in for them
    (`stand_ins`, by approver: the deputy walk, which never reaches the
    requester). The engine starts the step with exactly these; the dry run shows them."""
    department = step.approvers.value if step.approvers.kind.startswith("department") else None
    notes = [found.note] if found.note else []
    seats = []
    for user in found.users:
        walked = stand_ins.get(user) or stand_in(user)
        if walked.note:
            notes.append(walked.note)
        if walked.away:
            seats.append(Seat(walked.assignee, original=user, department_id=department,
                              note=f"{user} 请假中，由代理人 {walked.assignee} 审批"))
        else:
            seats.append(Seat(user, note=found.note, department_id=department))
    return StepSeats(step.step_id, tuple(seats), "; ".join(notes))


def require_seats(policy: Policy, step: Step, seats: StepSeats) -> None:
    """A step nobody may answer (its rule and the fallback name only the
    requester) is refused, so an admin fixes the policy."""
    if not seats.seats:
        raise FailedPrecondition(
            f"step {step.name} of policy {policy.name} names nobody but the requester; "
            "an admin must change the policy's approvers or fallback user",
            [Violation("approval_policy", policy.policy_id, f"step {step.step_id} finds no approver")],
        )
