"""The intent signal rules a tenant writes (seed 004): formula conditions over
one tagged activity, any N distinct signals within D days → high intent, the
proposal countdown, conversion per rep."""

from datetime import UTC, datetime, timedelta

import pytest
from crm_shared.domain.errors import InvalidArgument
from opportunity.domain import intent as rules
from opportunity.domain import intent_actions, intent_episode
from opportunity.domain.intent import DEFAULT_SETTINGS, SignalHit, TaggedActivity

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=14)  # the service clock: T0 is the first day of a 14-day window


def activity(aid="a1", kind="visit", tags=None, action="", at=T0, text=""):
    return TaggedActivity(aid, "c1", "o1", kind, at, tags or {}, "", action, text)


def names(hits):
    return sorted(h.name for h in hits)


def test_default_signals_fire_on_tags_kind_and_action():
    assert names(rules.signals_of(DEFAULT_SETTINGS, activity(tags={"产品对比": ["对比表"]}))) == ["索要产品对比表"]
    assert names(rules.signals_of(DEFAULT_SETTINGS, activity(kind="demo"))) == ["预约技术演示"]
    assert names(rules.signals_of(DEFAULT_SETTINGS, activity(action="预约技术演示"))) == ["预约技术演示"]
    both = activity(tags={"付款方式": ["账期"], "产品对比": ["区别"]})
    assert names(rules.signals_of(DEFAULT_SETTINGS, both)) == ["索要产品对比表", "询问付款账期"]
    assert rules.signals_of(DEFAULT_SETTINGS, activity(tags={"预算": ["预算"]})) == []


def test_a_condition_over_the_text_and_source():
    settings = rules.settings_from_data(
        {"signals": [{"name": "要合同", "condition": 'AND(来源="wecom",内容="发合同")'}], "rule": {"min_signals": 1}}
    )
    assert names(rules.signals_of(settings, TaggedActivity("a", "c", "", "chat", T0, {}, "wecom", "", "发合同"))) == [
        "要合同"
    ]
    assert rules.signals_of(settings, TaggedActivity("a", "c", "", "chat", T0, {}, "", "", "发合同")) == []


def test_a_bad_condition_is_refused_with_line_and_column_on_its_field():
    with pytest.raises(InvalidArgument) as e:
        rules.settings_from_data(
            {"signals": [{"name": "x", "condition": "OR(类型=1"}, {"name": "y", "condition": "金额>1"}]}
        )
    fields = {v.field: v.description for v in e.value.violations}
    assert fields["signals[0].condition"].startswith("line 1, column")
    assert "金额" in fields["signals[1].condition"]


def test_a_number_condition_is_refused_and_limits_are_named():
    with pytest.raises(InvalidArgument) as e:
        rules.settings_from_data(
            {
                "signals": [{"name": "n", "condition": "1+1"}],
                "rule": {"min_signals": 0, "window_days": 10_000, "signals": ["nope"]},
                "proposal_hours": "48",
            }
        )
    fields = {v.field for v in e.value.violations}
    assert fields == {
        "signals[0].condition",
        "rule.min_signals",
        "rule.window_days",
        "rule.signals[0]",
        "proposal_hours",
    }


def test_defaults_round_trip_through_their_data():
    assert rules.settings_from_data(rules.settings_data(DEFAULT_SETTINGS)) == DEFAULT_SETTINGS


def hit(name, days, aid=None):
    return SignalHit(name, aid or f"{name}{days}", T0 + timedelta(days=days))


def test_two_distinct_signals_within_14_days_reach_high_intent():
    reached = rules.high_intent_reached([hit("索要产品对比表", 0), hit("询问付款账期", 13)], DEFAULT_SETTINGS, now=NOW)
    assert names(reached) == ["索要产品对比表", "询问付款账期"]


def test_one_signal_twice_is_not_high_intent():
    assert (
        rules.high_intent_reached([hit("询问付款账期", 0), hit("询问付款账期", 1)], DEFAULT_SETTINGS, now=NOW) is None
    )


def test_two_signals_further_apart_than_the_window_are_not_high_intent():
    assert (
        rules.high_intent_reached(
            [hit("索要产品对比表", 0), hit("询问付款账期", 15)], DEFAULT_SETTINGS, now=T0 + timedelta(days=15)
        )
        is None
    )
    # ...until a third comes close enough to one of them
    reached = rules.high_intent_reached(
        [hit("索要产品对比表", 0), hit("询问付款账期", 15), hit("预约技术演示", 20)],
        DEFAULT_SETTINGS,
        now=T0 + timedelta(days=21),
    )
    assert names(reached) == ["询问付款账期", "预约技术演示"]


def test_the_rule_counts_only_its_named_signals():
    settings = rules.settings_from_data(
        {
            **rules.settings_data(DEFAULT_SETTINGS),
            "rule": {"min_signals": 2, "window_days": 14, "signals": ["索要产品对比表", "询问付款账期"]},
        }
    )
    assert rules.high_intent_reached([hit("索要产品对比表", 0), hit("预约技术演示", 1)], settings, now=NOW) is None


def test_only_signals_within_the_window_back_from_now_reach_high_intent():
    two = [hit("索要产品对比表", 0), hit("询问付款账期", 10)]
    assert names(rules.high_intent_reached(two, DEFAULT_SETTINGS, now=T0 + timedelta(days=11)))
    # the same two signals read from an archive a year later: recorded history, no episode today
    assert rules.high_intent_reached(two, DEFAULT_SETTINGS, now=T0 + timedelta(days=365)) is None
    # one of them slid out of the window counted back from now; the boundary itself still counts
    assert rules.high_intent_reached(two, DEFAULT_SETTINGS, now=T0 + timedelta(days=14, seconds=1)) is None
    assert rules.high_intent_reached(two, DEFAULT_SETTINGS, now=T0 + timedelta(days=14)) is not None
    # an old hit does not complete a recent one
    mixed = [hit("索要产品对比表", 0), hit("询问付款账期", 60)]
    assert rules.high_intent_reached(mixed, DEFAULT_SETTINGS, now=T0 + timedelta(days=61)) is None


def test_an_activity_before_the_window_is_history():
    now = T0 + timedelta(days=60)
    assert rules.window_start(DEFAULT_SETTINGS, now) == T0 + timedelta(days=46)
    assert rules.is_history(DEFAULT_SETTINGS, T0, now)
    assert not rules.is_history(DEFAULT_SETTINGS, T0 + timedelta(days=46), now)
    assert not rules.is_history(DEFAULT_SETTINGS, now, now)


def entered_at(days=0):
    hits = [hit("索要产品对比表", days - 1), hit("询问付款账期", days)]
    return intent_episode.entered(
        tenant_id="t",
        customer_id="c1",
        opportunity_id="o1",
        owner_id="r1",
        hits=hits,
        settings=DEFAULT_SETTINGS,
        now=T0 + timedelta(days=30),
    )


def test_the_countdown_runs_48_hours_from_entering():
    intent = entered_at()
    assert intent.entered_at == T0
    assert intent.proposal_due_at == T0 + timedelta(hours=48)
    assert intent_episode.countdown_state(intent, T0 + timedelta(hours=47)) == "running"
    assert intent_episode.is_overdue(intent, T0 + timedelta(hours=49))
    assert intent_episode.countdown_state(intent, T0 + timedelta(hours=49)) == "overdue"


def test_a_proposal_in_time_meets_the_countdown_a_late_or_other_one_does_not():
    intent = entered_at()
    met = intent_episode.proposal_uploaded(intent, "技术方案", T0 + timedelta(hours=47), DEFAULT_SETTINGS)
    assert met.proposal_state == "met"
    assert not intent_episode.is_overdue(met, T0 + timedelta(hours=100))
    assert (
        intent_episode.proposal_uploaded(intent, "合同", T0 + timedelta(hours=1), DEFAULT_SETTINGS).proposal_state
        == "running"
    )
    assert (
        intent_episode.proposal_uploaded(intent, "报价单", T0 + timedelta(hours=49), DEFAULT_SETTINGS).proposal_state
        == "running"
    )


def test_the_reminder_key_is_one_per_episode():
    assert intent_episode.reminder_task_key(entered_at()) == intent_episode.reminder_task_key(entered_at())
    assert intent_episode.reminder_task_key(entered_at()) != intent_episode.reminder_task_key(entered_at(3))


def test_conversion_per_rep_and_total():
    rows, total = intent_actions.conversion([("r1", True), ("r1", False), ("r2", False), ("r1", True)])
    assert [(r.key, r.entered, r.won, r.rate) for r in rows] == [("r1", 3, 2, 0.6667), ("r2", 1, 0, 0.0)]
    assert (total.entered, total.won, total.rate) == (4, 2, 0.5)


def test_an_action_is_checked_and_a_demo_action_is_a_demo():
    assert intent_actions.check_action(" 预约技术演示 ", None) == ("预约技术演示", "")
    assert intent_actions.activity_kind_of_action("预约技术演示") == "demo"
    assert intent_actions.activity_kind_of_action("索要报价") == "note"
    with pytest.raises(InvalidArgument) as e:
        intent_actions.check_action("", 5)
    assert {v.field for v in e.value.violations} == {"action", "note"}
