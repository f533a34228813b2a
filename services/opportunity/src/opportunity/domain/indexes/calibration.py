"""How good the win model is (the issue: "say how good it is"): on a held-out split — the newest
HOLDOUT_SHARE of the tenant's closed opportunities by close time, every stage snapshot of each —
the Brier score, the log loss and a reliability curve (calibration_curve's uniform bins) of three
predictors in the same run: the calibrated model, the uncalibrated naive Bayes under it, and the
stage's default probability. The report's model is fitted on the older opportunities only; the
model then served is refitted on all of them with the same method (train_and_report)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from opportunity.domain.indexes import win_model
from opportunity.domain.indexes.win_model import ClosedHistory, ModelParams

HOLDOUT_SHARE = 0.2
BINS = 10
PREDICTORS = ("calibrated", "uncalibrated", "stage_default")
# Log loss of a predictor that says 0 or 1 is infinite: probabilities are clipped to this.
EPS = 1e-6


@dataclass(frozen=True)
class Bin:
    mean_predicted: float
    fraction_won: float
    count: int


@dataclass(frozen=True)
class Scores:
    brier: float
    log_loss: float
    curve: tuple[Bin, ...]


@dataclass(frozen=True)
class Report:
    method: str
    train_opportunities: int
    train_rows: int
    holdout_opportunities: int
    holdout_rows: int
    holdout_won_share: float
    scores: dict[str, Scores]  # by PREDICTORS


def split(histories: Sequence[ClosedHistory]) -> tuple[list[ClosedHistory], list[ClosedHistory]]:
    """Older (train) and newest HOLDOUT_SHARE (held out) by close time; ties by id."""
    ordered = sorted(histories, key=lambda h: (h.closed_at, h.opportunity_id))
    cut = len(ordered) - max(1, round(len(ordered) * HOLDOUT_SHARE))
    return ordered[:cut], ordered[cut:]


def scores(y: np.ndarray, p: np.ndarray) -> Scores:
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss, log_loss

    clipped = np.clip(p, EPS, 1 - EPS)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=BINS, strategy="uniform")
    # The same binning as calibration_curve's, for the number of rows behind each point.
    ids = np.searchsorted(np.linspace(0.0, 1.0, BINS + 1)[1:-1], p)
    counts = np.bincount(ids, minlength=BINS)
    counts = counts[counts > 0]
    return Scores(
        brier=float(brier_score_loss(y, p, pos_label=1)),
        log_loss=float(log_loss(y, clipped, labels=[0, 1])),
        curve=tuple(Bin(float(m), float(f), int(c)) for m, f, c in zip(prob_pred, prob_true, counts, strict=True)),
    )


def evaluate(model: ModelParams, holdout: Sequence[ClosedHistory]) -> tuple[dict[str, Scores], int, float]:
    rows = [s for h in holdout for s in h.snapshots]
    y = np.array([1 if h.won else 0 for h in holdout for _ in h.snapshots], dtype=np.int64)
    raw = model.uncalibrated(model.encode(rows))
    predicted = {
        "calibrated": model.calibrate(raw),
        "uncalibrated": raw,
        "stage_default": np.array([s.stage_probability / 100 for s in rows], dtype=float),
    }
    return {k: scores(y, predicted[k]) for k in PREDICTORS}, len(rows), float(y.mean()) if len(y) else 0.0


@dataclass(frozen=True)
class Trained:
    model: ModelParams
    report: Report


def train_and_report(histories: Sequence[ClosedHistory], as_of: datetime, half_life_days: int) -> Trained:
    """FailedPrecondition when the history is too small (the stage default stands), or when the
    older part lacks an outcome to learn from."""
    win_model.require_enough(histories)
    train, holdout = split(histories)
    win_model.require_enough_to_split(train)
    evaluated = win_model.fit(train, as_of, half_life_days)
    by_predictor, holdout_rows, won_share = evaluate(evaluated, holdout)
    served = win_model.fit(histories, as_of, half_life_days)
    return Trained(
        served,
        Report(
            method=evaluated.method,
            train_opportunities=len(train),
            train_rows=sum(len(h.snapshots) for h in train),
            holdout_opportunities=len(holdout),
            holdout_rows=holdout_rows,
            holdout_won_share=won_share,
            scores=by_predictor,
        ),
    )


def report_data(r: Report) -> dict:
    return {
        "method": r.method,
        "train_opportunities": r.train_opportunities,
        "train_rows": r.train_rows,
        "holdout_opportunities": r.holdout_opportunities,
        "holdout_rows": r.holdout_rows,
        "holdout_won_share": r.holdout_won_share,
        "scores": {
            k: {
                "brier": s.brier,
                "log_loss": s.log_loss,
                "curve": [[b.mean_predicted, b.fraction_won, b.count] for b in s.curve],
            }
            for k, s in r.scores.items()
        },
    }


def report_from_data(d: dict) -> Report:
    return Report(
        method=d["method"],
        train_opportunities=int(d["train_opportunities"]),
        train_rows=int(d["train_rows"]),
        holdout_opportunities=int(d["holdout_opportunities"]),
        holdout_rows=int(d["holdout_rows"]),
        holdout_won_share=float(d["holdout_won_share"]),
        scores={
            k: Scores(
                float(s["brier"]),
                float(s["log_loss"]),
                tuple(Bin(float(a), float(b), int(c)) for a, b, c in s["curve"]),
            )
            for k, s in d["scores"].items()
        },
    )
