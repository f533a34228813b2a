"""Rep profiles: validation, who may write them, availability, and
conversion rates from lead outcomes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, PermissionDenied
from lead_routing.domain.lead import LeadData, new_lead
from lead_routing.domain.rep import (
    RepInput,
    RepListScope,
    SegmentRate,
    as_written_by,
    check_may_write,
    conversion_rates,
    may_read,
    outcome_segments,
    rep_list_scope,
    rep_profile,
)

# 2026-11-22 23:30 UTC is already 11-23 in Shanghai.
NOW = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
MANAGER = Caller("demo", "wangqiang", "manager")
ADMIN = Caller("demo", "admin", "admin")


def profile(**fields):
    cmd = RepInput(**({"rep_id": "zhangwei", "name": "张伟", "manager_id": "wangqiang"} | fields))
    return rep_profile(cmd, tenant_id="demo", actor_id="wangqiang", now=NOW, existing=None)


def test_places_are_spelled_like_the_division_table_and_defaults_apply() -> None:
    rep = profile(region="柯桥", native_place="绍兴", languages=("普通话", "绍兴话"), seniority="senior")
    assert (rep.region, rep.native_place) == ("柯桥区", "绍兴市")
    assert (rep.capacity, rep.daily_claim_limit, rep.active) == (30, 5, True)


def test_every_bad_field_is_named() -> None:
    with pytest.raises(InvalidArgument) as exc:
        profile(
            name=" ",
            region="火星",
            seniority="boss",
            capacity=-1,
            daily_claim_limit=5000,
            leave=(("2026-11-25", "2026-11-20"), ("tomorrow", "2026-11-20")),
        )
    assert {v.field for v in exc.value.violations} == {
        "name",
        "region",
        "seniority",
        "capacity",
        "daily_claim_limit",
        "leave[0].end_date",
        "leave[1].start_date",
    }


def test_a_rep_on_leave_today_in_china_is_unavailable() -> None:
    rep = profile(leave=(("2026-11-23", "2026-11-25"),))
    assert rep.on_leave(date(2026, 11, 23)) and not rep.on_leave(date(2026, 11, 22))
    assert not rep.available(NOW)
    assert profile(leave=(("2026-11-20", "2026-11-22"),)).available(NOW)
    assert not profile(active=False).available(NOW)


def test_managers_write_only_their_own_reps_and_admins_any() -> None:
    mine = profile()
    theirs = profile(manager_id="limin")
    check_may_write(MANAGER, None, "wangqiang")
    check_may_write(MANAGER, mine, "wangqiang")
    check_may_write(ADMIN, theirs, "anyone")
    with pytest.raises(PermissionDenied):
        check_may_write(MANAGER, theirs, "wangqiang")
    with pytest.raises(PermissionDenied):
        check_may_write(MANAGER, mine, "limin")
    for role in ("rep", "partner", "finance"):
        with pytest.raises(PermissionDenied):
            check_may_write(Caller("demo", "zhangwei", role), mine, "wangqiang")
    assert may_read(Caller("demo", "zhangwei", "rep"), mine)
    assert not may_read(Caller("demo", "lina", "rep"), mine)
    assert may_read(MANAGER, mine) and not may_read(MANAGER, theirs)


def test_a_manager_naming_no_manager_names_themself() -> None:
    cmd = RepInput("zhangwei", "张伟")
    assert as_written_by(MANAGER, cmd).manager_id == "wangqiang"
    assert as_written_by(MANAGER, RepInput("zhangwei", "张伟", manager_id="liming")).manager_id == "liming"
    assert as_written_by(ADMIN, cmd) is cmd


def test_a_rep_lists_their_own_profile_a_manager_theirs_others_the_tenants() -> None:
    assert rep_list_scope(Caller("demo", "zhangwei", "rep")) == RepListScope(rep_id="zhangwei")
    assert rep_list_scope(MANAGER) == RepListScope(manager_id="wangqiang")
    assert rep_list_scope(ADMIN) == rep_list_scope(Caller("demo", "svc", "system")) == RepListScope()


def test_an_outcome_counts_overall_by_source_and_by_each_industry_tag() -> None:
    lead = new_lead(
        lead_id="l",
        tenant_id="demo",
        owner_id="zhangwei",
        created_by="zhangwei",
        now=NOW,
        data=LeadData(company_name="甲", phone="13805751234", source="百度爱采购", industry_tags=("注塑机", "模具")),
    )
    assert outcome_segments(lead) == [
        ("all", ""),
        ("source", "百度爱采购"),
        ("industry", "注塑机"),
        ("industry", "模具"),
    ]


def test_conversion_rate_is_converted_over_decided() -> None:
    overall, segments = conversion_rates(
        [
            SegmentRate("industry", "注塑机", 1, 3),
            SegmentRate("all", "", 3, 5),
            SegmentRate("source", "展会扫码", 2, 0),
        ]
    )
    assert overall.rate == pytest.approx(3 / 8)
    assert [(s.kind, s.segment, s.rate) for s in segments] == [
        ("source", "展会扫码", 1.0),
        ("industry", "注塑机", 0.25),
    ]
    empty, none = conversion_rates([])
    assert (empty.rate, none) == (None, [])
