"""Assignments: a lead given to a rep (claimed, by a manager, automatically or
re-routed after a reclaim), with the explanation of why stored beside it, and
the preconditions each way of taking a lead must meet."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

import numpy as np
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, FailedPrecondition, NotFound, PermissionDenied, Violation
from crm_shared.ids import new_id

from lead_routing.domain.lead import Lead
from lead_routing.domain.pool import Pool
from lead_routing.domain.ranking import explain_pair
from lead_routing.domain.rep import RepState
from lead_routing.domain.rule_set import DEFAULT_ROUTE, rep_values
from lead_routing.domain.sla import TakeCheck, check_take, first_touch_due

MODES = ("claim", "manager", "auto", "reroute")
RUNNERS_UP = 5  # candidates an explanation names beside the chosen rep


def render_value(value: Any) -> str:
    """A formula value as the explanation shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:g}" if abs(value) < 1e15 else f"{value:.0f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(render_value(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Explanation:
    route_id: str
    route_name: str
    route_condition: str
    routes_version: int
    formula: str
    formula_version: int
    score: float
    terms: list[tuple[str, str]]
    runners_up: list[tuple[str, float]]
    capacity: int
    open_leads: int
    notes: list[str] = field(default_factory=list)
    rank: int = 0  # the rep's place among the lead's candidates then (1 = best; 0 = not among them)
    candidates: int = 0  # how many candidates the lead had then

    def to_json(self) -> dict[str, Any]:
        # not dataclasses.asdict (its deep copy took a quarter of a 10,000-lead batch assignment), nor
        # fields() per call; the (text, value) and (rep, score) pairs are written as JSON arrays as they are
        data = {name: getattr(self, name) for name in _EXPLANATION_FIELDS}
        data["terms"] = list(self.terms)
        data["runners_up"] = list(self.runners_up)
        data["notes"] = list(self.notes)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Explanation:
        known = {f.name for f in fields(cls)}
        return cls(
            **{
                **{k: v for k, v in data.items() if k in known},
                "terms": [tuple(t) for t in data.get("terms", [])],
                "runners_up": [(str(a), float(b)) for a, b in data.get("runners_up", [])],
                "notes": list(data.get("notes", [])),
            }
        )


_EXPLANATION_FIELDS = tuple(f.name for f in fields(Explanation))


@dataclass(frozen=True)
class Assignment:
    """One assignment of a lead to a rep; ended_at/end_reason ("released",
    "reclaimed", "converted", "lost", "reassigned") once it is over."""

    assignment_id: str
    tenant_id: str
    lead_id: str
    rep_id: str
    mode: str  # one of MODES
    actor_id: str
    route_id: str
    route_name: str
    score: float
    explanation: Explanation
    cooldown_hours: float
    assigned_at: datetime
    first_touch_due: datetime
    first_touched_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None


def explain(pool: Pool, i: int, rep: RepState, load: int, now: datetime, *, mode: str, actor: str) -> Assignment:
    """The assignment of lead i of the pool to a rep holding `load` open leads,
    with the explanation of why: the route, the formula's terms for the pair,
    the runners-up and the rep's place among the candidates."""
    return explain_many(pool, [(i, rep, load)], now, mode=mode, actor=actor)[0]


def explain_many(
    pool: Pool, picks: Sequence[tuple[int, RepState, int]], now: datetime, *, mode: str, actor: str
) -> list[Assignment]:
    """`explain` for each (lead i, rep, load): a batch of thousands works out
    each rep's field values, the formula's term texts and each deadline once."""
    texts: dict[int, str] = {}  # the formula's term texts, by node
    rep_vals: dict[int, dict[str, Any]] = {}  # by RepState: an assignment may read a rep afresh
    due: dict[float, datetime] = {}
    formula = pool.rules.formula
    out = []
    for i, rep, load in picks:
        lead, lead_vals = pool.leads[i], pool.lead_vals[i]
        vals = rep_vals.get(id(rep))
        if vals is None:
            vals = rep_vals[id(rep)] = rep_values(rep)
        r = pool.rep_index.get(rep.rep_id)
        cr = pool.route(i)
        route = cr.route if cr else DEFAULT_ROUTE
        start, end = pool.groups.get(i, (0, 0))
        hit = np.flatnonzero(pool.rep_idx[start:end] == r) if r is not None else ()
        at = int(hit[0]) if len(hit) else -1
        if at >= 0:
            score = float(pool.score[start + at])
        else:  # a manager's pick outside the candidates
            score = float(formula.score({**lead_vals, **vals}).value)
        terms = [(text, render_value(value)) for text, value in explain_pair(lead_vals, vals, formula, texts)]
        top = min(end, start + RUNNERS_UP + 1)
        best = zip(pool.rep_idx[start:top].tolist(), pool.score[start:top].tolist(), strict=True)
        runners_up = [(pool.reps[k].rep_id, s) for k, s in best if k != r]
        explanation = Explanation(
            route_id=route.route_id if cr else "",
            route_name=route.name if cr else "",
            route_condition=route.condition if cr else "",
            routes_version=pool.rules.routes_version,
            formula=formula.text,
            formula_version=pool.rules.formula_version,
            score=score,
            terms=terms,
            runners_up=runners_up[:RUNNERS_UP],
            capacity=rep.capacity,
            open_leads=load,
            rank=at + 1,
            candidates=end - start,
        )
        if route.sla_hours not in due:
            due[route.sla_hours] = first_touch_due(now, route.sla_hours)
        out.append(
            Assignment(
                assignment_id=new_id(),
                tenant_id=lead.tenant_id,
                lead_id=lead.lead_id,
                rep_id=rep.rep_id,
                mode=mode,
                actor_id=actor,
                route_id=explanation.route_id,
                route_name=explanation.route_name,
                score=score,
                explanation=explanation,
                cooldown_hours=route.cooldown_hours,
                assigned_at=now,
                first_touch_due=due[route.sla_hours],
            )
        )
    return out


# ---------------------------------------------------------------- preconditions


def check_claimable(lead: Lead, rep_id: str) -> None:
    """What a claim refuses before anything else is read: a lead already the
    rep's, and one another rep owns (the loser of two claims at once ends here,
    or at the conditional update)."""
    if lead.owner_id == rep_id:
        raise FailedPrecondition(
            f"lead {lead.lead_id} is already yours", [Violation("lead", lead.lead_id, "is already yours")]
        )
    if lead.owner_id and lead.status == "open":
        raise Conflict(f"lead {lead.lead_id} was already claimed by another rep")


def require_open(lead: Lead) -> None:
    if lead.status != "open":
        raise FailedPrecondition(
            f"lead {lead.lead_id} is {lead.status}", [Violation("lead", lead.lead_id, f"is {lead.status}, not open")]
        )


def require_profile(rep: RepState | None, rep_id: str) -> RepState:
    if rep is None:
        raise FailedPrecondition(
            f"{rep_id} has no rep profile", [Violation("rep", rep_id, "has no rep profile (PUT /v1/reps/{rep_id})")]
        )
    return rep


def check_claim(
    rep: RepState, now: datetime, *, claims_today: int, cooldown: datetime | None, in_candidate_set: bool
) -> None:
    """A rep claiming: their daily claim limit, capacity, leave, any cool-down
    on the lead, and the route's candidate set."""
    check_take(
        TakeCheck(
            rep_id=rep.rep_id,
            capacity=rep.capacity,
            open_leads=rep.open_leads,
            claims_today=claims_today,
            daily_claim_limit=rep.rep.daily_claim_limit,
            cooldown_until=cooldown,
            active=rep.rep.active,
            on_leave=rep.on_leave,
            in_candidate_set=in_candidate_set,
        ),
        now,
    )


def check_manager_assignment(
    caller: Caller, lead: Lead, rep: RepState, now: datetime, cooldown: datetime | None
) -> None:
    """A manager gives a lead to one of their reps (an admin to anyone):
    capacity, leave and cool-downs hold, the route's candidate set does not."""
    if caller.role == "manager" and rep.rep_id != caller.user_id and rep.rep.manager_id != caller.user_id:
        raise PermissionDenied(f"{rep.rep_id} is not one of your reps")
    if lead.owner_id == rep.rep_id:
        raise FailedPrecondition(
            f"lead {lead.lead_id} is already {rep.rep_id}'s",
            [Violation("lead", lead.lead_id, f"is already {rep.rep_id}'s")],
        )
    check_take(
        TakeCheck(
            rep_id=rep.rep_id,
            capacity=rep.capacity,
            open_leads=rep.open_leads,
            cooldown_until=cooldown,
            active=rep.rep.active,
            on_leave=rep.on_leave,
        ),
        now,
    )


def check_release(caller: Caller, lead: Lead) -> str:
    """The owner, their manager or an admin gives an owned open lead back;
    returns the owner. A rep may not release another's lead (not found)."""
    if lead.status != "open" or not lead.owner_id:
        raise FailedPrecondition(
            f"lead {lead.lead_id} is not an owned open lead",
            [Violation("lead", lead.lead_id, "is not owned or not open")],
        )
    if caller.role == "rep" and lead.owner_id != caller.user_id:
        raise NotFound(f"lead {lead.lead_id} not found")
    return lead.owner_id
