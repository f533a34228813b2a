"""Routing rules the business writes: an ordered route list and a scoring
formula per tenant, checked against the field catalogue on save, in saved
versions of which one of each kind is active; and the lead and rep values
formulas read.

Pure: no I/O. Leads and reps come in as domain objects, values go out as the
column arrays `ranking.rank` takes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import numpy as np
from crm_shared import limits
from crm_shared.domain.errors import FieldViolation, InvalidArgument
from crm_shared.formula import CompiledFormula, ExcelError, FieldSpec, FormulaError, check_finite, unusable_formula

from lead_routing.domain.catalogue import lead_only, ranges
from lead_routing.domain.formula import compile_formula
from lead_routing.domain.lead import Lead
from lead_routing.domain.ranking import RouteSpec, first_matching
from lead_routing.domain.rep import RepState
from lead_routing.domain.sla import DEFAULT_COOLDOWN_HOURS, DEFAULT_SLA_HOURS

TARGET_KINDS = ("team", "reps", "key_account", "all", "pool")
SENIORITY_KEY_ACCOUNT = "key_account"
KINDS = ("routes", "formula")
MAX_ROUTES = limits.MAX_ROUTES
# Every formula of a route list is parsed and checked on each save and each
# re-rank: together they hold at most this many characters (one formula: 4,000).
MAX_ROUTE_FORMULA_CHARS = 20_000
MAX_NAME = limits.MAX_NAME  # a route's name or team, characters
MAX_ID = limits.MAX_ID  # a route id or rep id, characters
MAX_TARGET_REPS = limits.MAX_TARGET_REPS


@dataclass(frozen=True)
class Route:
    route_id: str
    name: str
    condition: str = ""
    target_kind: str = "pool"
    team: str = ""
    rep_ids: tuple[str, ...] = ()
    rep_filter: str = ""
    sla_hours: float = DEFAULT_SLA_HOURS
    cooldown_hours: float = DEFAULT_COOLDOWN_HOURS
    # A new lead taking this route goes straight to its best free candidate;
    # the scheduled batch assigns the route's pool leads optimally.
    auto_assign: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"rep_ids": list(self.rep_ids)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Route:
        return cls(**{**data, "rep_ids": tuple(data.get("rep_ids", ()))})


@dataclass(frozen=True)
class CompiledRoute:
    route: Route
    condition: CompiledFormula | None
    rep_filter: CompiledFormula | None


@dataclass(frozen=True)
class RuleSet:
    """What a tenant routes with: compiled routes and formula, and their versions."""

    routes: list[CompiledRoute]
    formula: CompiledFormula
    routes_version: int = 0
    formula_version: int = 0


# A tenant that has not written a formula yet: every candidate scores the same,
# so assignment spreads leads by capacity alone.
DEFAULT_FORMULA = "50"
# A lead no route matches is ranked as if by this one: every rep a candidate.
DEFAULT_ROUTE = Route(route_id="default", name="默认", target_kind="all")
MAX_AUDIT_ENTRIES = limits.MAX_AUDIT_ENTRIES


@dataclass(frozen=True)
class RuleVersion:
    """One saved version of a tenant's routes (kind "routes") or formula (kind "formula")."""

    tenant_id: str
    kind: str
    version: int
    comment: str
    created_by: str
    created_at: datetime
    routes: tuple[Route, ...] = ()
    formula: str = ""
    active: bool = False

    def body(self) -> Any:
        """As stored: a list of routes, or {"formula": text}."""
        return [r.to_json() for r in self.routes] if self.kind == "routes" else {"formula": self.formula}


@dataclass(frozen=True)
class AuditEntry:
    kind: str
    version: int
    action: str  # saved | activated
    actor_id: str
    at: datetime


def compile_saved_routes(cat: Mapping[str, FieldSpec], saved: RuleVersion | None) -> list[CompiledRoute]:
    """A saved route list (none, or an empty one: the default route)."""
    return check_routes(list(saved.routes) if saved and saved.routes else [DEFAULT_ROUTE], cat, saved=True)


def compile_saved_formula(cat: Mapping[str, FieldSpec], saved: RuleVersion | None) -> CompiledFormula:
    """A saved formula (none: the default formula)."""
    return compile_scoring(saved.formula if saved else DEFAULT_FORMULA, cat, saved=True)


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidArgument.field("kind", f"must be one of {', '.join(KINDS)}")


def audit_limit(requested: int) -> int:
    """Entries of the audit trail one call reads: 100 unless asked, at most MAX_AUDIT_ENTRIES."""
    return max(1, min(requested or 100, MAX_AUDIT_ENTRIES))


def compile_rule_set(cat: Mapping[str, FieldSpec], routes: RuleVersion | None, formula: RuleVersion | None) -> RuleSet:
    """The rules saved versions make (none saved: the default route and formula).
    Saved formulas compile leniently (`_compile` with `saved`)."""
    compiled_routes = compile_saved_routes(cat, routes)
    compiled_formula = compile_saved_formula(cat, formula)
    return RuleSet(
        compiled_routes, compiled_formula, routes.version if routes else 0, formula.version if formula else 0
    )


def _compile(
    text: str, cat: Mapping[str, FieldSpec], where: str, result_types: tuple[str, ...], *, saved: bool = False
) -> CompiledFormula:
    """A formula as written (checked over the fields' ranges too: one that can
    overflow is refused), or with `saved` one stored earlier: that one is
    used as it is, and if it no longer compiles (a field removed since, a limit
    added since) it errs for every pair instead of failing every re-rank."""
    try:
        compiled = compile_formula(text, cat, result_types=result_types)
        if not saved:
            check_finite(compiled, ranges(cat))
        return compiled
    except FormulaError as e:
        if saved:
            return unusable_formula(text, result_types[0])
        description = f"line {e.line}, column {e.column}: {e.reason}"
        raise InvalidArgument(f"{where}: {description}", [FieldViolation(where, description)]) from e


def compile_scoring(
    text: str, cat: Mapping[str, FieldSpec], where: str = "formula", *, saved: bool = False
) -> CompiledFormula:
    if not text.strip():
        raise InvalidArgument.field(where, "is required")
    return _compile(text, cat, where, ("number",), saved=saved)


def check_routes(routes: Sequence[Route], cat: Mapping[str, FieldSpec], *, saved: bool = False) -> list[CompiledRoute]:
    """Validate a route list against the catalogue; every problem is named
    by its field path (routes[2].condition, ...) with position and reason.
    `saved`: a stored list, whose formulas compile as `_compile` says."""
    violations: list[FieldViolation] = []
    compiled: list[CompiledRoute] = []
    if len(routes) > MAX_ROUTES:
        raise InvalidArgument.field("routes", f"at most {MAX_ROUTES} routes")
    if not saved and sum(len(r.condition) + len(r.rep_filter) for r in routes) > MAX_ROUTE_FORMULA_CHARS:
        raise InvalidArgument.field(
            "routes", f"the conditions and rep filters together are longer than {MAX_ROUTE_FORMULA_CHARS} characters"
        )
    seen: set[str] = set()
    for i, r in enumerate(routes):
        at = f"routes[{i}]"
        if not r.name.strip():
            violations.append(FieldViolation(f"{at}.name", "is required"))
        if len(r.name) > MAX_NAME:
            violations.append(FieldViolation(f"{at}.name", f"is longer than {MAX_NAME} characters"))
        if len(r.route_id) > MAX_ID:
            violations.append(FieldViolation(f"{at}.route_id", f"is longer than {MAX_ID} characters"))
        if len(r.team) > MAX_NAME:
            violations.append(FieldViolation(f"{at}.target.team", f"is longer than {MAX_NAME} characters"))
        if len(r.rep_ids) > MAX_TARGET_REPS or any(len(x) > MAX_ID for x in r.rep_ids):
            violations.append(
                FieldViolation(f"{at}.target.rep_ids", f"at most {MAX_TARGET_REPS} ids of at most {MAX_ID} characters")
            )
        if r.route_id in seen:
            violations.append(FieldViolation(f"{at}.route_id", f"{r.route_id[:MAX_ID]!r} is used twice"))
        seen.add(r.route_id)
        if r.target_kind not in TARGET_KINDS:
            violations.append(FieldViolation(f"{at}.target.kind", f"must be one of {', '.join(TARGET_KINDS)}"))
        if r.target_kind == "team" and not r.team.strip():
            violations.append(FieldViolation(f"{at}.target.team", "is required for a team target"))
        if r.target_kind == "reps" and not r.rep_ids:
            violations.append(FieldViolation(f"{at}.target.rep_ids", "name at least one rep"))
        if not (0 < r.sla_hours <= 24 * 30):
            violations.append(FieldViolation(f"{at}.sla_hours", "must be between 0 and 720 hours"))
        if not (0 <= r.cooldown_hours <= 24 * 90):
            violations.append(FieldViolation(f"{at}.cooldown_hours", "must be between 0 and 2160 hours"))
        condition = rep_filter = None
        try:
            if r.condition.strip():
                condition = _compile(r.condition, lead_only(cat), f"{at}.condition", ("bool",), saved=saved)
        except InvalidArgument as e:
            violations += e.violations
        try:
            if r.rep_filter.strip():
                rep_filter = _compile(r.rep_filter, cat, f"{at}.rep_filter", ("bool",), saved=saved)
        except InvalidArgument as e:
            violations += e.violations
        compiled.append(CompiledRoute(r, condition, rep_filter))
    if violations:
        summary = "; ".join(f"{v.field}: {v.description}" for v in violations)
        raise InvalidArgument(summary, violations)
    return compiled


def new_route(
    position: int,
    *,
    route_id: str = "",
    name: str = "",
    condition: str = "",
    target_kind: str = "",
    team: str = "",
    rep_ids: Sequence[str] = (),
    rep_filter: str = "",
    sla_hours: float = 0,
    cooldown_hours: float = 0,
    auto_assign: bool = False,
) -> Route:
    """A route as written, with the defaults filled in (0 hours = the default)."""
    return Route(
        route_id=route_id.strip() or f"route-{position + 1}",
        name=name.strip(),
        condition=condition.strip(),
        target_kind=target_kind.strip() or "pool",
        team=team.strip(),
        rep_ids=tuple(dict.fromkeys(x.strip() for x in rep_ids if x.strip())),
        rep_filter=rep_filter.strip(),
        sla_hours=sla_hours or DEFAULT_SLA_HOURS,
        cooldown_hours=cooldown_hours or DEFAULT_COOLDOWN_HOURS,
        auto_assign=bool(auto_assign),
    )


# ---------------------------------------------------------------- values


def _yuan(minor: int | None) -> float | None:
    return None if minor is None else minor / 100


def lead_values(lead: Lead) -> dict[str, Any]:
    """A lead as catalogue values; None is blank."""
    district, city = lead.district, lead.city
    values = {
        "公司名称": lead.company_name or None,
        "来源": lead.source or None,
        "省份": lead.province or None,
        "城市": city or None,
        "区县": district or None,
        "行政区划": district or city or None,
        "地址": lead.address or None,
        "行业标签": list(lead.industry_tags) or None,
        "预算": _yuan(lead.budget_minor),
        "年营业额": _yuan(lead.annual_revenue_minor),
        "近6月采购金额": _yuan(lead.purchases_6m_minor),
        "近3月订单数": None if lead.orders_3m is None else float(lead.orders_3m),
        "纬度": lead.latitude,
        "经度": lead.longitude,
        "内容偏好": lead.content_preference or None,
        "预算归属": lead.budget_attribution or None,
    }
    for name, value in (lead.custom_fields or {}).items():
        values.setdefault(name, value)
    return values


def rep_values(state: RepState) -> dict[str, Any]:
    p = state.rep
    return {
        "销售员": p.rep_id,
        "销售员所在地": p.region or None,
        "团队": p.team or None,
        "籍贯": p.native_place or None,
        "语言": list(p.languages) or None,
        "擅长行业": list(p.industries) or None,
        "职级": p.seniority or None,
        "容量": float(state.capacity),
        "在手线索数": float(state.open_leads),
        "历史转化率": state.conversion,
        "近3月成交客户位置": list(state.won_points) or None,
    }


def columns(rows: Sequence[Mapping[str, Any]], cat: Mapping[str, FieldSpec], owner: str) -> dict[str, np.ndarray]:
    """Values by field into the column arrays rank() takes: numbers float64
    with NaN for blank, everything else object arrays with None for blank."""
    out: dict[str, np.ndarray] = {}
    for name, spec in cat.items():
        if spec.owner != owner:
            continue
        if spec.type == "number":
            out[name] = np.array([np.nan if r.get(name) is None else float(r[name]) for r in rows], dtype=np.float64)
        else:
            col = np.empty(len(rows), dtype=object)
            for i, r in enumerate(rows):
                col[i] = r.get(name)
            out[name] = col
    return out


def targets(route: Route, rep: RepState) -> bool:
    """Whether a route's target names a rep: its team, its listed reps, the
    key-account reps, or everyone. A pool route names no one: its leads stay
    in the pool, where any rep may claim them."""
    if route.target_kind == "team":
        return rep.rep.team == route.team
    if route.target_kind == "reps":
        return rep.rep_id in route.rep_ids
    if route.target_kind == "key_account":
        return rep.rep.seniority == SENIORITY_KEY_ACCOUNT
    return route.target_kind == "all"


def route_specs(routes: Sequence[CompiledRoute], reps: Sequence[RepState]) -> list[RouteSpec]:
    """Each route's candidate set as a bool array over `reps`."""
    return [
        RouteSpec(
            cr.route.route_id,
            cr.condition,
            cr.rep_filter,
            np.array([targets(cr.route, x) for x in reps], dtype=bool),
            to_pool=cr.route.target_kind == "pool",
        )
        for cr in routes
    ]


def matching_route(routes: Sequence[CompiledRoute], lead: Mapping[str, Any]) -> CompiledRoute | None:
    """The route one lead (catalogue values) takes: `ranking.first_matching`'s, None when none matches."""
    conditions = [cr.condition for cr in routes]
    fields = {n: s for c in conditions if c is not None for n, s in c.fields.items()}
    k = int(first_matching(columns([lead], fields, "lead"), conditions, n_leads=1)[0])
    return routes[k] if k >= 0 else None


def in_candidate_set(cr: CompiledRoute | None, lead: Mapping[str, Any], rep: RepState) -> bool:
    """Whether a rep is among a route's candidates for a lead (availability aside).
    No route matched, or a pool route: anyone may take it from the pool."""
    if cr is None:
        return True
    if cr.route.target_kind != "pool" and not targets(cr.route, rep):
        return False
    return passes_rep_filter(cr, lead, rep)


def passes_rep_filter(cr: CompiledRoute | None, lead: Mapping[str, Any], rep: RepState) -> bool:
    """Whether a rep passes a route's rep filter for a lead (no filter: everyone does)."""
    return cr is None or cr.rep_filter is None or _truth(cr.rep_filter.evaluate({**lead, **rep_values(rep)}))


def _truth(value: Any) -> bool:
    return not isinstance(value, ExcelError) and bool(value)
