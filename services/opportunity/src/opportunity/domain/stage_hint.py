"""Stage hints from tags: a tenant's rules say which tag suggests which
stage (报价 → 报价谈判, 样品 → 样件制作 by default, seed 003). A tagged
activity on an open opportunity suggests a stage of that opportunity's
pipeline that lies ahead of where it is; the hint is shown, and applied
only through the stage's gates (the move is stage_moves' — a hint never
moves backwards and never skips a gate). An activity older than the
tenant's `max_age_days` (14 by default) suggests nothing: an imported
archive keeps its messages' own times, and a 报价 said a year ago says
nothing about where the deal stands today. Pure: the opportunity, its
pipeline, the tags and the times are handed in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from crm_shared import roles
from crm_shared.domain.errors import FailedPrecondition, Validator, Violation

from opportunity.domain.opportunity import Opportunity
from opportunity.domain.pipeline import Pipeline

MAX_RULES = 100
MAX_TAG = 50
MAX_STAGE = 50
MAX_WORDS = 20  # words kept per hint (the evidence shown)
MAX_WORD = 50
MAX_HINTS_LISTED = 200  # of one opportunity, newest first
DEFAULT_MAX_AGE_DAYS = 14  # an activity older than this (by the service clock) suggests no stage
MAX_AGE_DAYS = 365
STATES = ("shown", "applied", "refused", "dismissed")
OPEN_STATES = ("shown", "refused")  # still waiting for someone's decision
# The kinds of violation a stage's gate names (domain/pipeline.unmet).
GATE_KINDS = frozenset({"field", "document", "approval"})
AUTO_MOVE_BATCH = 100  # hints the system tries to apply in one sweep
# Who edits the rules (managers, admins) and who reads them (every internal role).
SETTINGS_READERS = roles.SIGNAL_SETTINGS_READERS
SETTINGS_EDITORS = roles.SIGNAL_CONFIGURERS
# Who may read an opportunity's hints (its scope decides which opportunities).
HINT_READERS = roles.PIPELINE_READERS


@dataclass(frozen=True)
class HintRule:
    tag: str
    stage: str
    pipeline_id: str = ""  # empty: every pipeline that has the stage


@dataclass(frozen=True)
class StageHintSettings:
    auto_move: bool
    rules: tuple[HintRule, ...]
    max_age_days: int = DEFAULT_MAX_AGE_DAYS


DEFAULT_SETTINGS = StageHintSettings(
    auto_move=False, rules=(HintRule("报价", "报价谈判"), HintRule("样品", "样件制作"))
)


@dataclass(frozen=True)
class Unmet:
    gate: str  # e.g. "document:报价单"
    description: str


@dataclass(frozen=True)
class StageHint:
    hint_id: str
    tenant_id: str
    opportunity_id: str
    customer_id: str
    activity_id: str
    tag: str
    suggested_stage: str
    words: tuple[str, ...]
    state: str
    unmet: tuple[Unmet, ...]
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str = ""
    # The tenant's auto_move was on when the hint was made: the system's move
    # is still to be tried (service_layer/stage_hints.py: auto_move_pending).
    auto_pending: bool = False


@dataclass(frozen=True)
class Suggestion:
    tag: str
    stage: str
    words: tuple[str, ...]


def settings_from_data(data: Mapping[str, Any]) -> StageHintSettings:
    """Validate settings as a client sends them (or as stored), naming every bad field."""
    v = Validator()
    auto_move = data.get("auto_move", False)
    if not isinstance(auto_move, bool):
        v.add("auto_move", "must be true or false")
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        v.add("rules", "must be a list")
        raw_rules = []
    if len(raw_rules) > MAX_RULES:
        v.add("rules", f"at most {MAX_RULES} rules")
        raw_rules = raw_rules[:MAX_RULES]
    found: list[HintRule] = []
    seen: set[tuple[str, str]] = set()
    for i, raw in enumerate(raw_rules):
        at = f"rules[{i}]"
        if not isinstance(raw, Mapping):
            v.add(at, "must be an object {tag, stage, pipeline_id?}")
            continue
        values = {}
        for name, limit in (("tag", MAX_TAG), ("stage", MAX_STAGE), ("pipeline_id", 64)):
            value = raw.get(name, "")
            if not isinstance(value, str):
                v.add(f"{at}.{name}", "must be text")
                value = ""
            value = value.strip()
            if name != "pipeline_id" and not value:
                v.add(f"{at}.{name}", "is required")
            if len(value) > limit:
                v.add(f"{at}.{name}", f"is longer than {limit} characters")
            values[name] = value
        key = (values["tag"], values["pipeline_id"])
        if values["tag"] and key in seen:
            v.add(f"{at}.tag", f"{values['tag']} has a rule already for the same pipeline")
        seen.add(key)
        found.append(HintRule(values["tag"], values["stage"], values["pipeline_id"]))
    max_age_days = data.get("max_age_days", DEFAULT_MAX_AGE_DAYS)  # absent in rows saved before it existed
    if isinstance(max_age_days, bool) or not isinstance(max_age_days, int):
        v.add("max_age_days", "must be a whole number")
        max_age_days = DEFAULT_MAX_AGE_DAYS
    elif not 1 <= max_age_days <= MAX_AGE_DAYS:
        v.add("max_age_days", f"must be between 1 and {MAX_AGE_DAYS}")
    v.check()
    return StageHintSettings(auto_move=bool(auto_move), rules=tuple(found), max_age_days=max_age_days)


def settings_data(settings: StageHintSettings) -> dict[str, Any]:
    return {
        "auto_move": settings.auto_move,
        "rules": [{"tag": r.tag, "stage": r.stage, "pipeline_id": r.pipeline_id} for r in settings.rules],
        "max_age_days": settings.max_age_days,
    }


def is_ahead(pipeline: Pipeline, current: str, stage: str) -> bool:
    """The stage is in the pipeline and after the current one (a stage not in
    the pipeline counts as before the first, as stage_moves counts it)."""
    to = pipeline.index(stage)
    if to is None:
        return False
    at = pipeline.index(current)
    return to > (-1 if at is None else at)


def may_suggest(
    tags: Mapping[str, Sequence[str]], settings: StageHintSettings, occurred_at: datetime, now: datetime
) -> bool:
    """Whether a rule names one of the tags and the activity is recent enough
    (if not, the opportunity need not be read)."""
    return not is_too_old(settings, occurred_at, now) and any(rule.tag in tags for rule in settings.rules)


def is_too_old(settings: StageHintSettings, occurred_at: datetime, now: datetime) -> bool:
    """The activity happened more than max_age_days before now: history, it suggests no stage."""
    return occurred_at < now - timedelta(days=settings.max_age_days)


def suggestions(
    opp: Opportunity,
    pipeline: Pipeline | None,
    tags: Mapping[str, Sequence[str]],
    settings: StageHintSettings,
    waiting: Sequence[str] = (),
) -> list[Suggestion]:
    """The stages the activity's tags suggest for the opportunity: open and
    placed in a pipeline that has the stage, not already at or past it, one
    suggestion per stage (the first rule's tag), none for a stage a hint
    already waits on (`waiting`: stages of the opportunity's open hints)."""
    if not opp.is_open or pipeline is None or opp.pipeline_id != pipeline.pipeline_id:
        return []
    found: dict[str, Suggestion] = {}
    for rule in settings.rules:
        if rule.tag not in tags or (rule.pipeline_id and rule.pipeline_id != pipeline.pipeline_id):
            continue
        if rule.stage in found or rule.stage in waiting or not is_ahead(pipeline, opp.stage, rule.stage):
            continue
        words = tuple(dict.fromkeys(w[:MAX_WORD] for w in tags[rule.tag]))[:MAX_WORDS]
        found[rule.stage] = Suggestion(rule.tag, rule.stage, words)
    return list(found.values())


def new_hint(
    *,
    hint_id: str,
    opp: Opportunity,
    activity_id: str,
    suggestion: Suggestion,
    now: datetime,
    auto_move: bool = False,
) -> StageHint:
    return StageHint(
        hint_id=hint_id,
        tenant_id=opp.tenant_id,
        opportunity_id=opp.opportunity_id,
        customer_id=opp.customer_id,
        activity_id=activity_id,
        tag=suggestion.tag,
        suggested_stage=suggestion.stage,
        words=suggestion.words,
        state="shown",
        unmet=(),
        created_at=now,
        auto_pending=auto_move,
    )


def require_undecided(hint: StageHint) -> None:
    """Only a shown or refused hint can be applied or dismissed."""
    if hint.state not in OPEN_STATES:
        raise FailedPrecondition(
            f"stage hint {hint.hint_id} is {hint.state}", [Violation("state", hint.hint_id, f"is {hint.state}")]
        )


def require_still_ahead(hint: StageHint, opp: Opportunity, pipeline: Pipeline | None) -> None:
    """Applying never moves backwards: the opportunity must still be open and before the stage."""
    if not opp.is_open or pipeline is None or not is_ahead(pipeline, opp.stage, hint.suggested_stage):
        raise FailedPrecondition(
            f"the opportunity is no longer before {hint.suggested_stage}",
            [Violation("stage", hint.suggested_stage, "the opportunity is closed, at or past this stage")],
        )


def gate_refusal(refusal: FailedPrecondition) -> bool:
    """The move was refused by a stage's gate (not because the opportunity is closed or moved on)."""
    return any(v.type in GATE_KINDS for v in refusal.violations)


def unmet_of(violations: Sequence[Violation]) -> tuple[Unmet, ...]:
    return tuple(Unmet(f"{v.type}:{v.subject}", v.description) for v in violations)


def applied(hint: StageHint, by: str, now: datetime) -> StageHint:
    require_undecided(hint)
    return replace(hint, state="applied", unmet=(), decided_at=now, decided_by=by, auto_pending=False)


def refused(hint: StageHint, violations: Sequence[Violation], by: str, now: datetime) -> StageHint:
    """The gate said no: the hint keeps what is missing and stays open for a later apply."""
    require_undecided(hint)
    return replace(hint, state="refused", unmet=unmet_of(violations), decided_at=now, decided_by=by, auto_pending=False)


def dismissed(hint: StageHint, by: str, now: datetime) -> StageHint:
    require_undecided(hint)
    return replace(hint, state="dismissed", decided_at=now, decided_by=by, auto_pending=False)
