"""Which policy a request gets: the first active policy of its kind, by
position, whose criteria hold for the request's facts; else the kind's default
policy; else the built-in default (the requester's manager). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crm_shared.formula import ExcelError

from approval.domain.facts import formula_row
from approval.domain.policy import ApproverRule, Policy, Stage, Step, compile_saved


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


def builtin_default(tenant_id: str, kind: str) -> Policy:
    """What a tenant that wrote no policy for a kind gets: one stage, one step,
    the requester's manager decides (an admin when there is none)."""
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


def choose(tenant_id: str, kind: str, policies: Sequence[Policy], facts: Mapping[str, object]) -> Choice:
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
    builtin = builtin_default(tenant_id, kind)
    reason = f"no policy's criteria hold and {kind} has no default policy: the built-in default (the manager)"
    return Choice(builtin, reason, tuple(tried))
