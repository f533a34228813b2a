"""Value tiers from the seed-002 formula and the seed-001 health alert, on hand-built facts."""

from datetime import date, timedelta

import pytest
from crm_shared.domain.errors import InvalidArgument
from opportunity.domain.indexes import health
from opportunity.domain.indexes import value_tier as vt

TODAY = date(2026, 12, 3)


def seed_score(bought_in_6m: bool, annual_yuan: int, referred: int, count_6m: int, amount_6m_yuan: int) -> int:
    """The seed's definition (30 / 20 / 10) plus the completed frequency and amount parts."""
    s = (30 if bought_in_6m else 0) + (20 if annual_yuan > 500_000 else 0) + (10 if referred >= 1 else 0)
    s += 20 if count_6m >= 3 else 10 if count_6m >= 1 else 0
    s += 20 if amount_6m_yuan >= 200_000 else 10 if amount_6m_yuan >= 50_000 else 0
    return s


def expected_tier(s: int) -> str:
    return "战略" if s >= 80 else "重点" if s >= 50 else "普通"


def buy(days_ago: int, yuan: int) -> vt.Purchase:
    return vt.Purchase(TODAY - timedelta(days=days_ago), yuan * 100)


CASES = [
    # (purchases, referrals)
    ([buy(10, 300_000), buy(40, 150_000), buy(90, 100_000)], 1),  # everything: 100
    ([buy(10, 300_000), buy(200, 300_000)], 0),  # recent, annual 60万, one buy of 30万
    ([buy(200, 600_000)], 0),  # annual only
    ([buy(400, 900_000)], 3),  # too old for the year; referrals
    ([], 0),
    ([buy(182, 40_000)], 0),  # the last day of the 6 months
    ([buy(183, 40_000)], 0),  # a day too old
]


@pytest.mark.parametrize(("purchases", "referrals"), CASES)
def test_seed_formula_tiers(purchases, referrals):
    facts = vt.facts_of(purchases, referrals, TODAY)
    recent = [p for p in purchases if (TODAY - p.paid_on).days < 183]
    annual = sum(p.amount_minor for p in purchases if (TODAY - p.paid_on).days < 365) // 100
    expected = seed_score(bool(recent), annual, referrals, len(recent), sum(p.amount_minor for p in recent) // 100)
    got = vt.score(facts, vt.DEFAULT_SETTINGS)
    assert (got.score, got.tier, got.error) == (expected, expected_tier(expected), "")


def test_strategic_reachable_and_facts_exact():
    facts = vt.facts_of([buy(1, 500_000), buy(2, 1), buy(3, 1)], 1, TODAY)
    assert facts.annual_minor == 50_000_200 and facts.count_6m == 3 and facts.days_since == 1
    assert vt.score(facts, vt.DEFAULT_SETTINGS).tier == "战略"


def test_recency_from_the_last_purchase_outside_the_year_read():
    # The year's receipts hold none: the last purchase, 400 days back, still gives the days since.
    old = TODAY - timedelta(days=400)
    facts = vt.facts_of([], 0, TODAY, old)
    assert (facts.last_purchase_on, facts.days_since, facts.annual_minor) == (old, 400, 0)
    # A last purchase dated ahead of today does not count yet: never bought, not negative days.
    ahead = vt.facts_of([], 0, TODAY, TODAY + timedelta(days=5))
    assert (ahead.last_purchase_on, ahead.days_since) == (None, None)
    assert vt.facts_of([buy(3, 1)], 0, TODAY, TODAY + timedelta(days=5)).days_since == 3


def test_tenant_formula_and_thresholds():
    settings = vt.settings_from_data({"formula": "近6月采购次数*10", "thresholds": {"战略": 30, "重点": 10}})
    assert vt.score(vt.facts_of([buy(1, 1)] * 3, 0, TODAY), settings).tier == "战略"
    assert vt.score(vt.facts_of([buy(1, 1)], 0, TODAY), settings).tier == "重点"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"formula": "近6月采购次数 >"}, "formula"),
        ({"formula": "未知字段+1"}, "formula"),
        ({"formula": "近6月采购次数>1"}, "formula"),  # a condition, not a number
        ({"thresholds": {"战略": 10, "重点": 50}}, "thresholds.战略"),
        ({"thresholds": {"战略": 80}}, "thresholds.重点"),
    ],
)
def test_bad_settings_name_the_field(data, field):
    with pytest.raises(InvalidArgument) as e:
        vt.settings_from_data(data)
    assert e.value.violations[0].field == field
    if field == "formula":
        assert "line 1, column" in e.value.violations[0].description


def figures(rates, consultations, last="2026-11"):
    periods = health.periods_back(last, len(rates))
    return {
        p: health.PeriodFigures(p, on_time_rate_bp=r, consultations=c)
        for p, r, c in zip(periods, rates, consultations, strict=True)
    }


def test_alert_fires_on_two_falls_with_rising_consultations():
    alert = health.alert_for("2026-11", figures([9500, 9000, 8000], [1, 2, 5]))
    assert alert == health.Alert("2026-11", (9500, 9000, 8000), (2, 5))


@pytest.mark.parametrize(
    ("rates", "consultations"),
    [
        ([9000, 9500, 8000], [0, 1, 5]),  # fell only once
        ([9500, 9000, 9000], [0, 1, 5]),  # flat in the last period
        ([9500, 9000, 8000], [0, 5, 5]),  # consultations flat
        ([9500, 9000, 8000], [0, 5, 2]),  # consultations down
    ],
)
def test_alert_does_not_fire(rates, consultations):
    assert health.alert_for("2026-11", figures(rates, consultations)) is None


def test_alert_needs_three_consecutive_months():
    f = figures([9500, 9000, 8000], [0, 1, 5])
    del f["2026-10"]
    assert health.alert_for("2026-11", f) is None
    assert health.previous("2026-01") == "2025-12"


def test_trial_progress():
    trials = [health.Trial("won", 0, 5), health.Trial("open", 1, 5), health.Trial("lost", 3, 5)]
    assert health.trial_progress(trials) == pytest.approx((1 + 2 / 5 + 0) / 3)
    assert health.trial_progress([]) is None


def test_periods_go_forward_too():
    assert health.previous("2026-12", -1) == "2027-01" and health.periods_back("2026-02", 3) == [
        "2025-12",
        "2026-01",
        "2026-02",
    ]
