"""过程健康度指数 (PHI, seed 004) of a rep over a period: three indicators,
each with its value, threshold and healthy flag, and a composite.

- 关键动作饱和度: for every stay of the rep's opportunities in a stage with a
  playbook that overlaps the period, the playbook's kinds are recommended and
  each one logged on that opportunity during the stay is done; done ÷
  recommended, healthy ≥ the tenant's minimum (85 %).
- 信息新鲜度: over the rep's customers, the master fields (MASTER_FIELDS)
  updated within the last `freshness_days` before the period's end (or now)
  ÷ all master fields; healthy ≥ 60 %.
- 协同响应比: the average hours of the cross-department tasks finished in
  the period (approvals on the rep's opportunities: requested → decided; ECN
  confirmation tasks: created → completed) ÷ the tenant's baseline hours;
  healthy ≤ 1.2.
- Composite: the weighted share of the indicators that have a value and are
  healthy (weights tenant data), in basis points.
Values are basis points (1 % = 100 bp, ratio 1.2 = 12 000 bp), exact integers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from crm_shared import roles
from crm_shared.domain.errors import Validator

KEY_ACTIONS = "key_actions"
FRESHNESS = "freshness"
COLLABORATION = "collaboration"
INDICATORS = (KEY_ACTIONS, FRESHNESS, COLLABORATION)
# The customer master a rep keeps (fields of domain/customer.CustomerFields, location as one,
# and the customer's contacts as one).
MASTER_FIELDS = (
    "name",
    "credit_code",
    "phone",
    "location",
    "industry",
    "size_tier",
    "cooperation_stage",
    "value_tier",
    "tags",
    "contacts",
)
# PHI, KPI and profiles are a rep's process measures: the sales side only (finance, reviewers, partners refused).
READERS = (roles.REP, roles.MANAGER, roles.ADMIN)
SETTINGS_READERS = READERS
SETTINGS_EDITORS = (roles.ADMIN,)
BP = 10_000


@dataclass(frozen=True)
class PhiSettings:
    key_actions_min_bp: int = 8_500
    freshness_min_bp: int = 6_000
    collaboration_max_bp: int = 12_000
    collaboration_baseline_hours: int = 24
    freshness_days: int = 7
    # 关键动作饱和度 below this two months in a row is flagged (seed 004: "连续两月低于70%").
    key_actions_warn_bp: int = 7_000
    weights: Mapping[str, int] = field(default_factory=lambda: dict.fromkeys(INDICATORS, 1))
    # KPI views: visits a rep is expected to make per month, and the seconds a call must last to count.
    monthly_visit_target: int = 20
    effective_call_seconds: int = 60


DEFAULT_SETTINGS = PhiSettings()


def settings_from_data(data: Mapping[str, Any]) -> PhiSettings:
    """Validated, naming every bad field (400)."""
    v = Validator()
    base = asdict(DEFAULT_SETTINGS)
    out: dict[str, Any] = {}
    bounds = {
        "key_actions_min_bp": (0, BP),
        "freshness_min_bp": (0, BP),
        "collaboration_max_bp": (1, 100 * BP),
        "collaboration_baseline_hours": (1, 24 * 90),
        "freshness_days": (1, 90),
        "key_actions_warn_bp": (0, BP),
        "monthly_visit_target": (1, 1_000),
        "effective_call_seconds": (1, 3_600),
    }
    for name, (low, high) in bounds.items():
        value = data.get(name, base[name])
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            v.add(name, f"must be a whole number between {low} and {high}")
            value = base[name]
        out[name] = value
    weights = data.get("weights") or base["weights"]
    clean: dict[str, int] = {}
    for k, w in dict(weights).items():
        if k not in INDICATORS:
            v.add("weights", f"{k!r} is not one of {', '.join(INDICATORS)}")
        elif not isinstance(w, int) or isinstance(w, bool) or not 0 <= w <= 100:
            v.add(f"weights.{k}", "must be a whole number between 0 and 100")
        else:
            clean[k] = w
    if not any(clean.get(k, 0) for k in INDICATORS):
        v.add("weights", "at least one indicator must weigh more than 0")
    v.check()
    out["weights"] = {k: clean.get(k, 0) for k in INDICATORS}
    return PhiSettings(**out)


def settings_data(s: PhiSettings) -> dict[str, Any]:
    return asdict(s) | {"weights": dict(s.weights)}


# --- facts ------------------------------------------------------------------------


@dataclass(frozen=True)
class StayFact:
    opportunity_id: str
    stage: str
    entered_at: datetime
    left_at: datetime | None
    playbook: tuple[str, ...]


@dataclass(frozen=True)
class ActionFact:
    opportunity_id: str
    kind: str
    occurred_at: datetime


@dataclass(frozen=True)
class CollabTask:
    kind: str  # approval | ecn_confirmation
    task_id: str
    started_at: datetime
    finished_at: datetime


@dataclass(frozen=True)
class Indicator:
    name: str
    value_bp: int | None  # None: nothing to count (no recommended action, no customer, no task)
    threshold_bp: int
    healthy: bool
    numerator: int
    denominator: int
    evidence: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Phi:
    rep_id: str
    period: str
    indicators: tuple[Indicator, ...]
    composite_bp: int | None


def _ratio_bp(num: int, den: int) -> int | None:
    return None if den <= 0 else num * BP // den


def freshness_window(s: PhiSettings) -> timedelta:
    return timedelta(days=s.freshness_days)


def key_action_saturation(
    stays: Iterable[StayFact], actions: Iterable[ActionFact], start: datetime, end: datetime, s: PhiSettings
) -> Indicator:
    by_opp: dict[str, list[ActionFact]] = {}
    for a in actions:
        by_opp.setdefault(a.opportunity_id, []).append(a)
    done = recommended = 0
    evidence = []
    for stay in stays:
        left = stay.left_at or end
        if not stay.playbook or stay.entered_at >= end or left <= start:
            continue
        logged = {a.kind for a in by_opp.get(stay.opportunity_id, ()) if stay.entered_at <= a.occurred_at < left}
        hit = [k for k in stay.playbook if k in logged]
        recommended += len(stay.playbook)
        done += len(hit)
        evidence.append(
            {
                "opportunity_id": stay.opportunity_id,
                "stage": stay.stage,
                "recommended": list(stay.playbook),
                "done": hit,
            }
        )
    value = _ratio_bp(done, recommended)
    healthy = value is not None and value >= s.key_actions_min_bp
    return Indicator(KEY_ACTIONS, value, s.key_actions_min_bp, healthy, done, recommended, tuple(evidence))


def information_freshness(
    customer_ids: Sequence[str],
    updates: Iterable[tuple[str, str, datetime]],
    as_of: datetime,
    s: PhiSettings,
) -> Indicator:
    """updates: (customer_id, field, updated_at), the latest per field is enough."""
    since = as_of - timedelta(days=s.freshness_days)
    mine = set(customer_ids)
    fresh: dict[str, set[str]] = {}
    for customer_id, name, at in updates:
        if customer_id in mine and name in MASTER_FIELDS and since < at <= as_of:
            fresh.setdefault(customer_id, set()).add(name)
    total = len(mine) * len(MASTER_FIELDS)
    count = sum(len(f) for f in fresh.values())
    value = _ratio_bp(count, total)
    healthy = value is not None and value >= s.freshness_min_bp
    evidence = tuple({"customer_id": c, "fields": sorted(f)} for c, f in sorted(fresh.items()))
    return Indicator(FRESHNESS, value, s.freshness_min_bp, healthy, count, total, evidence)


def collaboration_ratio(tasks: Iterable[CollabTask], start: datetime, end: datetime, s: PhiSettings) -> Indicator:
    done = [t for t in tasks if start <= t.finished_at < end and t.finished_at >= t.started_at]
    seconds = sum(int((t.finished_at - t.started_at).total_seconds()) for t in done)
    # average seconds ÷ baseline seconds, in bp: seconds × BP ÷ (count × baseline).
    value = _ratio_bp(seconds, len(done) * s.collaboration_baseline_hours * 3600) if done else None
    healthy = value is not None and value <= s.collaboration_max_bp
    evidence = tuple(
        {"kind": t.kind, "task_id": t.task_id, "hours": round((t.finished_at - t.started_at).total_seconds() / 3600, 2)}
        for t in done
    )
    return Indicator(COLLABORATION, value, s.collaboration_max_bp, healthy, seconds, len(done), evidence)


def composite(indicators: Sequence[Indicator], s: PhiSettings) -> int | None:
    """Weighted share of the indicators with a value that are healthy (bp); None when none has a value."""
    counted = [i for i in indicators if i.value_bp is not None and s.weights.get(i.name, 0) > 0]
    total = sum(s.weights[i.name] for i in counted)
    if not total:
        return None
    return sum(s.weights[i.name] for i in counted if i.healthy) * BP // total


def phi_of(rep_id: str, period: str, indicators: Sequence[Indicator], s: PhiSettings) -> Phi:
    return Phi(rep_id, period, tuple(indicators), composite(indicators, s))


def team_average(rows: Sequence[Phi]) -> dict[str, int | None]:
    """Per indicator and the composite, the mean over the reps with a value (bp, floored)."""
    out: dict[str, int | None] = {}
    for name in (*INDICATORS, "composite"):
        values = [
            (r.composite_bp if name == "composite" else next(i.value_bp for i in r.indicators if i.name == name))
            for r in rows
        ]
        present = [v for v in values if v is not None]
        out[name] = sum(present) // len(present) if present else None
    return out


def saturation_warning(this_month_bp: int | None, last_month_bp: int | None, s: PhiSettings) -> bool:
    """关键动作饱和度 below the warning line this month and the month before."""
    return all(v is not None and v < s.key_actions_warn_bp for v in (this_month_bp, last_month_bp))


_LOCATION = ("province", "city", "district", "address", "latitude", "longitude")


def changed_fields(before: Any | None, after: Any) -> tuple[str, ...]:
    """The master fields a customer write changed (every filled one when it is new): what
    信息新鲜度 counts as updated. Customers are domain/customer.Customer."""

    def value(c: Any, name: str) -> Any:
        return tuple(getattr(c, f) for f in _LOCATION) if name == "location" else getattr(c, name)

    found = []
    for name in MASTER_FIELDS:
        if name == "contacts":
            continue
        now = value(after, name)
        if before is None:
            if now not in (None, "", [], (), ("", "", "", "", None, None)):
                found.append(name)
        elif value(before, name) != now:
            found.append(name)
    return tuple(found)
