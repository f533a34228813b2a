"""The win probability model (seed 000: "基于历史成交数据训练简易概率模型 … 高/中/低转化评级").

Naive Bayes over won/lost frequencies of categorical features, as in Odoo's predictive lead
scoring, calibrated with CalibratedClassifierCV (ensemble=False: one naive Bayes fitted on all the
training rows, whose cross-validated predictions fit the calibration map). The naive Bayes fitted
this way is the uncalibrated baseline of the report (calibration.py): the two differ only by the map.

Training rows are stage snapshots: a closed opportunity contributes one row for each stage it was
in, with what was known when it left that stage (activities up to then). An open opportunity is
scored with the same features in its current stage, so the model never learns "the won ones all
reached the last stage". Newer outcomes weigh more: weight 0.5 ** (age / half-life).

The fitted model is kept as data (ModelParams: vocabularies, log probabilities, the calibration
map), never pickled; `predict` is plain numpy over those numbers. Pure: no I/O."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from crm_shared import roles
from crm_shared.domain.errors import FailedPrecondition, Validator, Violation

FEATURES = ("stage", "source", "industry", "region", "product_line", "amount_band", "rep", "activity_band")
UNKNOWN = ""  # category 0 of every feature: not known, or not seen in training
# Minimum history: this many closed opportunities, with at least MIN_EACH won and MIN_EACH lost.
MIN_CLOSED = 40
MIN_EACH = 5
# Isotonic regression needs many rows not to overfit (scikit-learn's guide: ~1,000); sigmoid below.
ISOTONIC_MIN_ROWS = 1000
MAX_FOLDS = 5
ALPHA = 1.0  # Laplace smoothing of the frequencies
# Amount bands in 分: <1万, 1–10万, 10–50万, 50–100万, 100–500万, ≥500万 元.
AMOUNT_EDGES = (1_000_000, 10_000_000, 50_000_000, 100_000_000, 500_000_000)
AMOUNT_BANDS = ("<1万", "1-10万", "10-50万", "50-100万", "100-500万", "≥500万")
ACTIVITY_EDGES = (1, 3, 6, 11)
ACTIVITY_BANDS = ("0", "1-2", "3-5", "6-10", "11+")
RATINGS = ("高", "中", "低")

TRAINERS = (roles.MANAGER, roles.ADMIN, roles.SYSTEM)
READERS = (roles.REP, roles.MANAGER, roles.ADMIN)
SETTINGS_READERS = (roles.REP, roles.MANAGER, roles.ADMIN)
SETTINGS_EDITORS = (roles.MANAGER, roles.ADMIN)
MANUAL_SETTERS = (roles.MANAGER, roles.ADMIN)


def amount_band(amount_minor: int | None) -> str:
    if amount_minor is None:
        return UNKNOWN
    for edge, band in zip(AMOUNT_EDGES, AMOUNT_BANDS, strict=False):
        if amount_minor < edge:
            return band
    return AMOUNT_BANDS[-1]


def activity_band(count: int) -> str:
    for edge, band in zip(ACTIVITY_EDGES, ACTIVITY_BANDS, strict=False):
        if count < edge:
            return band
    return ACTIVITY_BANDS[-1]


def source_of(lead_id: str | None, partner_org_id: str) -> str:
    """Where the deal came from: a distributor's registration, a lead, or typed in directly."""
    if partner_org_id:
        return "partner"
    return "lead" if lead_id else "direct"


@dataclass(frozen=True)
class Snapshot:
    """One row: the features (FEATURES order) and the stage's default probability (percent)."""

    features: tuple[str, ...]
    stage_probability: int


@dataclass(frozen=True)
class ClosedHistory:
    opportunity_id: str
    won: bool
    closed_at: datetime
    snapshots: tuple[Snapshot, ...]


@dataclass(frozen=True)
class Fixed:
    """What does not change while an opportunity moves (as stored today)."""

    source: str
    industry: str
    region: str
    product_line: str
    amount_minor: int | None
    rep: str

    def snapshot(self, stage: str, stage_probability: int, activities: int) -> Snapshot:
        return Snapshot(
            (
                stage,
                self.source,
                self.industry,
                self.region,
                self.product_line,
                amount_band(self.amount_minor),
                self.rep,
                activity_band(activities),
            ),
            stage_probability,
        )


def snapshots_of(
    fixed: Fixed,
    stays: Sequence[tuple[str, datetime, datetime | None]],
    stage_probability: Mapping[str, int],
    activity_times: Sequence[datetime],
    closed_at: datetime,
) -> tuple[Snapshot, ...]:
    """One snapshot per stage the opportunity was in (its last stay there), counting the
    activities that happened before it left that stage (or closed)."""
    times = sorted(activity_times)
    last: dict[str, datetime] = {}
    for stage, _entered, left in stays:
        last[stage] = left or closed_at
    out = []
    for stage, until in last.items():
        out.append(fixed.snapshot(stage, stage_probability.get(stage, 0), bisect_left(times, until)))
    return tuple(out)


@dataclass(frozen=True)
class WinSettings:
    high_min: int = 60  # 高 at or above this percent
    medium_min: int = 30  # 中 at or above, 低 below
    half_life_days: int = 180


DEFAULT_SETTINGS = WinSettings()


def settings_from_data(data: Mapping[str, Any]) -> WinSettings:
    """Every bad field named at once (→ 400)."""
    v = Validator()
    values: dict[str, int] = {}
    for name, low, high in (("high_min", 1, 100), ("medium_min", 1, 100), ("half_life_days", 7, 3650)):
        raw = data.get(name, getattr(DEFAULT_SETTINGS, name))
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            v.add(name, f"must be a whole number from {low} to {high}")
            continue
        values[name] = raw
    if "high_min" in values and "medium_min" in values and values["medium_min"] >= values["high_min"]:
        v.add("medium_min", "must be below high_min")
    v.check()
    return WinSettings(**values)


def settings_data(s: WinSettings) -> dict[str, int]:
    return {"high_min": s.high_min, "medium_min": s.medium_min, "half_life_days": s.half_life_days}


def rating(percent: int, s: WinSettings) -> str:
    if percent >= s.high_min:
        return RATINGS[0]
    return RATINGS[1] if percent >= s.medium_min else RATINGS[2]


def effective(manual: int | None, model: int | None, stage_default: int | None) -> tuple[int | None, str]:
    """manual > model > stage default, with where the figure came from."""
    if manual is not None:
        return manual, "manual"
    if model is not None:
        return model, "model"
    return stage_default, "stage"


def check_manual(percent: int) -> None:
    """A manager's manual probability: a whole percent (→ 400 naming probability)."""
    if not 0 <= percent <= 100:
        v = Validator()
        v.add("probability", "must be between 0 and 100")
        v.check()


@dataclass(frozen=True)
class ModelParams:
    """A fitted model as numbers: per feature its vocabulary (index 0 = UNKNOWN) and log P(category |
    class) for lost (0) and won (1); the class log priors; the calibration map."""

    vocab: tuple[tuple[str, ...], ...]
    class_log_prior: tuple[float, float]
    feature_log_prob: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]
    method: str  # isotonic | sigmoid
    calibration: tuple[tuple[float, ...], tuple[float, ...]]  # isotonic: (x, y) thresholds; sigmoid: ((a,), (b,))

    def encode(self, rows: Sequence[Snapshot]) -> np.ndarray:
        index = [{v: i for i, v in enumerate(vocab)} for vocab in self.vocab]
        return np.array([[index[j].get(f, 0) for j, f in enumerate(r.features)] for r in rows], dtype=np.int64).reshape(
            len(rows), len(FEATURES)
        )

    def uncalibrated(self, x: np.ndarray) -> np.ndarray:
        jll = np.tile(np.array(self.class_log_prior), (x.shape[0], 1))
        for j, flp in enumerate(self.feature_log_prob):
            jll += np.array(flp).T[x[:, j]]
        jll -= jll.max(axis=1, keepdims=True)
        p = np.exp(jll)
        return p[:, 1] / p.sum(axis=1)

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        first, second = self.calibration
        if self.method == "isotonic":
            out = np.interp(raw, np.array(first), np.array(second))
        else:
            out = 1.0 / (1.0 + np.exp(first[0] * raw + second[0]))
        return np.clip(out, 0.0, 1.0)

    def predict(self, rows: Sequence[Snapshot]) -> np.ndarray:
        return self.calibrate(self.uncalibrated(self.encode(rows))) if rows else np.zeros(0)

    def to_data(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "vocab": [list(v) for v in self.vocab],
            "class_log_prior": list(self.class_log_prior),
            "feature_log_prob": [[list(c) for c in f] for f in self.feature_log_prob],
            "method": self.method,
            "calibration": [list(self.calibration[0]), list(self.calibration[1])],
        }


def params_from_data(data: Mapping[str, Any]) -> ModelParams:
    return ModelParams(
        vocab=tuple(tuple(v) for v in data["vocab"]),
        class_log_prior=(float(data["class_log_prior"][0]), float(data["class_log_prior"][1])),
        feature_log_prob=tuple((tuple(f[0]), tuple(f[1])) for f in data["feature_log_prob"]),
        method=str(data["method"]),
        calibration=(tuple(data["calibration"][0]), tuple(data["calibration"][1])),
    )


def percent(p: float) -> int:
    return int(min(100, max(0, round(float(p) * 100))))


def require_enough(histories: Sequence[ClosedHistory]) -> None:
    won = sum(1 for h in histories if h.won)
    lost = len(histories) - won
    if len(histories) < MIN_CLOSED or won < MIN_EACH or lost < MIN_EACH:
        raise FailedPrecondition(
            f"too little history to train: {len(histories)} closed ({won} won, {lost} lost); "
            f"at least {MIN_CLOSED} with {MIN_EACH} of each are needed, until then the stage default stands",
            [Violation("history", "closed opportunities", f"{len(histories)} closed, {won} won, {lost} lost")],
        )


def require_enough_to_split(train: Sequence[ClosedHistory]) -> None:
    """The older part of a split must still hold both outcomes at least twice (two folds)."""
    won = sum(1 for h in train if h.won)
    if won < 2 or len(train) - won < 2:
        raise FailedPrecondition(
            "the older closed opportunities hold too few of one outcome to train on",
            [
                Violation(
                    "history", "closed opportunities", f"{won} won, {len(train) - won} lost before the held-out part"
                )
            ],
        )


@dataclass(frozen=True)
class Rows:
    x_rows: tuple[Snapshot, ...]
    y: np.ndarray
    weight: np.ndarray
    groups: np.ndarray = field(default_factory=lambda: np.zeros(0))


def rows_of(histories: Sequence[ClosedHistory], as_of: datetime, half_life_days: int) -> Rows:
    xs: list[Snapshot] = []
    ys: list[int] = []
    ws: list[float] = []
    gs: list[int] = []
    for g, h in enumerate(histories):
        age_days = max(0.0, (as_of - h.closed_at).total_seconds() / 86400)
        w = 0.5 ** (age_days / half_life_days)
        for s in h.snapshots:
            xs.append(s)
            ys.append(1 if h.won else 0)
            ws.append(w)
            gs.append(g)
    return Rows(tuple(xs), np.array(ys, dtype=np.int64), np.array(ws), np.array(gs))


def group_folds(won: np.ndarray, groups: np.ndarray, folds: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Cross-validation splits of the rows with each opportunity's rows in one fold, the won and the
    lost opportunities dealt out in turn (stratified: every opportunity has one outcome). Vectorised:
    scikit-learn's StratifiedGroupKFold balances folds one group at a time in Python, 70 % of the
    training time at 20,000 opportunities."""
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(won), dtype=np.int64)
    for outcome in (False, True):
        members = rng.permutation(np.flatnonzero(won == outcome))
        fold_of[members] = np.arange(len(members)) % folds
    row_fold = fold_of[groups]
    return [(np.flatnonzero(row_fold != k), np.flatnonzero(row_fold == k)) for k in range(folds)]


def fit(histories: Sequence[ClosedHistory], as_of: datetime, half_life_days: int) -> ModelParams:
    """Naive Bayes + calibration map on `histories` (at least one won and one lost in
    MAX_FOLDS-ish groups). Folds keep an opportunity's snapshots together (group_folds): its other
    stages must not calibrate its own prediction."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.naive_bayes import CategoricalNB

    rows = rows_of(histories, as_of, half_life_days)
    vocab = []
    for j in range(len(FEATURES)):
        seen = sorted({r.features[j] for r in rows.x_rows} - {UNKNOWN})
        vocab.append((UNKNOWN, *seen))
    blank = ModelParams(tuple(vocab), (0.0, 0.0), (), "sigmoid", ((0.0,), (0.0,)))
    x = blank.encode(rows.x_rows)
    won = sum(1 for h in histories if h.won)
    folds = max(2, min(MAX_FOLDS, won, len(histories) - won))
    splits = group_folds(np.array([h.won for h in histories]), rows.groups, folds)
    method = "isotonic" if len(rows.y) >= ISOTONIC_MIN_ROWS else "sigmoid"
    nb = CategoricalNB(alpha=ALPHA, min_categories=[len(v) for v in vocab])
    model = CalibratedClassifierCV(nb, method=method, cv=splits, ensemble=False)
    model.fit(x, rows.y, sample_weight=rows.weight)
    fitted = model.calibrated_classifiers_[0]
    base, calibrator = fitted.estimator, fitted.calibrators[0]
    if method == "isotonic":
        cal = (tuple(float(v) for v in calibrator.X_thresholds_), tuple(float(v) for v in calibrator.y_thresholds_))
    else:
        cal = ((float(calibrator.a_),), (float(calibrator.b_),))
    return ModelParams(
        vocab=tuple(vocab),
        class_log_prior=(float(base.class_log_prior_[0]), float(base.class_log_prior_[1])),
        feature_log_prob=tuple(
            (tuple(float(v) for v in flp[0]), tuple(float(v) for v in flp[1])) for flp in base.feature_log_prob_
        ),
        method=method,
        calibration=cal,
    )
