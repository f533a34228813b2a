"""A dry run: what draft rules would do to today's open leads, beside what
the active rules do. Pure: both rankings come in, the tally goes out."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared import limits

from lead_routing.domain.pool import Pool

DRY_RUN_MAX_LEADS = 1000  # per-lead rows returned; the summary covers every open lead
MAX_CANDIDATES_PER_LEAD = limits.MAX_CANDIDATES_PER_LEAD


@dataclass(frozen=True)
class DryRunLead:
    lead_id: str
    company_name: str
    route_id: str
    route_name: str
    to_pool: bool
    candidates: list[tuple[str, float]]
    owner_id: str


@dataclass(frozen=True)
class DryRunSummary:
    open_leads: int
    per_route: list[tuple[str, str, int]]  # (route id, name, leads), in the draft's order
    unmatched: int
    to_pool: int
    without_candidates: int
    changed_best_candidate: int


def candidates_per_lead(requested: int) -> int:
    """3 unless asked, at most MAX_CANDIDATES_PER_LEAD."""
    return max(1, min(requested or 3, MAX_CANDIDATES_PER_LEAD))


def tally(draft: Pool, current: Pool, per_lead: int) -> tuple[list[DryRunLead], DryRunSummary]:
    """Per lead (the first DRY_RUN_MAX_LEADS) the draft's route and best
    candidates; over every lead, how many each route takes, how many match no
    route, go to the pool, have no candidate, and whose best candidate differs
    from the current rules'. Both pools rank the same leads and reps."""
    per_route: dict[str, list] = {cr.route.route_id: [cr.route.name, 0] for cr in draft.rules.routes}
    out: list[DryRunLead] = []
    unmatched = to_pool = without = changed = 0
    for i, lead in enumerate(draft.leads):
        cr = draft.route(i)
        cands = draft.candidates(i)
        old = current.candidates(i)
        if (cands[0][0] if cands else None) != (old[0][0] if old else None):
            changed += 1
        pooled = bool(cr and cr.route.target_kind == "pool")
        if cr is None:
            unmatched += 1
        else:
            per_route[cr.route.route_id][1] += 1
            to_pool += pooled
        if not cands and not pooled:
            without += 1
        if i < DRY_RUN_MAX_LEADS:
            out.append(
                DryRunLead(
                    lead_id=lead.lead_id,
                    company_name=lead.company_name,
                    route_id=cr.route.route_id if cr else "",
                    route_name=cr.route.name if cr else "",
                    to_pool=pooled,
                    candidates=[(draft.reps[r].rep_id, s) for r, s in cands[:per_lead]],
                    owner_id=lead.owner_id or "",
                )
            )
    summary = DryRunSummary(
        open_leads=len(draft.leads),
        per_route=[(rid, name, n) for rid, (name, n) in per_route.items()],
        unmatched=unmatched,
        to_pool=to_pool,
        without_candidates=without,
        changed_best_candidate=changed,
    )
    return out, summary
