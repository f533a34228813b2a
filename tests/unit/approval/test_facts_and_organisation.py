"""The facts a policy reads (given ones checked by name, amounts in 元, the
regional average with its fall-back to the region), delegation windows and
departments as written."""

from datetime import UTC, datetime, timedelta

import pytest
from approval.domain import facts as f
from approval.domain.organisation import (
    Delegation,
    DepartmentInput,
    Member,
    check_window,
    department_input,
    follow,
    stand_in,
)
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_given_facts_by_api_key_or_formula_name() -> None:
    given = f.given_facts({"impact_scope": "涉及停产", "discount": "15", "amount_minor": 12_345_600, "区域": "浙江省"})
    assert given == {
        f.IMPACT: "涉及停产",
        f.DISCOUNT: 15.0,
        f.AMOUNT: 123_456.0,
        f.AMOUNT_MINOR: 12_345_600,
        f.REGION: "浙江省",
    }
    assert f.given_facts({"金额": "1000.5"})[f.AMOUNT_MINOR] == 100_050


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"colour": "red"}, "facts.colour"),
        ({"discount": "101"}, "facts.discount"),
        ({"discount": "abc"}, "facts.discount"),
        ({"amount_minor": "1.5"}, "facts.amount_minor"),
        ({"区域平均合同额": "1"}, "facts.区域平均合同额"),
        ({"impact_scope": "长" * 101}, "facts.impact_scope"),
    ],
)
def test_bad_given_facts_are_refused_by_name(given: dict, field: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        f.given_facts(given)
    assert [v.field for v in caught.value.violations] == [field]


def test_combine_overrides_the_subject_and_adds_the_average() -> None:
    subject = f.SubjectFacts(amount_minor=50_000_000, region="浙江省", product_line="大型设备", customer_tier="重点")
    facts = f.combine(subject, {"amount_minor": 30_000_000}, f.Average(40_000_000, 4))
    assert facts[f.AMOUNT] == 300_000 and facts[f.REGIONAL_AVERAGE] == 100_000 and facts[f.REGIONAL_WINS] == 4
    assert facts[f.CUSTOMER_TIER] == "重点" and facts[f.PRODUCT_LINE] == "大型设备"


def test_the_average_falls_back_to_the_region_then_to_none() -> None:
    pair, region = f.Average(0, 0), f.Average(900, 3)
    assert f.pick_average(f.Average(500, 1), region) == f.Average(500, 1)
    assert f.pick_average(pair, region) == region
    assert f.pick_average(pair, f.Average(0, 0)) is None
    assert not f.counts_in_average(100, "USD") and not f.counts_in_average(0, "CNY")


def window(user: str, deputy: str, start_h: int, end_h: int, cancelled: bool = False) -> Delegation:
    return Delegation(
        f"w-{user}-{start_h}",
        "t-1",
        user,
        deputy,
        NOW + timedelta(hours=start_h),
        NOW + timedelta(hours=end_h),
        "出差",
        user,
        NOW,
        NOW if cancelled else None,
    )


def test_a_window_is_checked_and_may_not_overlap_another() -> None:
    check_window("li", "wang", NOW, NOW + timedelta(days=2), "", NOW, [window("li", "wang", 72, 80)])
    with pytest.raises(FailedPrecondition):
        check_window("li", "wang", NOW, NOW + timedelta(days=4), "", NOW, [window("li", "wang", 72, 80)])
    check_window("li", "wang", NOW, NOW + timedelta(days=4), "", NOW, [window("li", "wang", 72, 80, cancelled=True)])
    with pytest.raises(InvalidArgument) as caught:
        check_window("li", "li", NOW, NOW - timedelta(hours=1), "", NOW, [])
    assert {v.field for v in caught.value.violations} == {"deputy_id", "ends_at"}


def walk(user: str, windows: dict[str, Delegation], requester: str = "", hops: int = 5):
    """The deputy walk as the service layer drives it; `read` counts whose window was read."""
    read: list[str] = []
    w = stand_in(user)
    while not w.done:
        read.append(w.assignee)
        w = follow(w, windows.get(w.assignee), NOW, requester=requester, hops=hops)
    return w, read


def test_the_deputy_of_an_away_approver_and_of_their_away_deputy_in_one_walk() -> None:
    windows = {"li": window("li", "wang", -1, 8), "wang": window("wang", "zhou", -1, 8)}
    found, read = walk("li", windows)
    assert (found.assignee, found.chain, found.note) == ("zhou", ("li", "wang", "zhou"), "")
    assert read == ["li", "wang", "zhou"]  # each person on the chain read once
    not_yet, _ = walk("li", {"li": window("li", "wang", 1, 8)})
    assert (not_yet.assignee, not_yet.away) == ("li", False)
    cancelled, _ = walk("li", {"li": window("li", "wang", -1, 8, cancelled=True)})
    assert not cancelled.away


def test_a_delegation_loop_is_not_followed_and_the_walk_is_bounded() -> None:
    loop, read = walk("li", {"li": window("li", "wang", -1, 8), "wang": window("wang", "li", -1, 8)})
    assert loop.chain == ("li", "wang") and "loops back to li" in loop.note and read == ["li", "wang"]
    line = {f"u{n}": window(f"u{n}", f"u{n + 1}", -1, 8) for n in range(10)}
    far, read = walk("u0", line, hops=5)
    assert far.assignee == "u5" and len(far.chain) == 6 and len(read) == 5


def test_the_requester_is_never_a_deputy_for_their_own_request() -> None:
    windows = {"li": window("li", "wang", -1, 8), "wang": window("wang", "zhang", -1, 8)}
    found, _ = walk("li", windows, requester="zhang")
    assert found.assignee == "wang" and "requester zhang" in found.note
    direct, _ = walk("wang", windows, requester="zhang")
    assert (direct.assignee, direct.away) == ("wang", False)


def test_a_department_as_written_counts_its_head_as_a_member() -> None:
    written = department_input(DepartmentInput(" 技术部 ", "chen", (Member("li", "reviewer"),)))
    assert written.name == "技术部" and [m.user_id for m in written.members] == ["li", "chen"]
    with pytest.raises(InvalidArgument) as caught:
        department_input(DepartmentInput("", "", (Member("li"), Member("li"), Member("x", "partner"))))
    assert {v.field for v in caught.value.violations} == {"name", "members[1].user_id", "members[2].role"}


def test_the_macro_region_follows_the_province() -> None:
    assert [f.macro_region(p) for p in ("浙江省", "广东", "内蒙古自治区", "黑龙江省", "火星", "")] == [
        "华东",
        "华南",
        "华北",
        "东北",
        "",
        "",
    ]
    given = f.combine(f.SubjectFacts(region="浙江省"), {"region": "广东省"}, None)
    assert given[f.MACRO_REGION] == "华南"
