"""Automatic batch assignment: the best total score under rep capacities.

A min-cost flow (OR-Tools' SimpleMinCostFlow): source -> lead (capacity 1),
lead -> rep per eligible pair (capacity 1, cost -score), rep -> sink (capacity
= the rep's free slots), plus a source -> sink bypass for leads left in the
pool. Scores are scaled to integers (1/1000); the cost also holds a tie-break
that, among the assignments of maximal total score, prefers the one that
assigns the most leads. So a lead is left out only when every rep it could go
to is full (or its only candidates score below 0, which would lower the total).

Speed: the full graph (10,000 leads x 500 reps = 5M arcs) takes seconds. Two
EXACT reductions:
1. Leads with identical rows (same eligible reps, same scores) are
   interchangeable; a formula over a few lead fields, like the seed, gives few
   distinct rows. We solve the transportation problem over these classes and
   hand each class's flow to a rep out to that many of its leads.
2. Otherwise we solve on each lead's top-K pairs (plus each rep's top leads)
   and PROVE the result optimal for all pairs by LP duality, adding the pairs
   that break the proof and solving again (column generation); after a few
   rounds without a proof we solve with every pair. The proof: the LP is
     max sum s_ir x_ir  s.t.  sum_r x_ir <= 1 (dual u_i >= 0),  sum_i x_ir <= c_r (dual v_r >= 0)
   with dual  min sum u_i + sum c_r v_r  s.t.  u_i + v_r >= s_ir.  From the
   optimal assignment of the reduced problem we build duals that satisfy
   complementary slackness there: v = the smallest prices with v >= 0,
   v_r' >= s_ir' for each unassigned lead i, and v_r' >= v_r + s_ir' - s_ir
   when lead i sits at r (a longest-path problem over the reps, with no
   positive cycle since the assignment is optimal; v_r = 0 on a rep with room,
   else moving leads along a path into it would gain); u_i = s_ir - v_r for the
   lead's rep, 0 if unassigned. If u_i + v_r >= s_ir holds for EVERY pair,
   pruned ones included, (u, v) is feasible for the full dual with the same
   objective, so the assignment is optimal for the full problem. All in
   integers, so the check is exact.
"""

from __future__ import annotations

import numpy as np

__all__ = ["assign_greedy", "assign_optimal"]

_SCALE = 1000  # scores are kept to 1/1000
_TOP_K = 24  # pairs per lead in the first round
_ADD_K = 8  # pairs added per offending lead in a later round
_ROUNDS = 2  # solves on a reduced pair set before solving with every pair
_DIRECT_ARCS = 600_000  # up to this many (class, rep) arcs the whole problem is solved at once
_REP_FACTOR, _REP_EXTRA = 3, 10  # each rep's top 3 x capacity + 10 leads in the first round


def assign_optimal(
    lead_idx: np.ndarray, rep_idx: np.ndarray, score: np.ndarray, capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Chosen (lead_idx, rep_idx) pairs: each lead at most once, rep r at most
    capacity[r] times, total score maximal. Pairs are the eligible ones (e.g.
    from ranking.rank); capacity is indexed by rep_idx (free slots, >= 0)."""
    lead_idx, rep_idx = np.asarray(lead_idx), np.asarray(rep_idx)
    capacity = np.maximum(np.asarray(capacity, dtype=np.int64), 0)
    if not len(lead_idx):
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int32)
    leads, lead_of = _compact(lead_idx)
    reps, rep_of = _compact(rep_idx)
    n_leads, n_reps = len(leads), len(reps)
    # weight: score first, then one more assigned lead (the +1); a pair absent from the input is -inf
    scaled = np.rint(np.asarray(score, dtype=np.float64) * _SCALE).astype(np.int64)
    weight = np.full((n_leads, n_reps), _ABSENT, dtype=np.int64)
    weight[lead_of, rep_of] = scaled * (n_leads + 1) + 1  # pairs are unique (a repeated one: any of its scores)
    cap = capacity[reps]
    classes, class_of = _row_classes(weight)
    if len(classes) * n_reps <= _DIRECT_ARCS:
        at = _solve_classes(weight[classes], np.bincount(class_of, minlength=len(classes)), class_of, cap)
    else:
        at = _solve_pruned(weight, cap)
    assigned = np.flatnonzero(at >= 0)
    return leads[assigned].astype(np.int32), reps[at[assigned]].astype(np.int32)


def _row_classes(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leads whose pairs and scores are identical are interchangeable (a
    formula over a few lead fields, like the seed, gives few distinct rows):
    one representative row per class, and each lead's class."""
    rows = np.ascontiguousarray(weight).view(np.dtype((np.void, weight.dtype.itemsize * weight.shape[1])))[:, 0]
    _, first, class_of = np.unique(rows, return_index=True, return_inverse=True)
    return first, class_of.ravel()


def _solve_classes(w: np.ndarray, size: np.ndarray, class_of: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Exact transportation problem over classes of identical leads; then each
    class's flow to a rep is handed to that many of its leads."""
    n_classes, n_reps = w.shape
    ci, ri = np.nonzero(w > 0)  # a pair that lowers the total is never worth taking
    flow = _flow(ci, ri, w[ci, ri], size, size[ci], cap, n_classes, n_reps)
    at = np.full(len(class_of), -1, dtype=np.int64)
    members = np.argsort(class_of, kind="stable")
    starts = np.concatenate(([0], np.cumsum(size)))
    used = flow > 0
    # hand out each class's flows to consecutive members of the class
    offset = np.zeros(n_classes, dtype=np.int64)
    for c, r, f in zip(ci[used].tolist(), ri[used].tolist(), flow[used].tolist()):
        at[members[starts[c] + offset[c] : starts[c] + offset[c] + f]] = r
        offset[c] += f
    return at


def _solve_pruned(weight: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Each lead's top pairs, proven optimal for all pairs by duality (module docstring)."""
    n_leads, n_reps = weight.shape

    # first round: each lead's top-K pairs
    k = min(_TOP_K, n_reps)
    chosen = np.zeros_like(weight, dtype=bool)
    if k < n_reps:
        top = np.argpartition(-weight, k - 1, axis=1)[:, :k]
        chosen[np.arange(n_leads)[:, None], top] = True
    else:
        chosen[:] = True
    # and each rep's top leads, a few times its capacity, so every rep meets competition and gets a price
    m = np.minimum(_REP_FACTOR * cap + _REP_EXTRA, n_leads)
    depth = int(m.max())
    top = np.argpartition(-weight, depth - 1, axis=0)[:depth] if depth < n_leads else np.arange(n_leads)[:, None]
    top = np.broadcast_to(top, (len(top), n_reps))
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(weight, top, axis=0), axis=0), axis=0)
    keep = np.arange(len(top))[:, None] < m[None, :]
    chosen[top[keep], np.broadcast_to(np.arange(n_reps), top.shape)[keep]] = True
    chosen &= weight != _ABSENT
    for round_ in range(_ROUNDS + 1):
        if round_ == _ROUNDS:  # the proof keeps failing (strongly correlated scores): every pair at once
            chosen = weight != _ABSENT
        li, ri = np.nonzero(chosen)
        at = _solve(li, ri, weight[li, ri], cap, n_leads, n_reps)  # rep of each lead, -1 = none
        if round_ == _ROUNDS:
            break
        u, v = _duals(at, weight, chosen, cap)
        slack = weight - v[None, :] - u[:, None]  # > 0: the pair breaks the proof
        slack[chosen] = 0
        if not (slack > 0).any():
            break
        # add each offending lead's most attractive pairs at the current prices
        rows = np.flatnonzero((slack > 0).any(axis=1))
        add = min(_ADD_K, n_reps)
        best = np.argpartition(-slack[rows], add - 1, axis=1)[:, :add]
        pick = slack[rows[:, None], best] > 0
        chosen[np.broadcast_to(rows[:, None], best.shape)[pick], best[pick]] = True
    return at


def assign_greedy(
    lead_idx: np.ndarray, rep_idx: np.ndarray, score: np.ndarray, capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Highest score first while the lead is free and the rep has room. Not
    optimal; kept as the baseline the optimal assignment is measured against."""
    left = np.maximum(np.asarray(capacity, dtype=np.int64), 0).tolist()
    taken: set[int] = set()
    out_lead, out_rep = [], []
    order = np.argsort(-np.asarray(score, dtype=np.float64), kind="stable")
    for lead, rep in zip(np.asarray(lead_idx)[order].tolist(), np.asarray(rep_idx)[order].tolist()):
        if left[rep] > 0 and lead not in taken:
            taken.add(lead)
            left[rep] -= 1
            out_lead.append(lead)
            out_rep.append(rep)
    return np.array(out_lead, dtype=np.int32), np.array(out_rep, dtype=np.int32)


_ABSENT = np.iinfo(np.int64).min // 4  # far below any weight, and safe to add to


def _compact(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct indices (sorted) and each element's position among them;
    like np.unique(return_inverse=True) without sorting millions of pairs."""
    if idx.min() < 0:
        raise ValueError("indices must be >= 0")
    present = np.zeros(int(idx.max()) + 1, dtype=bool)
    present[idx] = True
    position = np.cumsum(present) - 1
    return np.flatnonzero(present), position[idx]


def _solve(li, ri, w, cap, n_leads: int, n_reps: int) -> np.ndarray:
    positive = w > 0  # a pair that lowers the total is never worth taking
    li, ri, w = li[positive], ri[positive], w[positive]
    ones = np.ones(n_leads, dtype=np.int64)
    used = _flow(li, ri, w, ones, np.ones(len(li), dtype=np.int64), cap, n_leads, n_reps) > 0
    at = np.full(n_leads, -1, dtype=np.int64)
    at[li[used]] = ri[used]
    return at


def _flow(li, ri, w, supply, pair_cap, cap, n_leads: int, n_reps: int) -> np.ndarray:
    """Min-cost flow source -> lead (supply) -> rep (cost -w) -> sink (cap),
    with a source -> sink bypass; returns the flow on each (lead, rep) arc."""
    from ortools.graph.python import min_cost_flow  # noqa: PLC0415 - heavy import, only where it is used

    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = n_leads + n_reps, n_leads + n_reps + 1
    total = int(supply.sum())
    tails = np.concatenate([np.full(n_leads, source), li, n_leads + np.arange(n_reps), [source]])
    heads = np.concatenate([np.arange(n_leads), n_leads + ri, np.full(n_reps, sink), [sink]])
    caps = np.concatenate([supply, pair_cap, cap, [total]]).astype(np.int64)
    costs = np.concatenate([np.zeros(n_leads, dtype=np.int64), -w, np.zeros(n_reps + 1, dtype=np.int64)])
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(np.array([source, sink]), np.array([total, -total]))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    return flow.flows(arcs[n_leads : n_leads + len(li)])


def _duals(at: np.ndarray, weight: np.ndarray, chosen: np.ndarray, cap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Optimal duals (u per lead, v per rep) of the reduced problem, from its
    optimal assignment `at` (see the module docstring)."""
    n_leads, n_reps = weight.shape
    w = np.where(chosen, weight, _ABSENT)
    assigned = at >= 0
    # lower bounds from unassigned leads (they may move in at no loss) and v >= 0
    free = w[~assigned]
    v = np.maximum(free.max(axis=0), 0) if len(free) else np.zeros(n_reps, dtype=np.int64)
    # arc r -> r': a lead at r moving to r' changes the total by w[i, r'] - w[i, r]
    li = np.flatnonzero(assigned)
    li = li[np.argsort(at[li], kind="stable")]  # grouped by rep
    arc = np.full((n_reps, n_reps), _ABSENT, dtype=np.int64)
    if len(li):
        gain = w[li] - weight[li, at[li]][:, None]
        holders, starts = np.unique(at[li], return_index=True)
        arc[holders] = np.maximum.reduceat(gain, starts, axis=0)
    arc[np.arange(n_reps), np.arange(n_reps)] = _ABSENT
    for _ in range(n_reps + 1):  # longest paths; no positive cycle at an optimum, so this settles
        nxt = np.maximum(v, (v[:, None] + arc).max(axis=0))
        if np.array_equal(nxt, v):
            break
        v = nxt
    else:
        raise AssertionError("dual prices did not settle: the assignment is not optimal")
    u = np.zeros(n_leads, dtype=np.int64)
    u[li] = weight[li, at[li]] - v[at[li]]
    return u, v
