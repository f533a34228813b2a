"""CDI (domain/indexes/cdi.py) and the follow-up heat map buckets
(domain/indexes/heat_map.py) on hand-built activities; each expected value is
worked out here from the definition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from crm_shared.domain.errors import InvalidArgument
from opportunity.domain.indexes import cdi, heat_map
from opportunity.domain.indexes.cdi import DEFAULT_SETTINGS, Entry

NOW = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
DAY, HOUR = timedelta(days=1), timedelta(hours=1)
REQUIRED = ("预算", "决策链", "时间节点", "竞品")


def e(i: str, kind: str, ago: timedelta, **kw) -> Entry:  # type: ignore[no-untyped-def]
    return Entry(i, kind, NOW - ago, **kw)


def test_coverage_counts_distinct_touch_kinds_within_the_window() -> None:
    entries = [e("a", "call", 1 * DAY), e("b", "call", 2 * DAY), e("c", "chat", 1 * DAY), e("d", "visit", 8 * DAY)]
    one = cdi.compute(entries, [], (), DEFAULT_SETTINGS, NOW)
    assert one.coverage == 1 / 2  # only calls inside 7 days; the chat is no touch kind, the visit is too old
    assert {t.activity_id for t in one.touches} == {"a", "b"}
    two = cdi.compute([*entries, e("f", "demo", 6 * DAY)], [], (), DEFAULT_SETTINGS, NOW)
    assert two.coverage == 1.0
    # Without required tags and plans, only coverage applies: CDI = coverage × 100.
    assert (one.cdi, two.cdi) == (50.0, 100.0)


def test_drafts_and_corrected_entries_do_not_count() -> None:
    entries = [
        e("v", "visit", DAY, state="draft"),
        e("c1", "demo", DAY),
        e("c2", "demo", DAY, relation="corrects", refers_to="c1"),
    ]
    got = cdi.compute(entries, [], (), DEFAULT_SETTINGS, NOW)
    assert [t.activity_id for t in got.touches] == ["c2"]


def test_needs_share_of_required_tags_with_the_newest_evidence() -> None:
    tagged = [
        ("a1", NOW - 3 * DAY, {"预算": ["预算"], "报价": ["报价"]}),
        ("a2", NOW - DAY, {"预算": ["五十万"], "竞品": ["锐影"]}),
    ]
    got = cdi.compute([], tagged, REQUIRED, DEFAULT_SETTINGS, NOW)
    assert got.needs == 2 / 4
    found = {t.tag: (t.activity_id, t.words) for t in got.tags}
    assert found["预算"] == ("a2", ("五十万",)) and found["竞品"] == ("a2", ("锐影",))
    assert found["决策链"] == ("", ())


def test_follow_up_states_on_time_late_red_open() -> None:
    entries = [
        # planned 10 days ago for 8 days ago, met 9 days ago: on time
        e("p1", "call", 10 * DAY, next_follow_up_at=NOW - 8 * DAY),
        e("m1", "visit", 9 * DAY),
        # planned for 6 days ago, next contact 6 days ago + 5 h: late
        e("p2", "note", 7 * DAY, next_follow_up_at=NOW - 6 * DAY),
        e("m2", "call", 6 * DAY - 5 * HOUR),
        # planned for 4 days ago, next contact 2 days ago (48 h late): red
        e("p3", "note", 5 * DAY, next_follow_up_at=NOW - 4 * DAY),
        e("m3", "chat", 2 * DAY),
        # planned for 30 h ago, no contact since: red (open past 24 h)
        e("p4", "note", DAY + 7 * HOUR, next_follow_up_at=NOW - 30 * HOUR),
        # due 2 h ago, open: overdue, not red yet; due tomorrow: pending
        e("p5", "note", DAY, next_follow_up_at=NOW - 2 * HOUR),
        e("p6", "note", DAY - HOUR, next_follow_up_at=NOW + DAY),
    ]
    got = cdi.compute(entries, [], (), DEFAULT_SETTINGS, NOW)
    states = {p.activity_id: p.state for p in got.plans}
    assert states == {"p1": "on_time", "p2": "late", "p3": "red", "p4": "red", "p5": "overdue", "p6": "pending"}
    assert (got.plans_due, got.plans_on_time) == (5, 1)
    assert got.closure == 1 / 5 and got.red is True
    # The next change by time alone: p5 turns red 24 h after its due time — before p6 comes due.
    assert got.next_due_at == NOW - 2 * HOUR + 24 * HOUR


def test_weighted_sum_and_plans_outside_the_lookback() -> None:
    entries = [
        e("old", "note", 100 * DAY, next_follow_up_at=NOW - 95 * DAY),  # due before the 90-day lookback
        e("p", "call", 3 * DAY, next_follow_up_at=NOW - 2 * DAY),
        e("m", "visit", 2 * DAY + HOUR),
    ]
    tagged = [("p", NOW - 3 * DAY, {t: [t] for t in REQUIRED[:3]})]
    s = cdi.settings_from_data({"weights": {"coverage": 2, "needs": 1, "closure": 1}})
    got = cdi.compute(entries, tagged, REQUIRED, s, NOW)
    assert (got.coverage, got.needs, got.closure, got.plans_due) == (1.0, 3 / 4, 1.0, 1)
    assert got.cdi == round((2 * 1.0 + 1 * 0.75 + 1 * 1.0) / 4 * 100, 1)
    assert got.red is False and got.last_contact_at == NOW - 2 * DAY - HOUR


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"touch_window_days": 0}, "touch_window_days"),
        ({"touch_kinds": ["note"]}, "touch_kinds"),
        ({"touch_min_kinds": 4}, "touch_min_kinds"),
        ({"weights": {"coverage": -1}}, "weights.coverage"),
        ({"weights": {"coverage": 0, "needs": 0, "closure": 0}}, "weights"),
        ({"grace_hours": "24"}, "grace_hours"),
    ],
)
def test_bad_settings_name_the_field(data: dict, field: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        cdi.settings_from_data(data)
    assert field in {v.field for v in refused.value.violations}


def test_heat_map_buckets_count_shanghai_days() -> None:
    # NOW is 12:00 on 06-15 in Shanghai; 7 days back at 00:30 Shanghai is still 0-7, 8 days is 8-30.
    seven = datetime(2026, 6, 8, 0, 30, tzinfo=heat_map.BUSINESS_TZ)
    eight = datetime(2026, 6, 7, 23, 30, tzinfo=heat_map.BUSINESS_TZ)
    assert heat_map.bucket_of(seven, NOW) == "0-7" and heat_map.bucket_of(eight, NOW) == "8-30"
    assert heat_map.bucket_of(NOW - 91 * DAY, NOW) == "90+" and heat_map.bucket_of(None, NOW) == "90+"
    for when in (seven, eight, NOW - 31 * DAY, NOW - 91 * DAY):
        since, before = heat_map.bucket_bounds(heat_map.bucket_of(when, NOW), NOW)
        assert (since is None or since <= when) and (before is None or when < before)
    rows, total = heat_map.heat_map({("战略", "0-7"): 1, ("战略", "90+"): 3, ("普通", "8-30"): 2})
    assert rows[0].tier == "战略" and rows[0].untouched_share == 3 / 4
    assert total.total == 6 and total.untouched_share == 3 / 6
