"""Approver rules resolve to people when a step starts: never the requester,
nobody found falls back to the policy's fallback user with a note."""

from datetime import UTC, datetime

from approval.domain.approvers import Directory, resolve
from approval.domain.organisation import Department, Member, RepProfile
from approval.domain.policy import ApproverRule

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def profile(rep_id: str, manager_id: str, active: bool = True) -> RepProfile:
    return RepProfile("t-1", rep_id, rep_id, "华东一组", manager_id, "浙江省", active, NOW)


TECH = Department(
    "d-tech", "t-1", "技术部", "chen", (Member("chen"), Member("li", "reviewer"), Member("zhang")), 1, "admin", NOW
)
PROFILES = {
    "zhang": profile("zhang", "wang"),
    "wang": profile("wang", "zhou"),
    "zhou": profile("zhou", "ceo"),
    "ceo": profile("ceo", ""),
}
DIRECTORY = Directory({"d-tech": TECH}, PROFILES, {"reviewer": ("li", "zhang")})


def test_a_named_user_and_a_role() -> None:
    assert resolve(ApproverRule("user", "li"), "zhang", DIRECTORY).users == ("li",)
    assert resolve(ApproverRule("role", "reviewer"), "wang", DIRECTORY).users == ("li", "zhang")


def test_department_members_and_head_never_include_the_requester() -> None:
    members = resolve(ApproverRule("department_members", "d-tech"), "zhang", DIRECTORY)
    assert members.users == ("chen", "li") and "zhang is not their own approver" in members.note
    assert resolve(ApproverRule("department_head", "d-tech"), "zhang", DIRECTORY).users == ("chen",)


def test_the_manager_and_the_chain_come_from_the_rep_profiles() -> None:
    assert resolve(ApproverRule("manager"), "zhang", DIRECTORY).users == ("wang",)
    assert resolve(ApproverRule("manager_chain", level=2), "zhang", DIRECTORY).users == ("wang", "zhou")
    assert resolve(ApproverRule("manager_chain", level=9), "zhang", DIRECTORY).users == ("wang", "zhou", "ceo")


def test_an_inactive_manager_is_passed_over_and_a_cycle_stops() -> None:
    profiles = dict(PROFILES, wang=profile("wang", "zhou", active=False))
    found = resolve(ApproverRule("manager"), "zhang", Directory(profiles=profiles))
    assert found.users == ("zhou",) and "wang is inactive" in found.note
    looped = {"a": profile("a", "b"), "b": profile("b", "a")}
    assert resolve(ApproverRule("manager_chain", level=5), "a", Directory(profiles=looped)).users == ("b",)


def test_nobody_found_falls_back_with_a_note() -> None:
    found = resolve(ApproverRule("manager"), "ceo", DIRECTORY, fallback_user="admin")
    assert found.users == ("admin",) and "found nobody" in found.note and "admin" in found.note
    head = resolve(ApproverRule("department_head", "d-tech"), "chen", DIRECTORY, fallback_user="admin")
    assert head.users == ("admin",) and "chen is not their own approver" in head.note


def test_the_fallback_is_never_the_requester() -> None:
    found = resolve(ApproverRule("manager"), "admin", Directory(), fallback_user="admin")
    assert found.users == () and "nobody to ask" in found.note
