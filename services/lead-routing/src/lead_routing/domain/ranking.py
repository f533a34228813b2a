"""Re-ranking the pool: which route each open lead takes and the score of every
eligible (lead, rep) pair, vectorised over all pairs.

The first route whose condition holds for a lead decides its candidates: the
route's target reps that are available and pass the route's rep filter for
that lead. Every candidate pair is scored with the tenant's formula; a pair
whose formula errs (#DIV/0!, #N/A, or #NUM!: a number too large to compute or
a score beyond ±MAX_SCORE) scores 0, so every score is finite. Text columns are turned into integer codes once,
conditions run only over the leads still unrouted, and each route's filter and
the formula only over that route's leads x that route's reps, in chunks that
bound memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from crm_shared.formula import (
    Call,
    Column,
    CompiledFormula,
    Const,
    ExcelError,
    FieldSpec,
    Node,
    Ref,
    Vocabulary,
    prepare_columns,
)
from crm_shared.formula import render as _render

__all__ = ["MAX_TERMS", "Ranking", "RouteSpec", "explain_pair", "first_matching", "rank"]

_CHUNK_PAIRS = 1 << 18  # pairs evaluated at once: bounds the temporaries (about 2 MB each)
# An explanation is stored with every assignment: at most this many terms, each
# cut to MAX_TERM_TEXT characters (a formula may have 1,000 nodes and 4,000 characters).
MAX_TERMS = 40
MAX_TERM_TEXT = 200


@dataclass(frozen=True)
class RouteSpec:
    route_id: str
    condition: CompiledFormula | None  # logical formula over LEAD fields; None matches every lead
    rep_filter: CompiledFormula | None  # logical formula over lead AND rep fields; None = all target reps
    target: np.ndarray  # bool (R,): reps in the route's candidate set; all False with to_pool=True = stays in the pool
    to_pool: bool = False


@dataclass(frozen=True)
class Ranking:
    route_index: np.ndarray  # int32 (L,): index of the first matching route, -1 = none matched
    lead_idx: np.ndarray  # int32 (N,): eligible pairs; a lead's pairs are contiguous, by rep index
    rep_idx: np.ndarray  # int32 (N,)
    score: np.ndarray  # float32 (N,)


def rank(
    leads: Mapping[str, np.ndarray],
    reps: Mapping[str, np.ndarray],
    routes: Sequence[RouteSpec],
    formula: CompiledFormula,
    rep_available: np.ndarray | None = None,
    *,
    n_leads: int | None = None,
    n_reps: int | None = None,
) -> Ranking:
    """Columns: numbers float64 with NaN for blank; text, tags and points
    object arrays with None for blank; only the fields the formulas read are
    needed. `rep_available` (bool (R,)) leaves out reps on leave or at capacity.

    `n_leads` and `n_reps` are the numbers of leads and reps; a formula that
    reads no lead (or no rep) field leaves nothing to count them by, so they
    are required when the corresponding columns are empty, and every column
    given must have that length."""
    n_leads = _count(leads, n_leads, "lead")
    if n_reps is None and rep_available is not None:
        n_reps = len(rep_available)
    if n_reps is None and not reps and routes:
        n_reps = len(routes[0].target)
    n_reps = _count(reps, n_reps, "rep")
    if rep_available is not None and len(rep_available) != n_reps:
        raise ValueError("rep_available must have one entry per rep")
    formulas = [formula] + [f for r in routes for f in (r.condition, r.rep_filter) if f is not None]
    for r in routes:
        if r.condition is not None and any(s.owner != "lead" for s in r.condition.fields.values()):
            raise ValueError(f"route {r.route_id}: a route condition reads lead fields only")
        if np.shape(r.target) != (n_reps,):
            raise ValueError(f"route {r.route_id}: target must be a bool array of one entry per rep")
    fields: dict[str, FieldSpec] = {}
    for f in formulas:
        fields |= f.fields
    lead_fields = {n: s for n, s in fields.items() if s.owner == "lead"}
    rep_fields = {n: s for n, s in fields.items() if s.owner == "rep"}
    vocab = Vocabulary.of(
        set().union(*(f.texts for f in formulas)),
        [leads[n] for n, s in lead_fields.items() if s.type == "text"],
        [reps[n] for n, s in rep_fields.items() if s.type == "text"],
    )
    lead_cols = prepare_columns(leads, lead_fields, vocab)
    rep_cols = prepare_columns(reps, rep_fields, vocab)
    available = np.ones(n_reps, dtype=bool) if rep_available is None else np.asarray(rep_available, dtype=bool)

    route_index = _route_index([r.condition for r in routes], lead_cols, vocab, n_leads)

    # Pairs are written straight into arrays sized for every candidate pair;
    # pages past the pairs that pass the filters are never touched.
    plan = []
    for k, route in enumerate(routes):
        candidates = np.flatnonzero(np.asarray(route.target, dtype=bool) & available).astype(np.int32)
        members = np.flatnonzero(route_index == k).astype(np.int32)
        if not route.to_pool and len(candidates) and len(members):
            plan.append((route, candidates, members))
    bound = sum(len(c) * len(m) for _, c, m in plan)
    out_lead = np.empty(bound, dtype=np.int32)
    out_rep = np.empty(bound, dtype=np.int32)
    out_score = np.empty(bound, dtype=np.float32)
    n = 0
    for route, candidates, members in plan:
        rep_part = {name: rep_cols[name].take(candidates).reshape_rep() for name in rep_fields}
        step = max(1, _CHUNK_PAIRS // len(candidates))
        for start in range(0, len(members), step):
            chunk = members[start : start + step]
            cols = rep_part | {name: lead_cols[name].take(chunk).reshape_lead() for name in lead_fields}
            shape = (len(chunk), len(candidates))
            values, err = formula.score_columns(cols, vocab)  # finite, within ±MAX_SCORE; 0 where it errs
            if route.rep_filter is None:
                size = shape[0] * shape[1]
                out_lead[n : n + size].reshape(shape)[:] = chunk[:, None]
                out_rep[n : n + size].reshape(shape)[:] = candidates[None, :]
                score = out_score[n : n + size].reshape(shape)
                np.copyto(score, values, casting="unsafe")
                if err is not None:
                    score[np.broadcast_to(err, shape)] = 0.0
            else:
                li, ri = np.nonzero(np.broadcast_to(_holds(route.rep_filter, cols, vocab), shape))
                size = len(li)
                out_lead[n : n + size] = chunk[li]
                out_rep[n : n + size] = candidates[ri]
                out_score[n : n + size] = np.broadcast_to(values, shape)[li, ri]
                if err is not None:
                    out_score[n : n + size][np.broadcast_to(err, shape)[li, ri]] = 0.0
            n += size
    return Ranking(route_index, out_lead[:n], out_rep[:n], out_score[:n])


def first_matching(
    leads: Mapping[str, np.ndarray], conditions: Sequence[CompiledFormula | None], *, n_leads: int | None = None
) -> np.ndarray:
    """The route each lead takes, as `rank` routes it: int32 (L,), the index
    of the first condition that holds (None holds for every lead), -1 where
    none does. Columns as `rank` takes them."""
    n_leads = _count(leads, n_leads, "lead")
    present = [c for c in conditions if c is not None]
    fields = {n: s for c in present for n, s in c.fields.items()}
    vocab = Vocabulary.of(
        set().union(*(c.texts for c in present)), [leads[n] for n, s in fields.items() if s.type == "text"], []
    )
    return _route_index(conditions, prepare_columns(leads, fields, vocab), vocab, n_leads)


def _route_index(
    conditions: Sequence[CompiledFormula | None], lead_cols: Mapping[str, Column], vocab: Vocabulary, n_leads: int
) -> np.ndarray:
    """The first route whose condition holds wins; conditions run only over the leads still unrouted."""
    route_index = np.full(n_leads, -1, dtype=np.int32)
    unrouted = np.arange(n_leads)
    for k, condition in enumerate(conditions):
        if condition is None:
            matched = unrouted
        else:
            holds = _holds(condition, _take_leads(lead_cols, condition, unrouted), vocab)
            matched = unrouted[np.broadcast_to(holds, (len(unrouted), 1))[:, 0]]
        route_index[matched] = k
        unrouted = np.setdiff1d(unrouted, matched, assume_unique=True)
        if not len(unrouted):
            break
    return route_index


def explain_pair(
    lead: Mapping[str, Any],
    rep: Mapping[str, Any],
    formula: CompiledFormula,
    texts: dict[int, str] | None = None,
) -> list[tuple[str, Any]]:
    """Each term of the formula on the path the pair took, as (text, value):
    the whole formula first, then its sub-terms, fields with their values
    (None = blank); an IF shows its condition and the branch taken only. An
    erring term's value is the error code (e.g. "#DIV/0!"). At most MAX_TERMS
    terms, in that order, each text cut to MAX_TERM_TEXT characters; the
    formula is evaluated once for all of them. `texts` keeps each term's text
    across calls with the same formula (a batch explains thousands of pairs)."""
    if isinstance(formula.ast, Const) and isinstance(formula.ast.value, ExcelError):  # formula.unusable_formula
        text = formula.text if len(formula.text) <= MAX_TERM_TEXT else formula.text[: MAX_TERM_TEXT - 1] + "…"
        return [(text, formula.ast.value.code)]
    row = {**lead, **rep}
    out: list[tuple[str, Any]] = []
    seen: set[str] = set()
    values = formula.evaluate_all(row)

    def value_of(node: Node) -> Any:
        if id(node) not in values:  # pragma: no cover - every visited node was evaluated
            values[id(node)] = formula.evaluate_node(node, row)
        value = values[id(node)]
        return 0.0 if value is None else value

    def visit(node: Node) -> None:
        if isinstance(node, Const) or len(out) >= MAX_TERMS:
            return
        text = texts.get(id(node)) if texts is not None else None
        if text is None:
            text = _render(node)
            if len(text) > MAX_TERM_TEXT:
                text = text[: MAX_TERM_TEXT - 1] + "…"
            if texts is not None:
                texts[id(node)] = text
        if text not in seen:
            seen.add(text)
            value = value_of(node) if not isinstance(node, Ref) else _field_value(row.get(node.name))
            out.append((text, str(value) if isinstance(value, ExcelError) else value))
        if isinstance(node, Call) and node.name == "IF":
            cond = value_of(node.args[0])
            visit(node.args[0])
            if not isinstance(cond, ExcelError):
                visit(node.args[1] if formula._truth(cond) else node.args[2])
            return
        for a in getattr(node, "args", ()):
            visit(a)

    visit(formula.ast)
    return out


def _field_value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    return v.tolist() if isinstance(v, np.ndarray) else v


def _count(columns: Mapping[str, np.ndarray], n: int | None, owner: str) -> int:
    lengths = {len(c) for c in columns.values()}
    if n is None:
        if not lengths:
            raise ValueError(f"no {owner} columns to count the {owner}s by: pass n_{owner}s")
        if len(lengths) > 1:
            raise ValueError(f"{owner} columns differ in length")
        return lengths.pop()
    if lengths - {n}:
        raise ValueError(f"{owner} columns must have n_{owner}s={n} entries")
    return int(n)


def _take_leads(lead_cols: Mapping[str, Column], f: CompiledFormula, index: np.ndarray) -> dict[str, Column]:
    return {n: lead_cols[n].take(index).reshape_lead() for n in f.fields}


def _holds(f: CompiledFormula, cols: Mapping[str, Column], vocab: Vocabulary) -> np.ndarray:
    """A logical formula's truth; a pair or lead where it errs does not pass."""
    data, err = f.evaluate_columns(cols, vocab)
    truth = data if data.dtype == bool else data != 0
    return truth if err is None else truth & ~err
