"""The pool as ranked: open leads scored against the tenant's reps under the
active rules (cool-downs dropped), grouped per lead best first; and what a
push says about a lead."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

import numpy as np
from crm_shared import roles
from crm_shared.formula import FieldSpec

from lead_routing.domain.lead import Lead
from lead_routing.domain.ranking import Ranking, first_matching, rank
from lead_routing.domain.rep import RepState
from lead_routing.domain.rule_set import (
    CompiledRoute,
    RuleSet,
    columns,
    lead_values,
    rep_values,
    route_specs,
)
from lead_routing.domain.sla import business_time


@dataclass
class Pool:
    """One ranking of some open leads against the tenant's reps."""

    rules: RuleSet
    leads: list[Lead]  # a lead given away in this unit of work is replaced by its new state
    lead_vals: list[dict[str, Any]]
    reps: list[RepState]
    rep_vals: list[dict[str, Any]]
    ranking: Ranking
    # eligible pairs sorted by lead, best score first; groups[i] = (start, end) of lead i
    lead_idx: np.ndarray
    rep_idx: np.ndarray
    score: np.ndarray
    groups: dict[int, tuple[int, int]]
    # (lead, rep) -> until of the leads' cool-downs, past ones too (a claim names the bar)
    cooldowns: dict[tuple[str, str], datetime] = field(default_factory=dict)

    @cached_property
    def rep_index(self) -> dict[str, int]:
        """Each rep's index in `reps`."""
        return {r.rep_id: k for k, r in enumerate(self.reps)}

    def route(self, i: int) -> CompiledRoute | None:
        k = int(self.ranking.route_index[i]) if len(self.ranking.route_index) else -1
        return self.rules.routes[k] if k >= 0 else None

    def candidates(self, i: int, limit: int | None = None) -> list[tuple[int, float]]:
        """(rep index, score) of lead i's candidates, best first; the first `limit`."""
        start, end = self.groups.get(i, (0, 0))
        if limit is not None:
            end = min(end, start + limit)
        return list(zip(self.rep_idx[start:end].tolist(), self.score[start:end].tolist(), strict=True))

    def rank_of(self, i: int, r: int | None) -> tuple[int, int]:
        """Rep index r's place among lead i's candidates (1 = best; 0 when not
        among them) and how many candidates the lead has."""
        start, end = self.groups.get(i, (0, 0))
        hit = np.flatnonzero(self.rep_idx[start:end] == r) if r is not None else ()
        return (int(hit[0]) + 1 if len(hit) else 0), end - start

    def score_of(self, i: int, r: int) -> float | None:
        """Lead i's score with rep index r; None if r is not among its candidates."""
        start, end = self.groups.get(i, (0, 0))
        hit = np.flatnonzero(self.rep_idx[start:end] == r)
        return float(self.score[start + hit[0]]) if len(hit) else None


def _fields(rules: RuleSet) -> dict[str, FieldSpec]:
    fields = dict(rules.formula.fields)
    for cr in rules.routes:
        for f in (cr.condition, cr.rep_filter):
            if f is not None:
                fields |= f.fields
    return fields


def rank_pool(rules: RuleSet, lead_rows: list[Lead], reps: list[RepState], barred: set[tuple[str, str]]) -> Pool:
    """Rank leads x reps with the rules; pairs in `barred` (cool-downs) are dropped."""
    lead_vals = [lead_values(r) for r in lead_rows]
    rep_vals = [rep_values(r) for r in reps]
    fields = _fields(rules)
    ranking = rank(
        columns(lead_vals, fields, "lead"),
        columns(rep_vals, fields, "rep"),
        route_specs(rules.routes, reps),
        rules.formula,
        np.array([r.available for r in reps], dtype=bool),
        n_leads=len(lead_rows),
        n_reps=len(reps),
    )
    li, ri, sc = ranking.lead_idx, ranking.rep_idx, ranking.score
    if barred and len(li):
        lead_pos = {r.lead_id: i for i, r in enumerate(lead_rows)}
        rep_pos = {r.rep_id: j for j, r in enumerate(reps)}
        keys = [lead_pos[a] * len(reps) + rep_pos[b] for a, b in barred if a in lead_pos and b in rep_pos]
        keep = ~np.isin(li.astype(np.int64) * len(reps) + ri, np.array(keys, dtype=np.int64))
        li, ri, sc = li[keep], ri[keep], sc[keep]
    li, ri, sc = _best_first(li, ri, sc, len(lead_rows), len(reps))
    groups: dict[int, tuple[int, int]] = {}
    if len(li):
        starts = np.r_[0, np.flatnonzero(np.diff(li)) + 1]
        ends = np.r_[starts[1:], len(li)]
        groups = {int(li[s]): (int(s), int(e)) for s, e in zip(starts, ends, strict=True)}
    return Pool(rules, lead_rows, lead_vals, reps, rep_vals, ranking, li, ri, sc, groups)


def _best_first(
    li: np.ndarray, ri: np.ndarray, sc: np.ndarray, n_leads: int, n_reps: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs by lead, best score first, then by rep. One int64 key per
    pair (lead, the float32 score's bits made to sort descending, rep),
    sorted in place and decoded back: several times faster than a three-key
    lexsort over millions of pairs, with the same order (the keys are
    distinct: one pair per lead and rep). Pairs whose keys would not fit 63
    bits, or with a -0.0 score (which ties with 0.0), take the lexsort."""
    lead_bits, rep_bits = max(n_leads - 1, 1).bit_length(), max(n_reps - 1, 1).bit_length()
    bits = sc.view(np.uint32) if sc.dtype == np.float32 else None
    if bits is None or lead_bits + 32 + rep_bits > 63 or (bits == 0x80000000).any():
        order = np.lexsort((ri, -sc.astype(np.float64), li))
        return li[order], ri[order], sc[order]
    # a float's bits as an unsigned int sort as the float does once the sign bit is set (>= 0) or
    # every bit flipped (< 0); flipped again for best first
    flip = (bits >> 31) * np.uint32(0x7FFFFFFF) | np.uint32(0x80000000)
    np.bitwise_xor(bits, flip, out=flip)
    np.invert(flip, out=flip)
    key = li.astype(np.int64)
    key <<= 32
    key |= flip
    key <<= rep_bits
    key |= ri
    key.sort()
    out_ri = (key & ((1 << rep_bits) - 1)).astype(np.int32)
    key >>= rep_bits
    desc = (key & 0xFFFFFFFF).astype(np.uint32)
    key >>= 32
    np.invert(desc, out=desc)
    desc ^= np.where(desc >> 31 == 1, np.uint32(0x80000000), np.uint32(0xFFFFFFFF))
    return key.astype(np.int32), out_ri, desc.view(np.float32)


def routes_taken(rules: RuleSet, lead_rows: Sequence[Lead]) -> list[CompiledRoute | None]:
    """The route each lead takes under the rules, as `rank_pool` routes it (None: none matched)."""
    conditions = [cr.condition for cr in rules.routes]
    fields = {n: s for c in conditions if c is not None for n, s in c.fields.items()}
    if not lead_rows:
        return []
    taken = first_matching(
        columns([lead_values(r) for r in lead_rows], fields, "lead"), conditions, n_leads=len(lead_rows)
    )
    return [rules.routes[k] if k >= 0 else None for k in taken.tolist()]


def first_free_candidates(pool: Pool, leads: Sequence[int]) -> list[tuple[int, RepState]]:
    """Leads (pool indexes) each to its best candidate still taking leads,
    in the order given: a rep given some here is full sooner for the next
    (capacity counts them; leave and cool-downs as ranked). (lead, rep) picks;
    a lead no candidate can take is left out."""
    given: dict[int, int] = {}
    picks = []
    for i in leads:
        for r, _score in pool.candidates(i):
            rep = pool.reps[r]
            if rep.available and rep.open_leads + given.get(r, 0) < rep.capacity:
                given[r] = given.get(r, 0) + 1
                picks.append((i, rep))
                break
    return picks


def key_need(lead: Lead) -> str:
    """The push's body: what the customer needs, in a line or two."""
    parts = []
    if lead.industry_tags:
        parts.append("行业: " + "、".join(lead.industry_tags))
    if lead.budget_minor:
        parts.append(f"预算: {lead.budget_minor / 100:,.0f} 元")
    if lead.district or lead.city:
        parts.append("地区: " + lead.city + lead.district)
    parts.append(f"来源: {lead.source}")
    return " · ".join(parts)


PUSH_DIGEST_AFTER = 3  # more leads than this for one rep at once (a rule change, a batch): one digest push


@dataclass(frozen=True)
class Push:
    """A message to a rep: about one lead, or a digest of many."""

    rep_id: str
    kind: str
    subject_type: str  # lead | pool
    subject_id: str
    title: str
    body: str


def high_match_pushes(matches: Sequence[tuple[str, Lead, float]]) -> list[Push]:
    """(rep, lead, score) newly at or over the push threshold: a push per lead
    with its score and key need, or for a rep with many at once one digest,
    best matches first, so neither their phone nor the group robot is flooded."""

    def digest(items: list[tuple[Lead, float]]) -> tuple[str, str]:
        best = sorted(items, key=lambda m: -m[1])
        listed = _listed([f"{lead.company_name}({score:g})" for lead, score in best])
        return f"{len(items)} 条新线索匹配度达标", f"{listed} · 请到公海查看"

    return _per_rep(matches, "lead.high_match", lambda lead, score: f"匹配度 {score:g} · " + key_need(lead), digest)


def assignment_pushes(given: Sequence[tuple[str, Lead, datetime]]) -> list[Push]:
    """(rep, lead, first-touch deadline) given to reps by someone else: a push
    per lead with its key need and deadline (Beijing time), or for a rep
    given many at once (a batch) one digest with the earliest deadline."""

    def digest(items: list[tuple[Lead, datetime]]) -> tuple[str, str]:
        listed = _listed([lead.company_name for lead, _ in items])
        first_due = business_time(min(due for _, due in items))
        return f"为您分配了 {len(items)} 条线索", f"{listed} · 最早首次跟进截止: {first_due} (北京时间)"

    def text(lead: Lead, due: datetime) -> str:
        return key_need(lead) + f" · 首次跟进截止: {business_time(due)} (北京时间)"

    return _per_rep(given, "lead.assigned", text, digest)


def _per_rep(
    items: Sequence[tuple[str, Lead, Any]],
    kind: str,
    text: Callable[[Lead, Any], str],
    digest: Callable[[list[tuple[Lead, Any]]], tuple[str, str]],
) -> list[Push]:
    per_rep: dict[str, list[tuple[Lead, Any]]] = {}
    for rep_id, lead, detail in items:
        per_rep.setdefault(rep_id, []).append((lead, detail))
    out = []
    for rep_id, leads in per_rep.items():
        if len(leads) > PUSH_DIGEST_AFTER:
            out.append(Push(rep_id, f"{kind}_digest", "pool", "", *digest(leads)))
            continue
        out += [Push(rep_id, kind, "lead", lead.lead_id, lead.company_name, text(lead, d)) for lead, d in leads]
    return out


def _listed(names: list[str]) -> str:
    shown = "、".join(names[:PUSH_DIGEST_AFTER])
    return f"{shown} 等 {len(names)} 条" if len(names) > PUSH_DIGEST_AFTER else shown


@dataclass(frozen=True)
class PoolEntry:
    """An unowned open lead as the pool lists it: its route and best candidates
    at the last re-rank (for a rep, only their own score)."""

    lead_id: str
    company_name: str
    source: str
    created_at: datetime
    route_id: str = ""
    route_name: str = ""
    ranked_at: datetime | None = None
    candidates: tuple[tuple[str, float], ...] = ()
    score: float | None = None  # the listing rep's own score, which orders a rep's pool


@dataclass(frozen=True)
class StoredRanking:
    """What a re-rank stores: each lead's (lead, route id, route name, to pool)
    and its best candidates' (lead, rep, position, score), position 0 = best."""

    ranked_at: datetime
    routes: list[tuple[str, str, str, bool]]
    scores: list[tuple[str, str, int, float]]


def to_store(
    pool: Pool, top_n: int, push_threshold: float, now: datetime
) -> tuple[StoredRanking, list[tuple[Lead, str, float]]]:
    """The ranking to store (each lead's route and top_n candidates) and the
    (unowned lead, rep, score) pairs at or over the push threshold, in lead
    order, best first. The candidates are picked with array operations (a
    whole-tenant re-rank has millions of pairs)."""
    per_route = [(cr.route.route_id, cr.route.name, cr.route.target_kind == "pool") for cr in pool.rules.routes]
    route_index = pool.ranking.route_index.tolist() if len(pool.ranking.route_index) else [-1] * len(pool.leads)
    routes = [
        (lead.lead_id, *(per_route[k] if k >= 0 else ("", "", False)))
        for lead, k in zip(pool.leads, route_index, strict=True)
    ]
    li = pool.lead_idx
    if not len(li):
        return StoredRanking(now, routes, []), []
    first = np.r_[0, np.flatnonzero(np.diff(li)) + 1]  # pairs are grouped by lead, best first
    end = np.r_[first[1:], len(li)]
    at = first[:, None] + np.arange(top_n)[None, :]  # each lead's first top_n pairs, those it has
    has = at < end[:, None]
    kept, position = at[has], np.broadcast_to(np.arange(top_n), at.shape)[has]
    leads, rep_ids = pool.leads, [r.rep_id for r in pool.reps]
    lead_at, rep_at = li[kept].tolist(), pool.rep_idx[kept].tolist()
    scores_at = pool.score[kept].tolist()
    scores = [
        (leads[i].lead_id, rep_ids[r], p, s)
        for i, r, p, s in zip(lead_at, rep_at, position.tolist(), scores_at, strict=True)
    ]
    hot = [
        (leads[i], rep_ids[r], s)
        for i, r, s in zip(lead_at, rep_at, scores_at, strict=True)
        if s >= push_threshold and not leads[i].owner_id
    ]
    return StoredRanking(now, routes, scores), hot


def pool_candidate_filter(user_id: str, role: str) -> str | None:
    """Whose candidacies a pool listing shows: a rep only the leads they are a
    candidate for (with their own score); managers and admins every candidate."""
    return user_id if role == roles.REP else None


def pool_page_key(entry: PoolEntry) -> tuple[list[str | float | int], str]:
    """Where a page of the pool ends, as a sort key and id for a page token:
    (has a score, the score, created at) and the lead id."""
    scored = entry.score is not None
    return [int(scored), entry.score if scored else 0.0, entry.created_at.isoformat()], entry.lead_id


def pool_page_after(key: tuple, lead_id: str) -> PoolEntry:
    """The position a page token names (pool_page_key's inverse); ValueError for one it did not make."""
    scored, score, created = key
    if scored not in (0, 1) or not isinstance(score, int | float) or not isinstance(created, str):
        raise ValueError("not a pool position")
    at = datetime.fromisoformat(created)
    if at.tzinfo is None:
        raise ValueError("not a pool position")
    return PoolEntry(lead_id, "", "", at, score=float(score) if scored else None)
