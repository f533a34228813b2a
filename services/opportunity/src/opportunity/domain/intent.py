"""Intent signals and high intent (issue 17, seed 004). A tenant names its
signals, each a formula condition over one tagged activity (fields 类型, 标签,
动作, 来源, 内容; crm_shared.formula), and the high-intent rule: any
`min_signals` distinct signals (of `rule.signals`, or of all when empty)
within the last `window_days` days of the service clock (older signals, such
as an imported archive's, are history: recorded, never opening an episode). High intent marks the customer and its open
opportunity and starts the proposal countdown (`proposal_hours`, 48 h by
default): a document version of one of `proposal_doc_types` on the
opportunity before the deadline meets it, else it becomes overdue and the
rep is reminded (manager copied). Pure: facts are handed in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from crm_shared import roles
from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.formula import CompiledFormula, FieldSpec, FormulaError, compile_formula

MAX_SIGNALS = 50
MAX_NAME = 50
MAX_CONDITION = 2_000
MAX_WINDOW_DAYS = 365
MAX_MIN_SIGNALS = MAX_SIGNALS
MAX_PROPOSAL_HOURS = 24 * 90
MAX_DOC_TYPES = 20
MAX_DOC_TYPE = 50
MAX_ACTION = 50
MAX_NOTE = 2_000
MAX_LISTED = 500
HIGH_INTENT_TAG = "高意向"  # the signal RecommendKnowledge is asked for besides the signal names
COUNTDOWN_STATES = ("running", "met", "overdue")
# How long a new episode's notification waits for the knowledge base to answer before it goes without the pack.
TOOL_PACK_PATIENCE = timedelta(minutes=10)
DEMO_ACTIONS = ("预约技术演示", "技术演示")  # an explicit action of this name is an activity of kind "demo"

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


@dataclass(frozen=True)
class ToolEntry:
    """A knowledge base entry of the tool pack (RecommendKnowledge's)."""

    document_id: str
    title: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class HighIntent:
    """One high-intent episode of a customer (and its open opportunity, if one)."""

    tenant_id: str
    customer_id: str
    opportunity_id: str  # empty when the customer had no single open opportunity
    owner_id: str
    entered_at: datetime
    signals: tuple[SignalHit, ...]
    proposal_due_at: datetime
    proposal_state: str = "running"
    proposal_at: datetime | None = None
    reminded_at: datetime | None = None
    intent_id: str = ""
    tool_pack: tuple[ToolEntry, ...] = ()
    # When the rep was sent the tool pack; None: still to send (the sweep's, after the episode's commit).
    notified_at: datetime | None = None


def entered(
    *,
    tenant_id: str,
    customer_id: str,
    opportunity_id: str,
    owner_id: str,
    hits: Sequence[SignalHit],
    settings: IntentSettings,
    now: datetime,
    intent_id: str = "",
) -> HighIntent:
    """The episode starts when the rule was reached (the last of its hits, or
    now if that lies in the future), the countdown from then."""
    at = min(max(h.occurred_at for h in hits), now)
    return HighIntent(
        tenant_id=tenant_id,
        customer_id=customer_id,
        opportunity_id=opportunity_id,
        owner_id=owner_id,
        entered_at=at,
        signals=tuple(hits),
        proposal_due_at=at + timedelta(hours=settings.proposal_hours),
        intent_id=intent_id,
    )


def proposal_uploaded(intent: HighIntent, doc_type: str, at: datetime, settings: IntentSettings) -> HighIntent:
    """A document version of a proposal type on the opportunity: the countdown
    is met when it came before the deadline (a late one leaves it overdue)."""
    if doc_type not in settings.proposal_doc_types or intent.proposal_state != "running":
        return intent
    if at > intent.proposal_due_at:
        return intent
    return replace(intent, proposal_state="met", proposal_at=at)


def tool_pack_sent(intent: HighIntent, pack: Sequence[ToolEntry], now: datetime) -> HighIntent:
    return replace(intent, tool_pack=tuple(pack), notified_at=now)


def send_without_pack(intent: HighIntent, now: datetime) -> bool:
    """The knowledge base could not be asked: the rep is told without the pack
    once the episode has waited TOOL_PACK_PATIENCE for it (an episode entered
    on a backdated activity waits no longer)."""
    return now - intent.entered_at >= TOOL_PACK_PATIENCE


def is_overdue(intent: HighIntent, now: datetime) -> bool:
    return intent.proposal_state == "running" and now > intent.proposal_due_at


def reminded(intent: HighIntent, now: datetime) -> HighIntent:
    return replace(intent, proposal_state="overdue", reminded_at=now)


def countdown_state(intent: HighIntent, now: datetime) -> str:
    """As shown: a running countdown past its deadline shows overdue even
    before the sweep reminded anyone."""
    return "overdue" if is_overdue(intent, now) else intent.proposal_state


def reminder_task_key(intent: HighIntent) -> str:
    """The reminder task's key: one per episode, so a rerun never doubles."""
    return f"intent-proposal:{intent.customer_id}:{intent.opportunity_id}:{intent.entered_at.isoformat()}"


def activity_kind_of_action(action: str) -> str:
    return "demo" if action in DEMO_ACTIONS else "note"


def check_action(action: Any, note: Any) -> tuple[str, str]:
    v = Validator()
    if not isinstance(action, str) or not action.strip():
        v.add("action", "is required")
        action = ""
    elif len(action.strip()) > MAX_ACTION:
        v.add("action", f"is longer than {MAX_ACTION} characters")
    if note is None:
        note = ""
    if not isinstance(note, str):
        v.add("note", "must be text")
        note = ""
    elif len(note) > MAX_NOTE:
        v.add("note", f"is longer than {MAX_NOTE} characters")
    v.check()
    return action.strip(), note


@dataclass(frozen=True)
class ConversionRow:
    key: str
    entered: int
    won: int

    @property
    def rate(self) -> float:
        return round(self.won / self.entered, 4) if self.entered else 0.0


def conversion(episodes: Iterable[tuple[str, bool]]) -> tuple[list[ConversionRow], ConversionRow]:
    """Per key (a rep or a team): of the episodes entered, how many were won."""
    counts: dict[str, list[int]] = {}
    for key, won in episodes:
        c = counts.setdefault(key, [0, 0])
        c[0] += 1
        c[1] += 1 if won else 0
    rows = [ConversionRow(k, e, w) for k, (e, w) in sorted(counts.items())]
    return rows, ConversionRow("total", sum(r.entered for r in rows), sum(r.won for r in rows))


def check_period(start: datetime | None, end: datetime | None) -> None:
    if start and end and end <= start:
        raise InvalidArgument.field("to", "must be after from")


def tool_pack_notice(intent: HighIntent, customer_name: str) -> tuple[str, str]:
    """The title and body of the notification the rep gets on entering high intent."""
    names = "、".join(h.name for h in intent.signals)
    lines = [f"{customer_name} 进入高意向（{names}），请在 {intent.proposal_due_at:%Y-%m-%d %H:%M} UTC 前提交方案。"]
    if intent.tool_pack:
        lines.append("工具包：")
        lines.extend(f"- {e.title} /v1/documents/{e.document_id}" for e in intent.tool_pack)
    return f"高意向：{customer_name}", "\n".join(lines)


def overdue_notice(intent: HighIntent, customer_name: str) -> tuple[str, str]:
    return (
        f"方案超时：{customer_name}",
        f"{customer_name} 高意向后 {intent.proposal_due_at:%Y-%m-%d %H:%M} UTC 前未提交方案（技术方案/报价单）。",
    )
