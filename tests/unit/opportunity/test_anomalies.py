"""Anomaly rules over generated histories; the statistics are worked out here by hand."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from opportunity.domain.anomalies.backdating import backdating_flag
from opportunity.domain.anomalies.evidence_failures import evidence_failures_flag
from opportunity.domain.anomalies.flags import MONTH_END, Recorded, dismiss, raise_flag
from opportunity.domain.anomalies.follow_up_moved import follow_up_moved_flag
from opportunity.domain.anomalies.manager import manager_notice, manager_task
from opportunity.domain.anomalies.month_end import month_end_flag, month_shares
from opportunity.domain.anomalies.months import month_of
from opportunity.domain.anomalies.settings import AnomalySettings, parse_settings
from opportunity.domain.anomalies.stats import p90
from opportunity.domain.anomalies.stuck import OpenStay, stuck_flag

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


def _hand_median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def _days_in(year: int, month: int) -> int:
    nxt = datetime(year + (month == 12), month % 12 + 1, 1)
    return (nxt - datetime(year, month, 1)).days


def _history(rng: random.Random, months: list[tuple[int, int]], month_end_shares: list[float], per_month: int):
    """Recorded times, Shanghai wall clock: for each month, per_month activities
    of which round(share·per_month) fall in its last three calendar days."""
    times: list[datetime] = []
    for (year, month), share in zip(months, month_end_shares, strict=True):
        last = _days_in(year, month)
        late = round(share * per_month)
        for i in range(per_month):
            day = rng.randint(last - 2, last) if i < late else rng.randint(1, last - 3)
            local = datetime(year, month, day, rng.randint(0, 23), rng.randint(0, 59), tzinfo=SH)
            times.append(local.astimezone(UTC))
    return times


MONTHS = [(2026, 5), (2026, 6), (2026, 7), (2026, 8), (2026, 9), (2026, 10), (2026, 11)]


def test_the_bulk_entering_rep_is_flagged_against_their_own_median_and_mad_the_steady_rep_not() -> None:
    rng = random.Random(17)
    steady_shares = [0.10, 0.12, 0.08, 0.10, 0.14, 0.10, 0.12]
    bulk_shares = [0.10, 0.15, 0.10, 0.05, 0.10, 0.10, 0.60]
    steady = _history(rng, MONTHS, steady_shares, per_month=50)
    bulk = _history(rng, MONTHS, bulk_shares, per_month=50)
    settings = AnomalySettings()
    november = (2026, 11)

    assert month_end_flag("rep-steady", steady, november, settings) is None
    flag = month_end_flag("rep-bulk", bulk, november, settings)
    assert flag is not None and flag.kind == MONTH_END and flag.key == "month_end:rep-bulk:2026-11"

    # By hand: shares of May..Oct are 5/50, 7.5→8/50 ... count them from the generated times.
    def share(times: list[datetime], year: int, month: int) -> float:
        local = [t.astimezone(SH) for t in times if (t.astimezone(SH).year, t.astimezone(SH).month) == (year, month)]
        last = _days_in(year, month)
        return sum(1 for t in local if t.day >= last - 2) / len(local)

    history = [share(bulk, y, m) for y, m in MONTHS[:-1]]
    med = _hand_median(history)
    mad = _hand_median([abs(h - med) for h in history])
    nov_share = share(bulk, 2026, 11)
    assert nov_share == pytest.approx(0.60)
    assert nov_share > med + 3 * mad
    assert flag.evidence["median"] == pytest.approx(med, abs=1e-4)
    assert flag.evidence["mad"] == pytest.approx(mad, abs=1e-4)
    assert flag.evidence["share"] == pytest.approx(nov_share, abs=1e-4)
    assert flag.evidence["threshold"] == pytest.approx(med + 3 * mad, abs=1e-4)
    assert flag.evidence["at_month_end"] == 30 and flag.evidence["activities"] == 50
    assert [h["month"] for h in flag.evidence["history"]] == [
        "2026-10",
        "2026-09",
        "2026-08",
        "2026-07",
        "2026-06",
        "2026-05",
    ]


def test_month_end_is_counted_in_shanghai_days_not_utc() -> None:
    # 2026-11-27 17:30 UTC is 11-28 01:30 in Shanghai: inside November's last three days there.
    at = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
    shares = month_shares([at, datetime(2026, 11, 27, 15, 30, tzinfo=UTC)], 3)
    assert shares[(2026, 11)].at_month_end == 1 and shares[(2026, 11)].total == 2
    # 2026-11-30 16:30 UTC is already December 1st in Shanghai.
    assert month_of(datetime(2026, 11, 30, 16, 30, tzinfo=UTC)) == (2026, 12)


def test_small_numbers_do_not_flag_and_a_short_history_gives_no_verdict() -> None:
    rng = random.Random(3)
    few = _history(rng, MONTHS, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.8], per_month=5)  # 4 at month end < min 10
    assert month_end_flag("rep", few, (2026, 11), AnomalySettings()) is None
    assert month_end_flag("rep", few, (2026, 11), AnomalySettings(month_end_min_count=4)) is not None
    short = _history(rng, MONTHS[-3:], [0.1, 0.1, 0.7], per_month=50)  # two months of history < 3
    assert month_end_flag("rep", short, (2026, 11), AnomalySettings()) is None


def _rec(i: int, lag_hours: float, recorded: datetime, kind: str = "visit", failed: int = 0) -> Recorded:
    return Recorded(f"act-{i}", "rep", kind, recorded - timedelta(hours=lag_hours), recorded, failed)


def test_backdating_needs_more_than_n_activities_lagging_beyond_the_threshold() -> None:
    at = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
    acts = [_rec(i, 50, at) for i in range(3)] + [_rec(9, 47, at), _rec(10, 100, at)]
    settings = AnomalySettings()  # 48 h, more than 3
    flag = backdating_flag("rep", acts, (2026, 11), settings)
    assert flag is not None and flag.evidence["count"] == 4 and flag.evidence["max_lag_hours"] == 100.0
    assert flag.evidence["activity_ids"][0] == "act-10" and "act-9" not in flag.evidence["activity_ids"]
    assert backdating_flag("rep", acts[:3] + acts[3:4], (2026, 11), settings) is None
    assert backdating_flag("rep", acts, (2026, 10), settings) is None


def test_stuck_over_the_stage_allowed_days_or_the_team_p90() -> None:
    stay = OpenStay("o-1", "rep", "二期产线", "p-1", "报价谈判", "s-1", NOW - timedelta(days=20))
    s = AnomalySettings()
    assert stuck_flag(stay, max_days=30, team_days=[], now=NOW, settings=s) is None
    hit = stuck_flag(stay, max_days=14, team_days=[], now=NOW, settings=s)
    assert hit is not None and hit.evidence["over"] == ["max_days"] and hit.key == "stuck:o-1:s-1"
    # p90 of 1..10 days by hand (inclusive, linear): rank 0.9·9 = 8.1 → 9 + 0.1·(10-9) = 9.1
    team = [float(d) for d in range(1, 11)]
    assert p90(team) == pytest.approx(9.1)
    by_team = stuck_flag(stay, max_days=None, team_days=team, now=NOW, settings=s)
    assert by_team is not None and by_team.evidence["over"] == ["team_p90"]
    assert by_team.evidence["team_p90_days"] == 9.1
    # Too small a sample says nothing.
    assert stuck_flag(stay, max_days=None, team_days=team[:4], now=NOW, settings=s) is None


def test_evidence_failures_and_follow_up_moves() -> None:
    s = AnomalySettings()
    acts = [_rec(i, 0, NOW - timedelta(days=i), failed=1) for i in (1, 2)]
    acts.append(_rec(3, 0, NOW - timedelta(days=40), failed=2))  # outside 30 days
    acts.append(_rec(4, 0, NOW - timedelta(days=3), kind="call", failed=1))  # not a visit
    assert evidence_failures_flag("rep", acts, NOW, s) is None
    acts.append(_rec(5, 0, NOW - timedelta(days=5), failed=1))
    flag = evidence_failures_flag("rep", acts, NOW, s)
    assert flag is not None and flag.evidence["count"] == 3
    assert sorted(flag.evidence["activity_ids"]) == ["act-1", "act-2", "act-5"]

    assert (
        follow_up_moved_flag(
            customer_id="c-1",
            customer_name="宁波注塑机厂",
            owner_id="rep",
            moves=3,
            flagged=False,
            next_follow_up_at=None,
        )
        is None
    )
    moved = follow_up_moved_flag(
        customer_id="c-1", customer_name="宁波注塑机厂", owner_id="rep", moves=4, flagged=True, next_follow_up_at=NOW
    )
    assert moved is not None and moved.subject_type == "customer" and moved.evidence["moves"] == 4


def test_dismissing_keeps_who_when_and_why_and_the_manager_gets_one_task_per_flag() -> None:
    cand = follow_up_moved_flag(
        customer_id="c-1", customer_name="宁波注塑机厂", owner_id="rep", moves=4, flagged=True, next_follow_up_at=NOW
    )
    assert cand is not None
    flag = raise_flag(cand, tenant_id="t", flag_id="f-1", now=NOW)
    with pytest.raises(InvalidArgument):
        dismiss(flag, by="mgr", reason="  ", now=NOW)
    done = dismiss(flag, by="mgr", reason="客户出差，已确认", now=NOW)
    assert (done.state, done.dismissed_by, done.dismissed_at, done.reason) == (
        "dismissed",
        "mgr",
        NOW,
        "客户出差，已确认",
    )
    with pytest.raises(FailedPrecondition):
        dismiss(done, by="mgr", reason="again", now=NOW)
    task = manager_task(flag, "mgr")
    assert task.owner_id == "mgr" and task.key == "anomaly_flag:follow_up_moved:c-1" and task.customer_id == "c-1"
    notice = manager_notice(flag, "mgr")
    assert (notice.recipient_id, notice.subject_type, notice.subject_id) == ("mgr", "anomaly_flag", "f-1")


def test_thresholds_are_checked_naming_the_field() -> None:
    assert parse_settings({"version": 2, "month_end_k": 2.5}).month_end_k == 2.5
    for bad, field in (
        ({"month_end_k": -1}, "month_end_k"),
        ({"backdate_hours": 1.5}, "backdate_hours"),
        ({"nonsense": 1}, "nonsense"),
        ({"month_end_min_share": "x"}, "month_end_min_share"),
        ({"month_end_min_count": True}, "month_end_min_count"),
    ):
        with pytest.raises(InvalidArgument) as err:
            parse_settings(bad)
        assert err.value.violations[0].field == field


def test_a_stage_allows_between_1_and_3650_days_or_has_no_limit() -> None:
    from opportunity.domain.pipeline import Stage, define_pipeline

    def define(*days: int | None):
        stages = [Stage(f"阶段{i}", 10 * i, "pipeline", max_days=d) for i, d in enumerate(days)]
        return define_pipeline(pipeline_id="p", tenant_id="t", name="管线", product_line="", stages=stages, now=NOW)

    assert [s.max_days for s in define(14, None).stages] == [14, None]
    with pytest.raises(InvalidArgument) as err:
        define(0, 3651)
    assert [v.field for v in err.value.violations] == ["stages[0].max_days", "stages[1].max_days"]
