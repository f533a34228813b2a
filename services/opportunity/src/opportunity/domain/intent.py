"""Intent signals and the high-intent rule (issue 17, seed 004). A tenant
names its signals, each a formula condition over one tagged activity (fields
类型, 标签, 动作, 来源, 内容; crm_shared.formula), and the high-intent rule: any
`min_signals` distinct signals (of `rule.signals`, or of all when empty)
within the last `window_days` days of the service clock (older signals, such
as an imported archive's, are history: recorded, never opening an episode).
The episode and its proposal countdown are intent_episode.py's; explicit
actions and the conversion report intent_actions.py's. Pure: facts are handed in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from crm_shared import roles
from crm_shared.domain.errors import Validator
from crm_shared.formula import CompiledFormula, FieldSpec, FormulaError, compile_formula

MAX_SIGNALS = 50
MAX_NAME = 50
MAX_CONDITION = 2_000
MAX_WINDOW_DAYS = 365
MAX_MIN_SIGNALS = MAX_SIGNALS
MAX_PROPOSAL_HOURS = 24 * 90
MAX_DOC_TYPES = 20
MAX_DOC_TYPE = 50
MAX_LISTED = 500
HIGH_INTENT_TAG = "高意向"  # the signal RecommendKnowledge is asked for besides the signal names

# Who edits the signals and rule; who reads them (every internal role; a partner is refused).
SETTINGS_READERS = roles.SIGNAL_SETTINGS_READERS
SETTINGS_EDITORS = roles.SIGNAL_CONFIGURERS
# Who reads a customer's intent / the high-intent list (scope decides which customers).
INTENT_READERS = roles.INTENT_READERS
# Who records an explicit intent action on a customer they may see.
ACTORS = roles.INTENT_ACTORS
REPORT_READERS = roles.INTENT_REPORT_READERS

# The fields a signal condition reads: one tagged activity.
CATALOGUE: Mapping[str, FieldSpec] = {
    "类型": FieldSpec("text"),
    "标签": FieldSpec("tags"),
    "动作": FieldSpec("text"),
    "来源": FieldSpec("text"),
    "内容": FieldSpec("text"),
}


@dataclass(frozen=True)
class Signal:
    name: str
    condition: str


@dataclass(frozen=True)
class HighIntentRule:
    min_signals: int
    window_days: int
    signals: tuple[str, ...] = ()  # the names that count; empty: every signal


@dataclass(frozen=True)
class IntentSettings:
    signals: tuple[Signal, ...]
    rule: HighIntentRule
    proposal_hours: int
    proposal_doc_types: tuple[str, ...]

    def counted(self) -> set[str]:
        return set(self.rule.signals) if self.rule.signals else {s.name for s in self.signals}


DEFAULT_SETTINGS = IntentSettings(
    signals=(
        Signal("索要产品对比表", 'CONTAINS(标签,"产品对比")'),
        Signal("预约技术演示", 'OR(类型="demo",动作="预约技术演示")'),
        Signal("询问付款账期", 'CONTAINS(标签,"付款方式")'),
    ),
    rule=HighIntentRule(min_signals=2, window_days=14),
    proposal_hours=48,
    proposal_doc_types=("技术方案", "报价单"),
)


@dataclass(frozen=True)
class TaggedActivity:
    """What a signal condition sees of one activity (from activity.tagged)."""

    activity_id: str
    customer_id: str
    opportunity_id: str
    kind: str
    occurred_at: datetime
    tags: Mapping[str, Sequence[str]]
    source: str = ""
    action: str = ""
    text: str = ""

    def row(self) -> dict[str, Any]:
        return {
            "类型": self.kind,
            "标签": list(self.tags),
            "动作": self.action,
            "来源": self.source,
            "内容": self.text,
        }


@dataclass(frozen=True)
class SignalHit:
    name: str
    activity_id: str
    occurred_at: datetime


@lru_cache(maxsize=1024)
def compiled_condition(condition: str) -> CompiledFormula:
    """A condition compiled once per text (the catalogue is fixed)."""
    return compile_formula(condition, CATALOGUE, result_types=("bool",))


def _text(v: Validator, raw: Mapping[str, Any], name: str, at: str, limit: int, required: bool = True) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str):
        v.add(at, "must be text")
        return ""
    value = value.strip()
    if required and not value:
        v.add(at, "is required")
    if len(value) > limit:
        v.add(at, f"is longer than {limit} characters")
    return value


def _int(v: Validator, raw: Mapping[str, Any], name: str, at: str, default: int, low: int, high: int) -> int:
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        v.add(at, "must be a whole number")
        return default
    if not low <= value <= high:
        v.add(at, f"must be between {low} and {high}")
        return default
    return value


def settings_from_data(data: Mapping[str, Any]) -> IntentSettings:
    """Validate settings as a client sends them (or as stored), naming every
    bad field; a condition that does not compile is refused with its line and
    column on `signals[i].condition`."""
    v = Validator()
    raw_signals = data.get("signals", [])
    if not isinstance(raw_signals, list):
        v.add("signals", "must be a list")
        raw_signals = []
    if len(raw_signals) > MAX_SIGNALS:
        v.add("signals", f"at most {MAX_SIGNALS} signals")
        raw_signals = raw_signals[:MAX_SIGNALS]
    signals: list[Signal] = []
    for i, raw in enumerate(raw_signals):
        at = f"signals[{i}]"
        if not isinstance(raw, Mapping):
            v.add(at, "must be an object {name, condition}")
            continue
        name = _text(v, raw, "name", f"{at}.name", MAX_NAME)
        condition = _text(v, raw, "condition", f"{at}.condition", MAX_CONDITION)
        if name and name in {s.name for s in signals}:
            v.add(f"{at}.name", f"{name} is named twice")
        if condition and len(condition) <= MAX_CONDITION:
            try:
                compiled_condition(condition)
            except FormulaError as e:
                v.add(f"{at}.condition", f"line {e.line}, column {e.column}: {e.reason}")
        signals.append(Signal(name, condition))
    raw_rule = data.get("rule", {})
    if not isinstance(raw_rule, Mapping):
        v.add("rule", "must be an object {min_signals, window_days, signals}")
        raw_rule = {}
    min_signals = _int(v, raw_rule, "min_signals", "rule.min_signals", 2, 1, MAX_MIN_SIGNALS)
    window_days = _int(v, raw_rule, "window_days", "rule.window_days", 14, 1, MAX_WINDOW_DAYS)
    counted = raw_rule.get("signals", [])
    if not isinstance(counted, list) or not all(isinstance(n, str) for n in counted):
        v.add("rule.signals", "must be a list of signal names")
        counted = []
    names = {s.name for s in signals}
    for j, n in enumerate(counted):
        if n not in names:
            v.add(f"rule.signals[{j}]", f"{n} is not one of the signals")
    pool = len(set(counted)) if counted else len(names)
    if pool and min_signals > pool:
        v.add("rule.min_signals", f"is more than the {pool} signals the rule counts")
    hours = _int(v, data, "proposal_hours", "proposal_hours", 48, 1, MAX_PROPOSAL_HOURS)
    doc_types = data.get("proposal_doc_types", [])
    if not isinstance(doc_types, list) or not all(isinstance(t, str) and t.strip() for t in doc_types):
        v.add("proposal_doc_types", "must be a list of document types")
        doc_types = []
    if len(doc_types) > MAX_DOC_TYPES or any(len(t) > MAX_DOC_TYPE for t in doc_types):
        v.add("proposal_doc_types", f"at most {MAX_DOC_TYPES} types of at most {MAX_DOC_TYPE} characters")
    v.check()
    return IntentSettings(
        signals=tuple(signals),
        rule=HighIntentRule(min_signals, window_days, tuple(dict.fromkeys(counted))),
        proposal_hours=hours,
        proposal_doc_types=tuple(dict.fromkeys(t.strip() for t in doc_types)),
    )


def settings_data(settings: IntentSettings) -> dict[str, Any]:
    return {
        "signals": [{"name": s.name, "condition": s.condition} for s in settings.signals],
        "rule": {
            "min_signals": settings.rule.min_signals,
            "window_days": settings.rule.window_days,
            "signals": list(settings.rule.signals),
        },
        "proposal_hours": settings.proposal_hours,
        "proposal_doc_types": list(settings.proposal_doc_types),
    }


def signals_of(settings: IntentSettings, activity: TaggedActivity) -> list[SignalHit]:
    """The signals whose condition holds for the activity (a condition that
    errs for it does not hold)."""
    row = activity.row()
    hits: list[SignalHit] = []
    for signal in settings.signals:
        if compiled_condition(signal.condition).evaluate(row) is True:
            hits.append(SignalHit(signal.name, activity.activity_id, activity.occurred_at))
    return hits


def window_start(settings: IntentSettings, now: datetime) -> datetime:
    """The earliest time a hit may have happened and still open an episode now."""
    return now - timedelta(days=settings.rule.window_days)


def is_history(settings: IntentSettings, at: datetime, now: datetime) -> bool:
    """An activity that happened before window_start(now): its signals are
    recorded but it cannot open an episode (nor complete one with newer hits)."""
    return at < window_start(settings, now)


def high_intent_reached(
    hits: Iterable[SignalHit], settings: IntentSettings, *, now: datetime
) -> list[SignalHit] | None:
    """The earliest window of `window_days` in which `min_signals` distinct
    counted signals occurred (the first hit of each name in it), or None. The
    window is closed: hits exactly window_days apart count together. Only hits
    since window_start(now) count: an imported archive keeps its messages'
    own times, and signals a year old say nothing about the customer today
    (they stay recorded, they just cannot open an episode)."""
    rule = settings.rule
    counted = settings.counted()
    since = window_start(settings, now)
    ordered = sorted(
        (h for h in hits if h.name in counted and h.occurred_at >= since), key=lambda h: (h.occurred_at, h.name)
    )
    span = timedelta(days=rule.window_days)
    start = 0
    for end, hit in enumerate(ordered):
        while ordered[start].occurred_at < hit.occurred_at - span:
            start += 1
        first: dict[str, SignalHit] = {}
        for h in ordered[start : end + 1]:
            first.setdefault(h.name, h)
        if len(first) >= rule.min_signals:
            return list(first.values())
    return None
