"""Pipelines as data (ordered stages with default probability, forecast
category and a gate), gated stage moves, won/lost/reopen and the board (the
stays are domain/stage_history.py's). Pure: the facts a gate needs from
other services (documents, approvals) are handed in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from crm_shared import limits, roles
from crm_shared.approval_kinds import KIND_LABELS
from crm_shared.approval_kinds import OPPORTUNITY_KINDS as APPROVAL_KINDS
from crm_shared.domain.errors import Conflict, FailedPrecondition, InvalidArgument, Validator, Violation
from crm_shared.money import wire_minor

from opportunity.domain.activity import KINDS as ACTIVITY_KINDS
from opportunity.domain.gate import REQUIRABLE_FIELDS, Gate, GateFacts, approval_unmet
from opportunity.domain.opportunity import MAX_NAME, Opportunity

FORECAST_CATEGORIES = ("pipeline", "best_case", "commit", "closed")
# Who defines pipelines: a sales manager or an admin.
PIPELINE_EDITORS = roles.PIPELINE_EDITORS
PIPELINE_READERS = roles.PIPELINE_READERS
# Who moves, closes and reopens opportunities (within their scope).
MOVERS = roles.OPPORTUNITY_MOVERS
MAX_STAGES = limits.MAX_STAGES
MAX_REASON = limits.MAX_CLOSE_REASON
# The most days a stage may allow (ten years).
MAX_STAGE_DAYS = 3650


@dataclass(frozen=True)
class Stage:
    name: str
    probability: int
    forecast_category: str
    gate: Gate = field(default_factory=Gate)
    # The days an opportunity may stay in this stage before it is flagged stuck (None: no limit).
    max_days: int | None = None
    # The stage's playbook: the key actions (activity kinds) the system recommends while an
    # opportunity is in it, e.g. 方案: demo + proposal_sent. Empty: no recommendation (and the
    # stage does not count for 关键动作饱和度, domain/indexes/phi.py).
    playbook: tuple[str, ...] = ()


# Kinds a playbook may recommend: every activity kind but a note (not an action with the customer).
PLAYBOOK_KINDS = tuple(k for k in ACTIVITY_KINDS if k != "note")


@dataclass(frozen=True)
class Pipeline:
    pipeline_id: str
    tenant_id: str
    name: str
    product_line: str
    stages: tuple[Stage, ...]
    created_at: datetime
    updated_at: datetime

    def index(self, stage: str) -> int | None:
        for i, s in enumerate(self.stages):
            if s.name == stage:
                return i
        return None

    def stage(self, name: str) -> Stage:
        i = self.index(name)
        if i is None:
            raise InvalidArgument.field("stage", f"is not a stage of pipeline {self.name}")
        return self.stages[i]


def define_pipeline(
    *,
    pipeline_id: str,
    tenant_id: str,
    name: str,
    product_line: str,
    stages: Sequence[Stage],
    now: datetime,
    created_at: datetime | None = None,
) -> Pipeline:
    """Validate a whole definition at once, naming every bad field."""
    v = Validator()
    v.require("name", name)
    if len(name.strip()) > MAX_NAME:
        v.add("name", f"is longer than {MAX_NAME} characters")
    if len(product_line.strip()) > MAX_NAME:
        v.add("product_line", f"is longer than {MAX_NAME} characters")
    if not stages:
        v.add("stages", "at least one stage is required")
    if len(stages) > MAX_STAGES:
        v.add("stages", f"at most {MAX_STAGES} stages")
    seen: set[str] = set()
    clean: list[Stage] = []
    for i, s in enumerate(stages):
        at = f"stages[{i}]"
        stage_name = s.name.strip()
        v.require(f"{at}.name", stage_name)
        if len(stage_name) > 50:
            v.add(f"{at}.name", "is longer than 50 characters")
        if stage_name in seen:
            v.add(f"{at}.name", f"{stage_name} appears twice")
        seen.add(stage_name)
        if not 0 <= s.probability <= 100:
            v.add(f"{at}.probability", "must be between 0 and 100")
        if s.forecast_category not in FORECAST_CATEGORIES:
            v.add(f"{at}.forecast_category", f"must be one of {', '.join(FORECAST_CATEGORIES)}")
        if s.max_days is not None and not 1 <= s.max_days <= MAX_STAGE_DAYS:
            v.add(f"{at}.max_days", f"must be between 1 and {MAX_STAGE_DAYS}")
        for f in s.gate.required_fields:
            if f not in REQUIRABLE_FIELDS:
                v.add(f"{at}.gate.required_fields", f"{f!r} is not one of {', '.join(REQUIRABLE_FIELDS)}")
        docs = tuple(d.strip() for d in s.gate.required_documents)
        if any(not d or len(d) > 200 for d in docs):
            v.add(f"{at}.gate.required_documents", "document types must be 1 to 200 characters")
        for k in s.playbook:
            if k not in PLAYBOOK_KINDS:
                v.add(f"{at}.playbook", f"{k!r} is not one of {', '.join(PLAYBOOK_KINDS)}")
        kinds = tuple(k.strip() for k in s.gate.approval_kinds)
        for k in kinds:
            if k not in APPROVAL_KINDS:
                v.add(f"{at}.gate.approval_kinds", f"{k!r} is not one of {', '.join(APPROVAL_KINDS)}")
        clean.append(
            replace(
                s,
                name=stage_name,
                playbook=tuple(dict.fromkeys(s.playbook)),
                gate=Gate(
                    required_fields=tuple(dict.fromkeys(s.gate.required_fields)),
                    required_documents=tuple(dict.fromkeys(docs)),
                    approval_kinds=tuple(dict.fromkeys(kinds)),
                ),
            )
        )
    v.check()
    return Pipeline(
        pipeline_id=pipeline_id,
        tenant_id=tenant_id,
        name=name.strip(),
        product_line=product_line.strip(),
        stages=tuple(clean),
        created_at=created_at or now,
        updated_at=now,
    )


def check_stages_kept(updated: Pipeline, occupied: Iterable[str]) -> None:
    """A stage that still holds open opportunities cannot disappear."""
    gone = sorted(s for s in set(occupied) if updated.index(s) is None)
    if gone:
        raise FailedPrecondition(
            "stages holding open opportunities cannot be removed or renamed",
            [Violation("stage", s, "still holds open opportunities") for s in gone],
        )


def require_open(opp: Opportunity) -> None:
    if not opp.is_open:
        raise FailedPrecondition(
            f"opportunity {opp.opportunity_id} is {opp.status}; reopen it first",
            [Violation("status", opp.opportunity_id, f"is {opp.status}, not open")],
        )


def require_placed(opp: Opportunity) -> None:
    if not opp.pipeline_id:
        raise FailedPrecondition(
            f"opportunity {opp.opportunity_id} is in no pipeline; place it in one first",
            [Violation("pipeline", opp.opportunity_id, "is not placed in a pipeline")],
        )


def require_unplaced(opp: Opportunity) -> None:
    if opp.pipeline_id:
        raise FailedPrecondition(
            f"opportunity {opp.opportunity_id} is already in a pipeline",
            [Violation("pipeline", opp.pipeline_id, "the opportunity is already placed")],
        )


def stages_entered(pipeline: Pipeline, current: str, target: str) -> tuple[Stage, ...]:
    """The stages whose gates a move must pass. Forward: every stage after the
    current one up to the target (skipping forward is allowed, but nothing
    skipped escapes its gate). Backward: none (their gates held on the way in).
    An opportunity whose stage is not in the pipeline (e.g. 初步接触 before
    placement) counts as before the first stage."""
    to = pipeline.index(target)
    if to is None:
        raise InvalidArgument.field("stage", f"{target!r} is not a stage of pipeline {pipeline.name}")
    at = pipeline.index(current)
    if at == to:
        raise FailedPrecondition(
            f"the opportunity is already in {target}", [Violation("stage", target, "is the current stage")]
        )
    start = -1 if at is None else at
    return pipeline.stages[start + 1 : to + 1] if to > start else ()


def stages_to_win(pipeline: Pipeline, current: str) -> tuple[Stage, ...]:
    """The stages whose gates a win must pass: closing as won is moving past
    the pipeline's last stage, so every stage still ahead (skipped) counts,
    and so does the one the opportunity is in — what it asked for must still
    hold when the deal is signed (a field blanked since, a document
    withdrawn). The last stage is the won stage's own gate (e.g. 合同签署
    with its approval). An opportunity whose stage is no longer in the
    pipeline counts as before the first stage."""
    at = pipeline.index(current)
    return pipeline.stages if at is None else pipeline.stages[at:]


def gate_needs(stages: Sequence[Stage]) -> tuple[frozenset[str], frozenset[str]]:
    """What other services must be asked for the gates of `stages`: document types, and approval kinds."""
    return (
        frozenset(d for s in stages for d in s.gate.required_documents),
        frozenset(k for s in stages for k in s.gate.approval_kinds),
    )


def unchanged_since(seen: Opportunity, now_read: Opportunity) -> None:
    """A move decided on facts asked before the transaction is refused (ABORTED)
    when the opportunity moved meanwhile."""
    if (now_read.pipeline_id, now_read.stage, now_read.status) != (seen.pipeline_id, seen.stage, seen.status):
        raise Conflict(f"opportunity {now_read.opportunity_id} changed while its gate was checked; try again")


def _field_filled(opp: Opportunity, name: str) -> bool:
    if name == "amount":
        return opp.amount_minor is not None and opp.amount_minor > 0
    value = getattr(opp, name)
    return value is not None and value != ""


def unmet(opp: Opportunity, stages: Sequence[Stage], facts: GateFacts) -> list[Violation]:
    """Every requirement of every given stage that does not hold, in order."""
    found: list[Violation] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, subject: str, description: str) -> None:
        if (kind, subject) not in seen:
            seen.add((kind, subject))
            found.append(Violation(kind, subject, description))

    for stage in stages:
        for f in stage.gate.required_fields:
            if not _field_filled(opp, f):
                add("field", f, f"进入「{stage.name}」前必须填写 {REQUIRABLE_FIELDS[f]}")
        for doc in stage.gate.required_documents:
            if doc not in facts.documents:
                add("document", doc, f"进入「{stage.name}」前必须上传《{doc}》")
        for kind in stage.gate.approval_kinds:
            missing = approval_unmet(facts.approvals.get(kind))
            if missing:
                label = KIND_LABELS.get(kind, kind)
                add("approval", kind, f"进入「{stage.name}」前必须通过{label}（{kind}: {missing}）")
    return found


def refuse_if_unmet(opp: Opportunity, target: str, violations: list[Violation]) -> None:
    if violations:
        raise FailedPrecondition(
            f"the gate of {target} is not met: {len(violations)} requirement(s) missing", violations
        )


def enter(opp: Opportunity, pipeline: Pipeline, stage: str, now: datetime) -> Opportunity:
    s = pipeline.stage(stage)
    return replace(
        opp,
        pipeline_id=pipeline.pipeline_id,
        stage=s.name,
        probability=s.probability,
        forecast_category=s.forecast_category,
        stage_entered_at=now,
        updated_at=now,
        product_line=opp.product_line or pipeline.product_line,
    )


def close(
    opp: Opportunity,
    outcome: str,
    reason: str,
    now: datetime,
    *,
    pipeline: Pipeline | None = None,
    facts: GateFacts | None = None,
) -> Opportunity:
    """Won or lost. A win passes every gate stages_to_win names (409 listing
    every unmet requirement, nothing changed); losing has no gate (it is
    the way out from anywhere)."""
    require_placed(opp)
    require_open(opp)
    if outcome == "won":
        if pipeline is None:
            raise ValueError("a win is checked against its pipeline's gates")
        refuse_if_unmet(opp, "won", unmet(opp, stages_to_win(pipeline, opp.stage), facts or GateFacts()))
    v = Validator()
    if outcome == "lost":
        v.require("reason", reason, "is required when an opportunity is lost")
    if len(reason) > MAX_REASON:
        v.add("reason", f"is longer than {MAX_REASON} characters")
    v.check()
    return replace(
        opp,
        status=outcome,
        probability=100 if outcome == "won" else 0,
        forecast_category="closed",
        close_reason=reason.strip(),
        closed_at=now,
        updated_at=now,
        first_touch_due_at=None,
    )


def reopen(opp: Opportunity, pipeline: Pipeline, now: datetime) -> Opportunity:
    """Back to the stage it was closed in, with that stage's defaults."""
    if opp.is_open:
        raise FailedPrecondition(
            f"opportunity {opp.opportunity_id} is open", [Violation("status", opp.opportunity_id, "is already open")]
        )
    if pipeline.index(opp.stage) is None:
        # Not the caller's mistake (the pipeline changed since): a precondition, not a bad argument.
        raise FailedPrecondition(
            f"the stage {opp.stage} it was closed in is no longer in pipeline {pipeline.name}",
            [Violation("stage", opp.stage, "is no longer a stage of the pipeline")],
        )
    reopened = enter(replace(opp, status="open", close_reason="", closed_at=None), pipeline, opp.stage, now)
    return reopened


@dataclass(frozen=True)
class BoardGroup:
    """Opportunities of one (status, stage) on a board: how many, their amount
    in total and their amounts weighted by probability (sum of amount ×
    percent, so divide by 100), all exact integers."""

    status: str
    stage: str
    count: int
    amount_minor: int
    weighted_percent_minor: int


@dataclass(frozen=True)
class BoardTotals:
    columns: list[tuple[Stage, int, int, int]]  # stage, count, amount, weighted
    won_count: int
    won_amount_minor: int
    lost_count: int


def board_totals(pipeline: Pipeline, groups: Sequence[BoardGroup]) -> BoardTotals:
    """Per stage of the pipeline the open opportunities; the won and lost
    ones across stages. Exact integer sums, saturated only where they leave
    for an int64 field (crm_shared.money.wire_minor)."""
    open_groups = {g.stage: g for g in groups if g.status == "open"}
    columns = []
    for s in pipeline.stages:
        g = open_groups.get(s.name)
        columns.append(
            (s, g.count, wire_minor(g.amount_minor), wire_minor(g.weighted_percent_minor // 100)) if g else (s, 0, 0, 0)
        )
    won = [g for g in groups if g.status == "won"]
    return BoardTotals(
        columns=columns,
        won_count=sum(g.count for g in won),
        won_amount_minor=wire_minor(sum(g.amount_minor for g in won)),
        lost_count=sum(g.count for g in groups if g.status == "lost"),
    )
