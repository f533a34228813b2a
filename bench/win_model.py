"""Training the win model on 100,000 closed opportunities (issue 18: "model training on 100,000
closed opportunities"; "make bench includes [the calibration report] on a generated history with a
known signal").

BENCH_WIN_CLOSED (default 100,000) closed opportunities are generated with a known probability of
winning: logistic(region + product line + rep + amount band + source effects), the stage reached
drawn from the outcome (won ones pass every stage, lost ones stop anywhere), and an industry and an
activity band that copy the region and the stage (naive Bayes counts them twice, as real CRM data
does with correlated fields). What runs is what the service runs (domain/indexes/calibration.py
train_and_report): the held-out split (newest 20 %), the naive Bayes and its calibration fitted on
the older part and scored on the held-out part, then refitted on everything for serving.

Results, all from the same run: the training time (baseline: one plain naive Bayes fit on the same
rows, what calibration and the report add), the peak traced memory of a second training
(tracemalloc, numpy included), and the held-out Brier score and log loss of the calibrated model
against the uncalibrated naive Bayes and the stage default, with the Brier score of the true
probabilities (the best any model can do) beside them."""

from __future__ import annotations

import os
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

import numpy as np

from bench.intake import result

CLOSED = int(os.environ.get("BENCH_WIN_CLOSED", "100000"))
NOW = datetime(2026, 12, 1, tzinfo=UTC)
STAGES = (("初步接触", 10), ("需求确认", 20), ("方案提交", 40), ("报价谈判", 60), ("合同签署", 80))
REGIONS = {"浙江": 0.6, "江苏": 0.3, "广东": 0.0, "山东": -0.3, "四川": -0.6, "湖北": -0.2}
INDUSTRY = {"浙江": "机械", "江苏": "化工", "广东": "电子", "山东": "食品", "四川": "汽配", "湖北": "纺织"}
PRODUCTS = {"注塑机": 0.3, "机械手": -0.2, "模温机": 0.0, "MES": -0.5}
SOURCES = {"lead": 0.0, "partner": 0.4, "direct": -0.3}


def history(n: int, seed: int = 11):  # type: ignore[no-untyped-def]
    from opportunity.domain.indexes import win_model as wm

    rng = np.random.default_rng(seed)
    reps = {f"rep-{i:02d}": float(rng.normal(0, 0.5)) for i in range(40)}
    rep_names, regions, products, sources = list(reps), list(REGIONS), list(PRODUCTS), list(SOURCES)
    amounts = [500_000, 5_000_000, 30_000_000, 80_000_000, 200_000_000]
    # Every draw at once (numpy), then the rows.
    r_i, p_i, s_i = rng.integers(len(regions), size=n), rng.integers(len(products), size=n), rng.integers(3, size=n)
    rep_i, a_i = rng.integers(len(rep_names), size=n), rng.integers(len(amounts), size=n)
    u, stop = rng.random(n), rng.integers(1, len(STAGES) + 1, size=n)
    days, minutes = rng.integers(1, 730, size=n), rng.integers(0, 1440, size=n)
    out, truth = [], []
    for i in range(n):
        region, product, source = regions[r_i[i]], products[p_i[i]], sources[s_i[i]]
        rep, amount = rep_names[rep_i[i]], amounts[a_i[i]]
        logit = -0.9 + REGIONS[region] + PRODUCTS[product] + SOURCES[source] + reps[rep] - 0.2 * (amount > 50_000_000)
        p = 1 / (1 + np.exp(-logit))
        won = bool(u[i] < p)
        reached = len(STAGES) if won else int(stop[i])
        fixed = wm.Fixed(source, INDUSTRY[region], region, product, amount, rep)
        snaps = tuple(fixed.snapshot(STAGES[k][0], STAGES[k][1], 2 * k + 1) for k in range(reached))
        closed = NOW - timedelta(days=int(days[i]), minutes=int(minutes[i]))
        out.append(wm.ClosedHistory(f"o{i:06d}", won, closed, snaps))
        truth.append(float(p))
    return out, dict(zip((h.opportunity_id for h in out), truth, strict=True))


def _plain_nb_seconds(histories) -> float:  # type: ignore[no-untyped-def]
    from opportunity.domain.indexes import win_model as wm
    from sklearn.naive_bayes import CategoricalNB

    started = time.perf_counter()
    rows = wm.rows_of(histories, NOW, 180)
    vocab = [
        (wm.UNKNOWN, *sorted({r.features[j] for r in rows.x_rows} - {wm.UNKNOWN})) for j in range(len(wm.FEATURES))
    ]
    x = wm.ModelParams(tuple(vocab), (0.0, 0.0), (), "sigmoid", ((0.0,), (0.0,))).encode(rows.x_rows)
    CategoricalNB(min_categories=[len(v) for v in vocab]).fit(x, rows.y, sample_weight=rows.weight)
    return time.perf_counter() - started


def bench_win_model() -> list[dict]:
    from opportunity.domain.indexes import calibration
    from sklearn.metrics import brier_score_loss

    histories, truth = history(CLOSED)
    baseline = _plain_nb_seconds(histories)
    started = time.perf_counter()
    trained = calibration.train_and_report(histories, NOW, 180)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    calibration.train_and_report(histories, NOW, 180)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report = trained.report
    _, holdout = calibration.split(histories)
    y = [1 if h.won else 0 for h in holdout for _ in h.snapshots]
    # The truth is the probability at opening; a snapshot's outcome also depends on the stage it reached,
    # so this is the Brier score of knowing the opportunity's own odds without its stage (a reference).
    oracle = brier_score_loss(y, [truth[h.opportunity_id] for h in holdout for _ in h.snapshots])
    s = report.scores
    return [
        result(
            f"win model: train+report {CLOSED:,} closed ({report.train_rows:,} rows, {report.method})",
            seconds,
            "s",
            baseline,
        ),
        result("win model: peak traced memory of training", peak / 2**20, "MiB", 0.0),
        result(
            "win model: held-out Brier calibrated vs uncalibrated", s["calibrated"].brier, "", s["uncalibrated"].brier
        ),
        result(
            "win model: held-out Brier calibrated vs stage default", s["calibrated"].brier, "", s["stage_default"].brier
        ),
        result(
            "win model: held-out log loss calibrated vs uncalibrated",
            s["calibrated"].log_loss,
            "",
            s["uncalibrated"].log_loss,
        ),
        result(
            "win model: held-out log loss calibrated vs stage default",
            s["calibrated"].log_loss,
            "",
            s["stage_default"].log_loss,
        ),
        result(
            "win model: held-out Brier of the true opening odds, no stage (reference)",
            oracle,
            "",
            s["calibrated"].brier,
        ),
    ]
