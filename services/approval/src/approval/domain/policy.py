"""Approval policies: the data the business writes (which requests a policy
takes, in which stages and steps they are reviewed, by whom, how fast).

A policy is versioned data, like a routing rule set: a request records the
policy id and version it was started under, and runs by that version to the
end even when the policy is edited meanwhile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from crm_shared import approval_kinds
from crm_shared.domain.errors import FailedPrecondition, FieldViolation, InvalidArgument, Validator, Violation
from crm_shared.formula import (
    CompiledFormula,
    FormulaError,
    check_finite,
    compile_formula,
    unusable_formula,
)

from approval.domain.facts import CATALOGUE, RANGES

# What a request is about (the subject is an opportunity or a customer, whose
# access opportunity decides; the kind says what is asked of it). Opportunity's
# stage gates name the same kinds, so the list lives in crm_shared.
KINDS = approval_kinds.KINDS

# How the approvers of one step decide: 会签 (all), 或签 (any), 依次 (one after
# another, all), k of n, or a percentage of them.
MODES = ("all", "any", "sequence", "k_of_n", "ratio")

# Whom an approver rule names, resolved to people when the step starts.
APPROVER_KINDS = (
    "user",  # value: a user id
    "role",  # value: a role name (crm_shared.roles)
    "department_members",  # value: a department id
    "department_head",  # value: a department id
    "manager",  # the requester's manager (from the rep profiles)
    "manager_chain",  # the requester's managers up to `level`
    # A partner's request (docs/adr/0010): the distributor's channel manager, as the
    # request's given fact 渠道经理 names them; level 2 their manager, 3 that one's ...
    "channel_manager",
)

# What happens when a step's time runs out, after its reminders (催办).
SLA_OUTCOMES = ("escalate", "auto_approve", "auto_reject", "auto_transfer", "none")

# On a rejection: end the request, or send it back (退回) to an earlier stage or to the requester.
ON_REJECT = ("reject", "send_back")


@dataclass(frozen=True)
class ApproverRule:
    kind: str
    value: str = ""
    level: int = 1


@dataclass(frozen=True)
class SlaRule:
    """For requests whose impact scope is `impact` ("" = any other): after
    `working_minutes` of the tenant's working time without a decision, remind
    the approver up to `reminders` times (each after another `working_minutes`),
    then apply `outcome` (escalate or transfer to `target`)."""

    impact: str
    working_minutes: int
    reminders: int = 0
    outcome: str = "none"
    target: ApproverRule | None = None


@dataclass(frozen=True)
class Step:
    step_id: str
    name: str
    approvers: ApproverRule
    mode: str = "all"
    k: int = 0  # k_of_n
    ratio_percent: int = 0  # ratio
    veto: bool = False  # 一票否决: one rejection rejects the whole request
    on_reject: str = "reject"
    send_back_to: str = "requester"  # "requester" or the stage_id of an earlier stage
    sla: tuple[SlaRule, ...] = ()


@dataclass(frozen=True)
class Stage:
    stage_id: str
    name: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Policy:
    policy_id: str
    tenant_id: str
    kind: str
    name: str
    version: int
    position: int  # policies of a kind are tried in this order; the first whose criteria hold decides
    criteria: str  # a formula of the shared language over the request's facts; "" on the default policy
    is_default: bool
    stages: tuple[Stage, ...]
    # Fields of the subject that may not change while a request under this policy is pending.
    locked_fields: tuple[str, ...] = ()
    # An approver who already approved an earlier step of the same request is skipped.
    skip_repeat_approvers: bool = False
    allow_batch: bool = True
    # "undecided": the requester may recall while no task is decided; "pending": while the request is pending.
    recall_while: str = "undecided"
    # Who is asked when an approver rule finds nobody (named in the request's history).
    fallback_user: str = "admin"
    active: bool = True
    updated_by: str = ""
    updated_at: datetime | None = None
    notes: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------- checking a policy on save

MAX_STAGES = 10
MAX_STEPS = 10  # of one stage
MAX_SLA_RULES = 10  # of one step
MAX_REMINDERS = 10
MAX_SLA_MINUTES = 60 * 8 * 60  # 60 working days of 8 hours
MAX_LEVEL = 10  # manager chain
MAX_LOCKED_FIELDS = 20
MAX_NAME = 200
MAX_ID = 64
RECALL_WHILE = ("undecided", "pending")
# A partner (a distributor's user) approves nothing of the manufacturer's.
APPROVER_ROLES = ("rep", "manager", "finance", "reviewer", "admin")
SEND_BACK_TO_REQUESTER = "requester"


def known_size(rule: ApproverRule, department_sizes: Mapping[str, int]) -> int | None:
    """How many people the rule can name at most, where it is known at save
    time (a department's members as they are now); None when it depends on
    the request (a role's holders are counted when the step starts)."""
    if rule.kind in ("user", "manager", "department_head", "channel_manager"):
        return 1
    if rule.kind == "manager_chain":
        return rule.level
    if rule.kind == "department_members":
        return department_sizes.get(rule.value)
    return None


def _check_rule(v: Validator, at: str, rule: ApproverRule, departments: Mapping[str, int]) -> None:
    if rule.kind not in APPROVER_KINDS:
        v.add(f"{at}.kind", f"must be one of {', '.join(APPROVER_KINDS)}")
        return
    if len(rule.value) > MAX_ID:
        v.add(f"{at}.value", f"is longer than {MAX_ID} characters")
    if rule.kind == "user" and not rule.value.strip():
        v.add(f"{at}.value", "name the user")
    if rule.kind == "role" and rule.value not in APPROVER_ROLES:
        v.add(f"{at}.value", f"must be one of {', '.join(APPROVER_ROLES)}")
    if rule.kind in ("department_members", "department_head") and rule.value not in departments:
        v.add(f"{at}.value", f"is not a department of the tenant: {rule.value[:MAX_ID]!r}")
    if rule.kind in ("manager", "manager_chain") and rule.value:
        v.add(f"{at}.value", "must be empty: the requester's managers come from the rep profiles")
    if rule.kind == "channel_manager" and rule.value:
        v.add(f"{at}.value", "must be empty: the channel manager is the one the partner's request names")
    if not (1 <= rule.level <= MAX_LEVEL):
        v.add(f"{at}.level", f"must be between 1 and {MAX_LEVEL}")


def _check_step(
    v: Validator, at: str, step: Step, earlier_stages: Sequence[str], departments: Mapping[str, int]
) -> None:
    if not step.name.strip() or len(step.name) > MAX_NAME:
        v.add(f"{at}.name", f"is required, at most {MAX_NAME} characters")
    _check_rule(v, f"{at}.approvers", step.approvers, departments)
    if step.mode not in MODES:
        v.add(f"{at}.mode", f"must be one of {', '.join(MODES)}")
    size = known_size(step.approvers, departments)
    if step.mode == "k_of_n":
        if step.k < 1:
            v.add(f"{at}.k", "must be at least 1 for mode k_of_n")
        elif size is not None and step.k > size:
            v.add(f"{at}.k", f"is more than the {size} approver(s) the rule can name")
    elif step.k:
        v.add(f"{at}.k", "is for mode k_of_n only")
    if step.mode == "ratio":
        if not (1 <= step.ratio_percent <= 100):
            v.add(f"{at}.ratio_percent", "must be between 1 and 100 for mode ratio")
    elif step.ratio_percent:
        v.add(f"{at}.ratio_percent", "is for mode ratio only")
    if step.on_reject not in ON_REJECT:
        v.add(f"{at}.on_reject", f"must be one of {', '.join(ON_REJECT)}")
    if step.on_reject == "send_back" and step.send_back_to not in (SEND_BACK_TO_REQUESTER, *earlier_stages):
        v.add(f"{at}.send_back_to", "must be 'requester' or the stage_id of an earlier stage")
    if len(step.sla) > MAX_SLA_RULES:
        v.add(f"{at}.sla", f"at most {MAX_SLA_RULES} rules")
    impacts: set[str] = set()
    for n, rule in enumerate(step.sla[:MAX_SLA_RULES]):
        where = f"{at}.sla[{n}]"
        if rule.impact in impacts:
            v.add(f"{where}.impact", f"{rule.impact[:MAX_NAME]!r} has two rules")
        impacts.add(rule.impact)
        if len(rule.impact) > MAX_NAME:
            v.add(f"{where}.impact", f"is longer than {MAX_NAME} characters")
        if not (1 <= rule.working_minutes <= MAX_SLA_MINUTES):
            v.add(f"{where}.working_minutes", f"must be between 1 and {MAX_SLA_MINUTES}")
        if not (0 <= rule.reminders <= MAX_REMINDERS):
            v.add(f"{where}.reminders", f"must be between 0 and {MAX_REMINDERS}")
        if rule.outcome not in SLA_OUTCOMES:
            v.add(f"{where}.outcome", f"must be one of {', '.join(SLA_OUTCOMES)}")
        if rule.outcome in ("escalate", "auto_transfer"):
            if rule.target is None:
                v.add(f"{where}.target", f"is required for outcome {rule.outcome}")
            else:
                _check_rule(v, f"{where}.target", rule.target, departments)
        elif rule.target is not None:
            v.add(f"{where}.target", "is for outcomes escalate and auto_transfer only")


def check_policy(policy: Policy, departments: Mapping[str, int]) -> CompiledFormula | None:
    """Every problem of a policy as written, each named by its field path
    (stages[1].steps[0].k, criteria with line and column); the compiled
    criteria when it has any. `departments`: the tenant's department ids and
    their member counts now."""
    v = Validator()
    if policy.kind not in KINDS:
        v.add("kind", f"must be one of {', '.join(KINDS)}")
    if not policy.name.strip() or len(policy.name) > MAX_NAME:
        v.add("name", f"is required, at most {MAX_NAME} characters")
    if not (0 <= policy.position <= 10_000):
        v.add("position", "must be between 0 and 10000")
    compiled = None
    if policy.is_default and policy.criteria.strip():
        v.add("criteria", "must be empty on the default policy of a kind (it takes what no other policy takes)")
    elif policy.criteria.strip():
        try:
            compiled = compile_criteria(policy.criteria)
        except InvalidArgument as e:
            v.violations += e.violations
    if not policy.stages:
        v.add("stages", "name at least one stage")
    if len(policy.stages) > MAX_STAGES:
        v.add("stages", f"at most {MAX_STAGES} stages")
    stage_ids: list[str] = []
    step_ids: set[str] = set()
    for i, stage in enumerate(policy.stages[:MAX_STAGES]):
        at = f"stages[{i}]"
        if not stage.stage_id.strip() or len(stage.stage_id) > MAX_ID or stage.stage_id == SEND_BACK_TO_REQUESTER:
            v.add(f"{at}.stage_id", f"is required, at most {MAX_ID} characters, not 'requester'")
        if stage.stage_id in stage_ids:
            v.add(f"{at}.stage_id", f"{stage.stage_id[:MAX_ID]!r} is used twice")
        if not stage.name.strip() or len(stage.name) > MAX_NAME:
            v.add(f"{at}.name", f"is required, at most {MAX_NAME} characters")
        if not stage.steps:
            v.add(f"{at}.steps", "name at least one step")
        if len(stage.steps) > MAX_STEPS:
            v.add(f"{at}.steps", f"at most {MAX_STEPS} steps")
        for j, step in enumerate(stage.steps[:MAX_STEPS]):
            where = f"{at}.steps[{j}]"
            if not step.step_id.strip() or len(step.step_id) > MAX_ID:
                v.add(f"{where}.step_id", f"is required, at most {MAX_ID} characters")
            if step.step_id in step_ids:
                v.add(f"{where}.step_id", f"{step.step_id[:MAX_ID]!r} is used twice in the policy")
            step_ids.add(step.step_id)
            _check_step(v, where, step, stage_ids, departments)
        stage_ids.append(stage.stage_id)
    lockable = approval_kinds.OPPORTUNITY_LOCKABLE_FIELDS
    if len(policy.locked_fields) > MAX_LOCKED_FIELDS:
        v.add("locked_fields", f"at most {MAX_LOCKED_FIELDS} fields")
    for n, name in enumerate(policy.locked_fields[:MAX_LOCKED_FIELDS]):
        if name not in lockable:
            v.add(f"locked_fields[{n}]", f"is not a field opportunity can lock; one of {', '.join(lockable)}")
    if policy.recall_while not in RECALL_WHILE:
        v.add("recall_while", f"must be one of {', '.join(RECALL_WHILE)}")
    if not policy.fallback_user.strip() or len(policy.fallback_user) > MAX_ID:
        v.add("fallback_user", f"is required, at most {MAX_ID} characters")
    v.check()
    return compiled


MAX_POLICIES_PER_KIND = 100  # every request of a kind tries them in turn


def refuse_past_limit(active_of_kind: int, kind: str) -> None:
    if active_of_kind >= MAX_POLICIES_PER_KIND:
        raise FailedPrecondition(
            f"{kind} has {MAX_POLICIES_PER_KIND} policies already; delete one first",
            [Violation("policy", kind, f"has {MAX_POLICIES_PER_KIND} active policies")],
        )


def compile_criteria(text: str, where: str = "criteria") -> CompiledFormula:
    """Entry criteria as written: a logical formula over the facts, checked like
    a routing condition (line, column and reason; an overflow over the facts'
    ranges is refused too)."""
    try:
        compiled = compile_formula(text, CATALOGUE, result_types=("bool",))
        check_finite(compiled, RANGES)
        return compiled
    except FormulaError as e:
        description = f"line {e.line}, column {e.column}: {e.reason}"
        raise InvalidArgument(f"{where}: {description}", [FieldViolation(where, description)]) from e


@lru_cache(maxsize=4096)
def compile_saved(text: str) -> CompiledFormula | None:
    """Stored criteria; one that no longer compiles never holds (it errs).
    Compiled once per text (the catalogue is fixed; a CompiledFormula is never
    changed by evaluating it), so choosing a policy parses nothing per request."""
    if not text.strip():
        return None
    try:
        return compile_formula(text, CATALOGUE, result_types=("bool",))
    except FormulaError:
        return unusable_formula(text, "bool")


@dataclass(frozen=True)
class PolicyChange:
    """One saved version of a policy: who changed what, when, and why."""

    policy: Policy  # as it was saved in this version
    action: str  # created | updated | deleted
    comment: str
    changed_by: str
    changed_at: datetime


def as_written(policy: Policy) -> Policy:
    """A policy as an admin wrote it, trimmed, blank stage and step ids filled
    in (stage-1, stage-1.step-1 ...), duplicates in locked_fields dropped."""
    stages = []
    for i, stage in enumerate(policy.stages):
        stage_id = stage.stage_id.strip() or f"stage-{i + 1}"
        steps = tuple(
            replace(
                step,
                step_id=step.step_id.strip() or f"{stage_id}.step-{j + 1}",
                name=step.name.strip(),
                send_back_to=step.send_back_to.strip() or SEND_BACK_TO_REQUESTER,
                approvers=replace(step.approvers, value=step.approvers.value.strip()),
            )
            for j, step in enumerate(stage.steps)
        )
        stages.append(Stage(stage_id, stage.name.strip(), steps))
    return replace(
        policy,
        name=policy.name.strip(),
        criteria=policy.criteria.strip(),
        stages=tuple(stages),
        locked_fields=tuple(dict.fromkeys(f.strip() for f in policy.locked_fields)),
        fallback_user=policy.fallback_user.strip() or "admin",
    )
