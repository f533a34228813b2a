"""客户接触深度指数 (CDI, seed 001): per customer three factors, each 0..1 with
its evidence, and their weighted sum × 100.

- coverage: distinct kinds of the tenant's touch kinds (call, visit, demo) in
  the last `touch_window_days`; full at `touch_min_kinds`.
- needs: share of the tenant's required tags (tagging settings) found in the
  customer's analysed activities, each with the newest activity showing it.
- closure: of the follow-ups planned (an activity's next_follow_up_at) that
  came due within `lookback_days`, the share met on time. A plan is met by the
  first contact (CONTACT_KINDS) after the activity that planned it: on time at
  or before its due time, late within `grace_hours`, red after that — or red
  while still open `grace_hours` past due.

A factor with nothing to measure (no required tags, no plan came due) is not
applicable: the CDI is the weighted mean of the applicable factors, so a
customer is not rewarded or punished for plans never made. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from crm_shared import roles
from crm_shared.domain.errors import Validator

from opportunity.domain.activity import CONTACT_KINDS, KINDS

READERS = roles.CDI_READERS
SETTINGS_READERS = roles.CDI_READERS
SETTINGS_EDITORS = roles.CDI_CONFIGURERS
# How far before the lookback a plan may have been made (plans are read from activities this far back).
PLAN_HORIZON = timedelta(days=30)
MAX_EVIDENCE_PLANS = 50
MAX_WINDOW_DAYS = 90
MAX_LOOKBACK_DAYS = 365
MAX_GRACE_HOURS = 24 * 14
FACTORS = ("coverage", "needs", "closure")


@dataclass(frozen=True)
class CdiSettings:
    touch_kinds: tuple[str, ...] = ("call", "visit", "demo")
    touch_window_days: int = 7
    touch_min_kinds: int = 2
    grace_hours: int = 24
    lookback_days: int = 90
    weights: tuple[float, float, float] = (1.0, 1.0, 1.0)  # coverage, needs, closure; normalised by their sum

    def to_data(self) -> dict[str, Any]:
        return {
            "touch_kinds": list(self.touch_kinds),
            "touch_window_days": self.touch_window_days,
            "touch_min_kinds": self.touch_min_kinds,
            "grace_hours": self.grace_hours,
            "lookback_days": self.lookback_days,
            "weights": dict(zip(FACTORS, self.weights, strict=True)),
        }


DEFAULT_SETTINGS = CdiSettings()


def _whole(v: Validator, data: Mapping[str, Any], name: str, low: int, high: int, default: int) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        v.add(name, "must be a whole number")
        return default
    if not low <= value <= high:
        v.add(name, f"must be between {low} and {high}")
    return value


def settings_from_data(data: Mapping[str, Any]) -> CdiSettings:
    """Validated (InvalidArgument naming each bad field); absent fields take the defaults."""
    d = DEFAULT_SETTINGS
    v = Validator()
    kinds = data.get("touch_kinds", list(d.touch_kinds))
    if not isinstance(kinds, list) or not kinds or len(kinds) > len(KINDS):
        v.add("touch_kinds", "must be a non-empty list of activity kinds")
        kinds = list(d.touch_kinds)
    for kind in kinds:
        if kind not in CONTACT_KINDS:
            v.add("touch_kinds", f"{kind!r} is not a contact kind ({', '.join(CONTACT_KINDS)})")
    window = _whole(v, data, "touch_window_days", 1, MAX_WINDOW_DAYS, d.touch_window_days)
    min_kinds = _whole(v, data, "touch_min_kinds", 1, len(CONTACT_KINDS), d.touch_min_kinds)
    if isinstance(kinds, list) and min_kinds > len(set(kinds)):
        v.add("touch_min_kinds", "is more than the number of touch kinds")
    grace = _whole(v, data, "grace_hours", 0, MAX_GRACE_HOURS, d.grace_hours)
    lookback = _whole(v, data, "lookback_days", 1, MAX_LOOKBACK_DAYS, d.lookback_days)
    raw = data.get("weights", dict(zip(FACTORS, d.weights, strict=True)))
    weights = list(d.weights)
    if not isinstance(raw, Mapping) or set(raw) - set(FACTORS):
        v.add("weights", f"must be an object with {', '.join(FACTORS)}")
    else:
        for i, name in enumerate(FACTORS):
            w = raw.get(name, d.weights[i])
            if isinstance(w, bool) or not isinstance(w, int | float) or not 0 <= w <= 100:
                v.add(f"weights.{name}", "must be a number between 0 and 100")
            else:
                weights[i] = float(w)
        if sum(weights) <= 0:
            v.add("weights", "at least one weight must be above 0")
    v.check()
    return CdiSettings(tuple(dict.fromkeys(kinds)), window, min_kinds, grace, lookback, tuple(weights))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Entry:
    """What the index reads of one activity of the customer's log."""

    activity_id: str
    kind: str
    occurred_at: datetime
    next_follow_up_at: datetime | None = None
    state: str = "submitted"
    relation: str = ""
    refers_to: str | None = None
    follow_up_rejected: bool = False  # its next_follow_up_at failed the visit's evidence check


@dataclass(frozen=True)
class Touch:
    activity_id: str
    kind: str
    occurred_at: datetime


@dataclass(frozen=True)
class TagFound:
    tag: str
    activity_id: str  # "" when not found
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    activity_id: str  # the activity that planned it
    due_at: datetime
    state: str  # on_time | late | red | overdue (open, within grace) | pending (not yet due)
    met_by: str = ""
    met_at: datetime | None = None


@dataclass(frozen=True)
class Cdi:
    cdi: float  # 0..100, one decimal
    coverage: float | None
    needs: float | None
    closure: float | None
    red: bool
    touches: tuple[Touch, ...] = ()
    tags: tuple[TagFound, ...] = ()
    plans: tuple[Plan, ...] = ()
    plans_due: int = 0
    plans_on_time: int = 0
    last_contact_at: datetime | None = None
    # When time alone next changes the result (a touch leaves the window, a plan comes due or turns red).
    next_due_at: datetime | None = None
    factors: tuple[str, ...] = field(default=FACTORS)


def standing(entries: Iterable[Entry]) -> list[Entry]:
    """The submitted entries still standing (one a later entry corrects is replaced by it), oldest first."""
    kept = [e for e in entries if e.state == "submitted"]
    corrected = {e.refers_to for e in kept if e.relation == "corrects" and e.refers_to}
    return sorted((e for e in kept if e.activity_id not in corrected), key=lambda e: (e.occurred_at, e.activity_id))


def coverage(entries: Sequence[Entry], s: CdiSettings, now: datetime) -> tuple[float, tuple[Touch, ...]]:
    since = now - timedelta(days=s.touch_window_days)
    touches = tuple(
        Touch(e.activity_id, e.kind, e.occurred_at)
        for e in entries
        if e.kind in s.touch_kinds and since < e.occurred_at <= now
    )
    distinct = len({t.kind for t in touches})
    return min(1.0, distinct / s.touch_min_kinds), touches


def needs(required: Sequence[str], tagged: Sequence[tuple[str, datetime, Mapping[str, Sequence[str]]]]):  # type: ignore[no-untyped-def]
    """`tagged`: (activity_id, occurred_at, tags → words) of the customer's analyses.
    Each required tag with the newest activity that showed it."""
    newest_first = sorted(tagged, key=lambda t: (t[1], t[0]), reverse=True)
    found = []
    for tag in required:
        hit = next(((a, tuple(tags[tag])) for a, _, tags in newest_first if tags.get(tag)), None)
        found.append(TagFound(tag, hit[0], hit[1]) if hit else TagFound(tag, ""))
    share = sum(1 for f in found if f.activity_id) / len(found) if found else None
    return share, tuple(found)


def plans(entries: Sequence[Entry], s: CdiSettings, now: datetime) -> list[Plan]:
    """Every plan of the entries with its state (oldest first)."""
    grace = timedelta(hours=s.grace_hours)
    contacts = [e for e in entries if e.kind in CONTACT_KINDS]
    out = []
    for e in entries:
        if e.next_follow_up_at is None or e.follow_up_rejected:
            continue
        due = e.next_follow_up_at
        meet = next((c for c in contacts if c.occurred_at > e.occurred_at and c.activity_id != e.activity_id), None)
        if meet is not None and meet.occurred_at <= now:
            late = meet.occurred_at - due
            state = "on_time" if late <= timedelta(0) else "late" if late <= grace else "red"
            out.append(Plan(e.activity_id, due, state, meet.activity_id, meet.occurred_at))
        else:
            state = "pending" if now < due else "overdue" if now <= due + grace else "red"
            out.append(Plan(e.activity_id, due, state))
    return out


def compute(
    entries: Iterable[Entry],
    tagged: Sequence[tuple[str, datetime, Mapping[str, Sequence[str]]]],
    required_tags: Sequence[str],
    s: CdiSettings,
    now: datetime,
) -> Cdi:
    standing_entries = standing(entries)
    cov, touches = coverage(standing_entries, s, now)
    need, tags = needs(required_tags, tagged)
    since = now - timedelta(days=s.lookback_days)
    every = plans(standing_entries, s, now)
    counted = [p for p in every if since <= p.due_at <= now]
    on_time = sum(1 for p in counted if p.state == "on_time")
    closure = on_time / len(counted) if counted else None
    values = (cov, need, closure)
    applicable = [(w, f) for w, f in zip(s.weights, values, strict=True) if f is not None and w > 0]
    total_w = sum(w for w, _ in applicable)
    cdi = round(sum(w * f for w, f in applicable) / total_w * 100, 1) if total_w else 0.0
    shown = [p for p in every if p.due_at >= since]
    contacts = [e.occurred_at for e in standing_entries if e.kind in CONTACT_KINDS and e.occurred_at <= now]
    return Cdi(
        cdi=cdi,
        coverage=cov,
        needs=need,
        closure=closure,
        red=any(p.state == "red" for p in counted),
        touches=touches,
        tags=tags,
        plans=tuple(shown[-MAX_EVIDENCE_PLANS:]),
        plans_due=len(counted),
        plans_on_time=on_time,
        last_contact_at=max(contacts) if contacts else None,
        next_due_at=next_change(touches, every, s, now),
    )


def next_change(touches: Sequence[Touch], every: Sequence[Plan], s: CdiSettings, now: datetime) -> datetime | None:
    """The earliest moment after `now` at which time alone changes the index."""
    grace = timedelta(hours=s.grace_hours)
    moments = [t.occurred_at + timedelta(days=s.touch_window_days) for t in touches]
    for p in every:
        moments.append(p.due_at + timedelta(days=s.lookback_days))  # leaves the lookback
        if p.state in ("pending", "overdue"):
            moments += [p.due_at, p.due_at + grace]
    later = [m for m in moments if m > now]
    return min(later) if later else None


def read_since(s: CdiSettings, now: datetime) -> datetime:
    """How far back a recompute reads the log: the plans that can still count and the touch window."""
    return now - max(timedelta(days=s.lookback_days) + PLAN_HORIZON, timedelta(days=s.touch_window_days))
