"""A partner's requests (docs/adr/0010): lead-routing submits them with the
facts saying who decides; with no policy of the tenant the channel manager
decides within the tenant's working days, a registration of 50万 or more
then also the channel manager's manager."""

from datetime import UTC, datetime

import pytest
from approval.domain.approval import Submission, check_requester, validate_submission
from approval.domain.approvers import Directory, resolve
from approval.domain.facts import SubjectFacts, combine, given_facts, refuse_partner_facts
from approval.domain.organisation import RepProfile
from approval.domain.policy import ApproverRule, Policy, Stage, Step, check_policy
from approval.domain.policy_choice import choose
from approval.domain.sla import ReviewDays, first_due, matching_rule, working_day_minutes
from crm_shared.business_calendar import BusinessCalendar
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, PermissionDenied

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
LEAD_ROUTING = Caller("t-1", "lead-routing", "system")


def facts(amount_yuan: int, manager: str = "wangqiang") -> dict[str, object]:
    given = {"金额": str(amount_yuan), "渠道经理": manager, "分销商": "dist-hz", "申请人": "zhaolei"}
    return combine(SubjectFacts(), given, None)


def approvers(policy: Policy) -> list[tuple[str, int]]:
    return [(st.steps[0].approvers.kind, st.steps[0].approvers.level) for st in policy.stages]


def test_under_50_wan_the_channel_manager_alone_decides_a_registration() -> None:
    chosen = choose("t-1", "partner_registration", [], facts(490_000)).policy
    assert approvers(chosen) == [("channel_manager", 1)]
    assert chosen.policy_id == "builtin-partner_registration"


def test_from_50_wan_the_channel_managers_manager_decides_after_them() -> None:
    for amount in (500_000, 510_000):
        chosen = choose("t-1", "partner_registration", [], facts(amount)).policy
        assert approvers(chosen) == [("channel_manager", 1), ("channel_manager", 2)], amount


def test_an_extension_and_a_promotion_application_take_one_step_of_the_channel_manager() -> None:
    assert approvers(choose("t-1", "protection_extension", [], facts(9_000_000)).policy) == [("channel_manager", 1)]
    assert approvers(choose("t-1", "promotion", [], facts(9_000_000)).policy) == [("channel_manager", 1)]
    # A promotion about an opportunity (no channel manager named) keeps the requester's manager.
    assert approvers(choose("t-1", "promotion", [], combine(SubjectFacts(), {}, None)).policy) == [("manager", 1)]


def test_a_tenants_own_policy_of_the_kind_comes_first() -> None:
    own = Policy(
        "p-1",
        "t-1",
        "partner_registration",
        "大额报备",
        1,
        0,
        "金额>=1000000",
        False,
        (Stage("s", "总监", (Step("s1", "总监", ApproverRule("user", "director")),)),),
    )
    assert choose("t-1", "partner_registration", [own], facts(2_000_000)).policy.policy_id == "p-1"
    assert choose("t-1", "partner_registration", [own], facts(510_000)).policy.policy_id.startswith("builtin-")


def test_the_channel_manager_is_the_one_the_request_names_and_their_manager_comes_from_the_profiles() -> None:
    profiles = {"wangqiang": RepProfile("t-1", "wangqiang", "王强", "渠道部", "liuzong", "浙江省", True, NOW)}
    directory = Directory(profiles=profiles, channel_manager="wangqiang")
    assert resolve(ApproverRule("channel_manager"), "lead-routing", directory).users == ("wangqiang",)
    assert resolve(ApproverRule("channel_manager", level=2), "lead-routing", directory).users == ("liuzong",)
    # No manager above them: the policy's fallback (admin), with a note saying why.
    alone = resolve(ApproverRule("channel_manager", level=2), "lead-routing", Directory(channel_manager="wangqiang"))
    assert alone.users == ("admin",) and "found nobody" in alone.note
    unnamed = resolve(ApproverRule("channel_manager"), "lead-routing", Directory())
    assert unnamed.users == ("admin",) and "names no channel manager" in unnamed.note


def test_the_review_deadline_is_the_tenants_working_days() -> None:
    calendar = BusinessCalendar()
    review = ReviewDays(2, {"t-slow": 5})
    assert working_day_minutes(calendar) == 480
    assert review.working_minutes("t-1", calendar) == 960
    assert review.working_minutes("t-slow", calendar) == 2400
    chosen = choose("t-1", "partner_registration", [], facts(10_000), review.working_minutes("t-1", calendar)).policy
    rule = matching_rule(chosen.stages[0].steps[0], "")
    assert rule is not None and (rule.reminders, rule.outcome) == (1, "escalate")
    # Submitted Friday 2026-12-04 10:00 in Shanghai: due Tuesday 10:00 (the weekend does not count).
    friday = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    assert first_due(calendar, friday, rule) == datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        ReviewDays(0)


def test_only_lead_routing_submits_a_partners_request() -> None:
    check_requester(LEAD_ROUTING, "registration")
    for caller in (
        Caller("t-1", "admin", "admin"),
        Caller("t-1", "opportunity", "system"),
        Caller("t-1", "zhaolei", "partner"),
    ):
        with pytest.raises(PermissionDenied):
            check_requester(caller, "registration")
    check_requester(Caller("t-1", "rep-1", "rep"), "opportunity")
    with pytest.raises(PermissionDenied):
        check_requester(Caller("t-1", "zhaolei", "partner"), "opportunity")


def test_kinds_go_with_their_subjects() -> None:
    def submission(kind: str, subject_type: str) -> Submission:
        return Submission(kind=kind, subject_type=subject_type, subject_id="s-1", title="")

    validate_submission(submission("partner_registration", "registration"))
    validate_submission(submission("protection_extension", "registration"))
    validate_submission(submission("promotion", "promotion_application"))
    validate_submission(submission("promotion", "opportunity"))
    for kind, subject_type in (
        ("quote", "registration"),
        ("promotion", "registration"),
        ("partner_registration", "promotion_application"),
        ("partner_registration", "opportunity"),
    ):
        with pytest.raises(InvalidArgument) as refused:
            validate_submission(submission(kind, subject_type))
        assert refused.value.violations[0].field == "kind", (kind, subject_type)


def test_who_decides_is_named_only_with_a_partners_subject() -> None:
    refuse_partner_facts("registration", {"渠道经理": "wangqiang"})
    with pytest.raises(InvalidArgument) as refused:
        refuse_partner_facts("opportunity", {"渠道经理": "mgr-1"})
    assert refused.value.violations[0].field == "facts.渠道经理"
    assert given_facts({"分销商": "dist-hz", "金额": "490000"})["amount_minor"] == 49_000_000


def test_a_policy_may_name_the_channel_manager_but_no_value() -> None:
    def policy(rule: ApproverRule) -> Policy:
        return Policy(
            "p",
            "t-1",
            "partner_registration",
            "报备",
            1,
            0,
            '分销商="dist-hz"',
            False,
            (Stage("s", "渠道", (Step("s1", "渠道经理", rule),)),),
        )

    assert check_policy(policy(ApproverRule("channel_manager", level=2)), {}) is not None
    with pytest.raises(InvalidArgument) as refused:
        check_policy(policy(ApproverRule("channel_manager", "wangqiang")), {})
    assert refused.value.violations[0].field == "stages[0].steps[0].approvers.value"
