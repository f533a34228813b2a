"""PHI, KPI and rep-profile rules on hand-built histories; expected values from the definitions."""

from datetime import UTC, datetime, timedelta

import pytest
from crm_shared.domain.errors import InvalidArgument
from opportunity.domain.indexes import kpi, phi, rep_profile
from opportunity.domain.pipeline import Stage, define_pipeline

T0 = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 12, 1, tzinfo=UTC)
S = phi.DEFAULT_SETTINGS


def test_playbook_is_validated_and_kept():
    with pytest.raises(InvalidArgument) as e:
        define_pipeline(
            pipeline_id="p",
            tenant_id="t",
            name="P",
            product_line="",
            stages=[Stage("方案", 40, "pipeline", playbook=("demo", "note"))],
            now=T0,
        )
    assert e.value.violations[0].field == "stages[0].playbook"
    p = define_pipeline(
        pipeline_id="p",
        tenant_id="t",
        name="P",
        product_line="",
        stages=[Stage("方案", 40, "pipeline", playbook=("demo", "proposal_sent", "demo"))],
        now=T0,
    )
    assert p.stages[0].playbook == ("demo", "proposal_sent")


def test_key_action_saturation_counts_kinds_logged_during_the_stay():
    stays = [
        phi.StayFact("o1", "方案", T0 + timedelta(days=1), T0 + timedelta(days=10), ("demo", "proposal_sent")),
        phi.StayFact("o2", "报价", T0 + timedelta(days=2), None, ("quote_sent",)),
        phi.StayFact("o3", "初步接触", T0 - timedelta(days=60), T0 - timedelta(days=40), ("call", "visit")),  # before
        phi.StayFact("o4", "结束", T0, None, ()),  # no playbook
    ]
    actions = [
        phi.ActionFact("o1", "demo", T0 + timedelta(days=3)),
        phi.ActionFact("o1", "proposal_sent", T0 + timedelta(days=11)),  # after the stay
        phi.ActionFact("o2", "quote_sent", T0 + timedelta(days=5)),
        phi.ActionFact("o2", "quote_sent", T0 + timedelta(days=6)),  # a kind counts once
    ]
    ind = phi.key_action_saturation(stays, actions, T0, END, S)
    assert (ind.numerator, ind.denominator) == (2, 3)
    assert ind.value_bp == 2 * 10_000 // 3 and not ind.healthy


def test_freshness_over_master_fields_in_the_window():
    as_of = END
    updates = [
        ("c1", "phone", as_of - timedelta(days=1)),
        ("c1", "industry", as_of - timedelta(days=6)),
        ("c1", "tags", as_of - timedelta(days=8)),  # too old
        ("c2", "contacts", as_of - timedelta(hours=1)),
        ("c9", "phone", as_of),  # not the rep's
    ]
    ind = phi.information_freshness(["c1", "c2"], updates, as_of, S)
    assert (ind.numerator, ind.denominator) == (3, 2 * len(phi.MASTER_FIELDS))


def test_collaboration_ratio_and_composite():
    tasks = [
        phi.CollabTask("approval", "a1", T0, T0 + timedelta(hours=30)),
        phi.CollabTask("ecn_confirmation", "t1", T0, T0 + timedelta(hours=18)),
        phi.CollabTask("approval", "a2", T0 - timedelta(days=40), T0 - timedelta(days=39)),  # not in period
    ]
    ind = phi.collaboration_ratio(tasks, T0, END, S)
    avg_hours = (30 + 18) / 2
    assert ind.value_bp == int(avg_hours / 24 * 10_000) and ind.healthy is (avg_hours / 24 <= 1.2)
    sat = phi.Indicator(phi.KEY_ACTIONS, 9_000, 8_500, True, 9, 10)
    fresh = phi.Indicator(phi.FRESHNESS, 1_000, 6_000, False, 1, 10)
    custom = phi.settings_from_data({"weights": {"key_actions": 2, "freshness": 1, "collaboration": 1}})
    assert phi.composite([sat, fresh, ind], custom) == (2 + 1) * 10_000 // 4
    none = phi.Indicator(phi.COLLABORATION, None, 12_000, False, 0, 0)
    assert phi.composite([sat, fresh, none], S) == 1 * 10_000 // 2


def test_settings_name_the_bad_field():
    with pytest.raises(InvalidArgument) as e:
        phi.settings_from_data({"freshness_min_bp": 20_000, "weights": {"x": 1}})
    assert {v.field for v in e.value.violations} >= {"freshness_min_bp", "weights"}
    assert phi.saturation_warning(6_000, 6_900, S) and not phi.saturation_warning(6_000, 7_000, S)


def test_kpi_and_team_average():
    won = [kpi.WonFact(100_00, "CNY", T0 + timedelta(days=3)), kpi.WonFact(5_00, "CNY", T0 - timedelta(days=1))]
    stays = [kpi.StayDays("方案", T0 - timedelta(days=5), T0 + timedelta(days=5))]
    a = kpi.kpi_of(
        "r1",
        won,
        [T0 + timedelta(days=i) for i in range(5)],
        [30, 90, 120],
        stays,
        T0,
        END,
        visit_target=20,
        min_call_seconds=60,
    )
    assert a.sales == {"CNY": 100_00} and a.visit_rate_bp == 5 * 10_000 // 20
    assert a.effective_call_bp == (90 + 120) * 10_000 // (30 + 90 + 120)
    assert a.stage_days_tenths == {"方案": 100}
    b = kpi.kpi_of("r2", [], [], [], [], T0, END, visit_target=20, min_call_seconds=60)
    team = kpi.team_kpi([a, b])
    assert team["sales"] == {"CNY": 100_00 // 2} and team["effective_call_bp"] == a.effective_call_bp


def test_profile_customer_types_and_conversion():
    won_before = {"old": T0 - timedelta(days=100)}
    closed = [
        rep_profile.ClosedFact("r1", "old", "won", 10_00, "CNY", T0, T0 + timedelta(days=2)),
        rep_profile.ClosedFact("r1", "new", "lost", 0, "CNY", T0, T0 + timedelta(days=2)),
        rep_profile.ClosedFact("r2", "new2", "won", 30_00, "CNY", T0, T0 + timedelta(days=2)),
    ]
    entries = [
        rep_profile.EntryFact("r1", "o1", "方案", T0, True),
        rep_profile.EntryFact("r2", "o2", "方案", T0, False),
    ]
    p = rep_profile.profile_of("r1", "2026-11", closed, won_before, entries, {"预算": 2})
    assert p["customer_types"]["rep"]["existing"]["win_rate_bp"] == 10_000
    assert p["customer_types"]["rep"]["new"]["win_rate_bp"] == 0
    assert p["customer_types"]["team"]["new"]["win_rate_bp"] == 10_000 // 2
    assert p["stage_conversion"]["team"]["方案"]["rate_bp"] == 10_000 // 2


def test_an_entry_went_on_when_a_later_stay_is_further_along_or_the_opportunity_won():
    order = ["初步接触", "方案", "报价"]
    day = timedelta(days=1)
    went = rep_profile.reached_next
    assert went(order, "方案", T0, [("方案", T0), ("报价", T0 + day)], won=False)
    assert not went(order, "方案", T0, [("初步接触", T0 - day), ("方案", T0)], won=False)  # only earlier ones
    assert not went(order, "方案", T0, [("方案", T0), ("初步接触", T0 + day)], won=False)  # moved back
    assert not went(order, "报价", T0, [("报价", T0)], won=False)
    assert went(order, "报价", T0, [("报价", T0)], won=True)  # a win is past every stage
    assert went(order, "旧阶段", T0, [("初步接触", T0 + day)], won=False)  # a stage gone from the pipeline
