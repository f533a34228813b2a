"""Approval policies: the data the business writes (which requests a policy
takes, in which stages and steps they are reviewed, by whom, how fast).

A policy is versioned data, like a routing rule set: a request records the
policy id and version it was started under, and runs by that version to the
end even when the policy is edited meanwhile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# What a request is about (the subject is an opportunity or a customer, whose
# access opportunity decides; the kind says what is asked of it).
KINDS = ("quote", "contract", "technical_proposal", "discount", "promotion", "payment_exception")

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
