"""The win model on a generated history whose true probabilities are known: the calibrated model
beats the naive Bayes under it on Brier score, the report's figures are those sklearn.metrics
gives on the held-out part, and the model kept as data predicts what scikit-learn's fit does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from opportunity.domain.indexes import calibration as cal
from opportunity.domain.indexes import win_model as wm
from sklearn.metrics import brier_score_loss, log_loss
from sklearn.naive_bayes import CategoricalNB

NOW = datetime(2026, 12, 1, tzinfo=UTC)
STAGES = ("初步接触", "需求确认", "方案", "报价", "谈判")
DEFAULTS = (10, 20, 40, 60, 80)


def history(n: int, seed: int = 7) -> list[wm.ClosedHistory]:
    """True P(won) = logistic(region and rep effects); industry copies region and the activity band
    copies the stage, so naive Bayes counts the same evidence twice (overconfident)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        region = str(rng.choice(["浙江", "江苏", "广东"]))
        rep = f"rep-{rng.integers(4)}"
        logit = -0.4 + (1.2 if region == "浙江" else -0.3 if region == "广东" else 0.0) + (0.8 if rep == "rep-0" else 0)
        won = bool(rng.random() < 1 / (1 + np.exp(-logit)))
        fixed = wm.Fixed("lead", {"浙江": "机械", "江苏": "化工", "广东": "电子"}[region], region, "泵", 3_000_000, rep)
        reached = int(rng.integers(1, 4))
        snaps = tuple(fixed.snapshot(STAGES[k], DEFAULTS[k], k * 3) for k in range(reached))
        out.append(wm.ClosedHistory(f"o{i:05d}", won, NOW - timedelta(days=int(rng.integers(0, 400))), snaps))
    return out


def test_calibrated_beats_uncalibrated_and_the_report_is_sklearns() -> None:
    hs = history(3000)
    trained = cal.train_and_report(hs, NOW, 180)
    report = trained.report
    assert report.method == "isotonic"
    train, holdout = cal.split(hs)
    assert len(holdout) == 600 and min(h.closed_at for h in holdout) >= max(h.closed_at for h in train)
    assert report.scores["calibrated"].brier < report.scores["uncalibrated"].brier
    assert report.scores["calibrated"].brier < report.scores["stage_default"].brier
    # Recomputed here from the definition: the model fitted on the older part, on every held-out snapshot.
    evaluated = wm.fit(train, NOW, 180)
    rows = [s for h in holdout for s in h.snapshots]
    y = [1 if h.won else 0 for h in holdout for _ in h.snapshots]
    p = evaluated.predict(rows)
    assert report.scores["calibrated"].brier == pytest.approx(brier_score_loss(y, p))
    assert report.scores["calibrated"].log_loss == pytest.approx(log_loss(y, np.clip(p, 1e-6, 1 - 1e-6)))
    stage = [s.stage_probability / 100 for s in rows]
    assert report.scores["stage_default"].brier == pytest.approx(brier_score_loss(y, stage))
    assert sum(b.count for b in report.scores["calibrated"].curve) == len(rows)
    # Held-out reliability: in each bin the calibrated mean prediction is near the won share.
    assert report.scores["calibrated"].curve and all(
        0 <= b.fraction_won <= 1 for b in report.scores["calibrated"].curve
    )


def test_the_model_as_data_is_naive_bayes_and_unknown_categories_are_neutral() -> None:
    hs = history(200, seed=3)
    model = wm.fit(hs, NOW, 180)
    rows = wm.rows_of(hs, NOW, 180)
    x = model.encode(rows.x_rows)
    nb = CategoricalNB(alpha=wm.ALPHA, min_categories=[len(v) for v in model.vocab]).fit(
        x, rows.y, sample_weight=rows.weight
    )
    np.testing.assert_allclose(model.uncalibrated(x), nb.predict_proba(x)[:, 1], rtol=1e-9)
    again = wm.params_from_data(model.to_data())
    assert again == model
    stranger = wm.Fixed("展会", "食品", "西藏", "新品", None, "rep-new").snapshot("未知阶段", 0, 0)
    assert model.encode([stranger]).tolist()[0][:-1] == [0] * (len(wm.FEATURES) - 1)  # activity band "0" is known
    assert 0 <= model.predict([stranger])[0] <= 1


def test_too_little_history_leaves_the_stage_default() -> None:
    with pytest.raises(FailedPrecondition):
        cal.train_and_report(history(39), NOW, 180)
    only_won = [h for h in history(400) if h.won][:60]
    with pytest.raises(FailedPrecondition):
        cal.train_and_report(only_won, NOW, 180)


def test_newer_outcomes_weigh_more() -> None:
    hs = history(10)
    rows = wm.rows_of(hs, NOW, 180)
    ages = [(NOW - h.closed_at).days for h in hs for _ in h.snapshots]
    for age, w in zip(ages, rows.weight, strict=True):
        assert w == pytest.approx(0.5 ** (age / 180), rel=1e-3)


def test_snapshots_count_what_was_known_when_the_stage_was_left() -> None:
    t0 = NOW - timedelta(days=30)
    stays = [("初步接触", t0, t0 + timedelta(days=5)), ("方案", t0 + timedelta(days=5), None)]
    acts = [t0 + timedelta(days=1), t0 + timedelta(days=2), t0 + timedelta(days=8)]
    fixed = wm.Fixed("direct", "", "浙江", "泵", 50_000_000, "rep-1")
    snaps = wm.snapshots_of(fixed, stays, {"初步接触": 10, "方案": 40}, acts, closed_at=t0 + timedelta(days=10))
    assert [(s.features[0], s.features[-1], s.stage_probability) for s in snaps] == [
        ("初步接触", "1-2", 10),
        ("方案", "3-5", 40),
    ]
    assert snaps[0].features[5] == "50-100万"


def test_ratings_settings_and_the_effective_probability() -> None:
    s = wm.settings_from_data({"high_min": 70, "medium_min": 40})
    assert [wm.rating(p, s) for p in (70, 69, 40, 39)] == ["高", "中", "中", "低"]
    with pytest.raises(InvalidArgument) as bad:
        wm.settings_from_data({"high_min": 30, "medium_min": 50, "half_life_days": 1})
    assert {v.field for v in bad.value.violations} == {"medium_min", "half_life_days"}
    assert wm.effective(15, 80, 40) == (15, "manual")
    assert wm.effective(None, 80, 40) == (80, "model")
    assert wm.effective(None, None, 40) == (40, "stage")
    with pytest.raises(InvalidArgument):
        wm.check_manual(101)


def test_folds_keep_an_opportunitys_snapshots_together_and_deal_both_outcomes() -> None:
    hs = history(100, seed=5)
    rows = wm.rows_of(hs, NOW, 180)
    won = np.array([h.won for h in hs])
    splits = wm.group_folds(won, rows.groups, 5)
    seen = np.concatenate([test for _, test in splits])
    assert sorted(seen.tolist()) == list(range(len(rows.y)))
    for train, test in splits:
        assert not set(rows.groups[train]) & set(rows.groups[test])
        in_fold = set(rows.groups[test].tolist())
        assert abs(sum(won[g] for g in in_fold) - won.sum() / 5) <= 1
