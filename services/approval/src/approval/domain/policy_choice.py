"""Which policy a request gets: the first active policy of its kind, by
position, whose criteria hold for the request's facts; else the kind's default
policy; else the built-in default (the requester's manager; for a partner's
request, the distributor's channel manager). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crm_shared.approval_kinds import PARTNER_KINDS, PARTNER_REGISTRATION, PROMOTION
from crm_shared.business_calendar import BusinessCalendar
from crm_shared.formula import ExcelError

from approval.domain.facts import AMOUNT, CHANNEL_MANAGER, formula_row
from approval.domain.policy import ApproverRule, Policy, SlaRule, Stage, Step, compile_saved
from approval.domain.sla import DEFAULT_REVIEW_DAYS, working_day_minutes

# From 50万 (元) a partner's registration is decided by the channel manager and then their manager.
LARGE_REGISTRATION_YUAN = 500_000
DEFAULT_REVIEW_MINUTES = DEFAULT_REVIEW_DAYS * working_day_minutes(BusinessCalendar())


@dataclass(frozen=True)
class Tried:
    """One policy as the choice saw it: held, did not hold, or erred (why)."""

    policy_id: str
    name: str
    version: int
    position: int
    criteria: str
    outcome: str  # matched | not_matched | error | default | not_reached
    detail: str = ""


@dataclass(frozen=True)
class Choice:
    policy: Policy
    reason: str
    tried: tuple[Tried, ...]


def builtin_default(
    tenant_id: str,
    kind: str,
    facts: Mapping[str, object] | None = None,
    review_minutes: int = DEFAULT_REVIEW_MINUTES,
) -> Policy:
    """What a tenant that wrote no policy for a kind gets: one stage, one step,
    the requester's manager decides (an admin when there is none); a partner's
    request goes to its channel manager instead (`partner_builtin`)."""
    facts = facts or {}
    if kind in PARTNER_KINDS and (kind != PROMOTION or facts.get(CHANNEL_MANAGER)):
        return partner_builtin(tenant_id, kind, facts, review_minutes)
    return Policy(
        policy_id=f"builtin-{kind}",
        tenant_id=tenant_id,
        kind=kind,
        name="默认审批（直属上级）",
        version=0,
        position=0,
        criteria="",
        is_default=True,
        stages=(Stage("manager", "直属上级审批", (Step("manager", "直属上级", ApproverRule("manager")),)),),
    )


def partner_builtin(tenant_id: str, kind: str, facts: Mapping[str, object], review_minutes: int) -> Policy:
    """A partner's request (a promotion only when it names a channel manager:
    a promotion about an opportunity keeps the manager's default): the
    distributor's channel manager decides within `review_minutes` working
    minutes (the tenant's partner review working days); a registration of
    50万 or more then goes to the channel manager's manager. Past the
    deadline the approver is reminded once; after as long again an admin
    takes the task. Nobody found at a step: the fallback, admin."""
    sla = (SlaRule("", review_minutes, reminders=1, outcome="escalate", target=ApproverRule("role", "admin")),)
    stages = [
        Stage(
            "channel-manager",
            "渠道经理审批",
            (Step("channel-manager", "渠道经理", ApproverRule("channel_manager"), sla=sla),),
        )
    ]
    amount = facts.get(AMOUNT)
    large = isinstance(amount, int | float) and amount >= LARGE_REGISTRATION_YUAN
    if kind == PARTNER_REGISTRATION and large:
        above = ApproverRule("channel_manager", level=2)
        stages.append(
            Stage(
                "channel-manager-manager",
                "渠道经理上级审批",
                (Step("channel-manager-manager", "渠道经理的上级", above, sla=sla),),
            )
        )
    return Policy(
        policy_id=f"builtin-{kind}",
        tenant_id=tenant_id,
        kind=kind,
        name="默认审批（渠道经理，50万及以上再经其上级）" if kind == PARTNER_REGISTRATION else "默认审批（渠道经理）",
        version=0,
        position=0,
        criteria="",
        is_default=True,
        stages=tuple(stages),
    )


def choose(
    tenant_id: str,
    kind: str,
    policies: Sequence[Policy],
    facts: Mapping[str, object],
    review_minutes: int = DEFAULT_REVIEW_MINUTES,
) -> Choice:
    """The first active policy of the kind, by position, whose criteria hold
    for the facts (an erring condition does not hold); else the kind's default
    policy; else the built-in default."""
    row = formula_row(facts)
    ordered = sorted(
        (p for p in policies if p.kind == kind and p.active and not p.is_default),
        key=lambda p: (p.position, p.policy_id),
    )
    tried: list[Tried] = []
    chosen: Policy | None = None
    for p in ordered:
        if chosen is not None:
            tried.append(Tried(p.policy_id, p.name, p.version, p.position, p.criteria, "not_reached"))
            continue
        compiled = compile_saved(p.criteria)
        value = True if compiled is None else compiled.evaluate(row)
        if isinstance(value, ExcelError):
            tried.append(Tried(p.policy_id, p.name, p.version, p.position, p.criteria, "error", str(value)))
        elif bool(value):
            chosen = p
            tried.append(Tried(p.policy_id, p.name, p.version, p.position, p.criteria, "matched"))
        else:
            tried.append(Tried(p.policy_id, p.name, p.version, p.position, p.criteria, "not_matched"))
    if chosen is not None:
        reason = f"policy {chosen.name!r} (position {chosen.position}) is the first whose criteria hold"
        return Choice(chosen, reason, tuple(tried))
    default = next((p for p in policies if p.kind == kind and p.active and p.is_default), None)
    if default is not None:
        tried.append(Tried(default.policy_id, default.name, default.version, default.position, "", "default"))
        return Choice(
            default, f"no policy's criteria hold: the default policy {default.name!r} of {kind}", tuple(tried)
        )
    builtin = builtin_default(tenant_id, kind, facts, review_minutes)
    who = "the channel manager" if builtin.stages[0].steps[0].approvers.kind == "channel_manager" else "the manager"
    reason = f"no policy's criteria hold and {kind} has no default policy: the built-in default ({who})"
    return Choice(builtin, reason, tuple(tried))
