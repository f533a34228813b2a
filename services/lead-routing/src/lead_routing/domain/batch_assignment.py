"""Automatic batch assignment: the best total score under rep capacities.

A min-cost flow (OR-Tools' SimpleMinCostFlow): source -> lead (capacity 1),
lead -> rep per eligible pair (capacity 1, cost -score), rep -> sink (capacity
= the rep's free slots), plus a source -> sink bypass for leads left in the
pool. Scores are scaled to integers (1/1000, or coarser when the scores are
so large that the costs would not fit the solver's 64-bit arithmetic: it
multiplies them by the number of nodes; then scores that differ by less than
the coarser step tie); the cost also holds a tie-break
that, among the assignments of maximal total score, prefers the one that
assigns the most leads. So a lead is left out only when every rep it could go
to is full (or its only candidates score below 0, which would lower the total).

Speed: the full graph (10,000 leads x 500 reps = 5M arcs) takes seconds. Two
EXACT reductions:
1. Leads with identical rows (same eligible reps, same scores) are
   interchangeable; a formula over a few lead fields, like the seed, gives few
   distinct rows. We solve the transportation problem over these classes and
   hand each class's flow to a rep out to that many of its leads.
2. Otherwise we solve on a few pairs per lead and PROVE the result optimal for
   all pairs by LP duality, adding pairs until the proof holds (after a few
   rounds without one: every pair). The LP is
     max sum s_ir x_ir  s.t.  sum_r x_ir <= 1 (dual u_i >= 0),  sum_i x_ir <= c_r (dual v_r >= 0)
   with dual  min sum u_i + sum c_r v_r  s.t.  u_i + v_r >= s_ir.
   The pairs: a lead's optimal rep maximises s_ir - v_r at the optimal rep
   prices v, so we take each lead's best pairs by score minus price (and each
   rep's closest contenders) at approximate prices from a coarse auction.
   The proof: given an assignment, let v be the smallest prices with v >= 0,
   v_r >= s_ir for each unassigned lead i, and v_r' >= v_r + s_ir' - s_ir for
   each lead i at r and EVERY rep r' (longest paths over the reps, which
   settle unless some cycle of moves gains), and u_i = s_ir - v_r for the
   lead's rep, 0 if unassigned. Then u_i + v_r >= s_ir holds for every pair by
   construction; if moreover u >= 0 and v_r = 0 on every rep with room,
   complementary slackness holds and (u, v) proves the assignment optimal over
   all pairs. All in integers, so the check is exact. When it fails, the
   prices it reached are better than the auction's, and pick the next pairs.
"""

from __future__ import annotations

import numpy as np

__all__ = ["assign_greedy", "assign_optimal"]

_SCALE = 1000  # scores are kept to 1/1000
_DIRECT_ARCS = 600_000  # up to this many (class, rep) arcs the whole problem is solved at once
_TOP_K = 12  # pairs per lead in the first round, by score minus price
_ADD_K = 16  # pairs per lead added in each later round
_REP_EXTRA = 10  # each rep also meets its capacity + 10 closest contenders
_ROUNDS = 4  # solves on a reduced pair set before solving with every pair
_PATH_ROUNDS = 60  # longest-path rounds before a proof counts as failed (they settle in about 10)
_AUCTION_STEPS = 32  # the auction's bid increment is the score range / 32
_AUCTION_ROUNDS = 200  # then stop: near enough to pick pairs, and ties can make price wars long


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
    # weight: score first, then one more assigned lead (the +1); a pair absent from the input is -inf,
    # a repeated one gets any of its scores
    score = np.asarray(score, dtype=np.float64)
    score = np.where(np.isfinite(score), score, 0.0)  # ranking hands out finite scores; never let one through
    scaled = score * _scale(float(np.abs(score).max()), n_leads, n_reps)
    weight = np.full((n_leads, n_reps), _ABSENT, dtype=np.int64)
    weight[lead_of, rep_of] = np.rint(scaled, out=scaled).astype(np.int64) * (n_leads + 1) + 1
    cap = capacity[reps]
    weight[:, cap == 0] = _ABSENT  # a full rep takes nobody
    if len(lead_idx) <= _DIRECT_ARCS:  # few pairs: solve with all of them
        li, ri = np.nonzero(weight != _ABSENT)
        at = _solve(li, ri, weight[li, ri], cap, n_leads, n_reps)
    elif (classes := _row_classes(weight)) is not None:
        first, class_of = classes
        at = _solve_classes(weight[first], np.bincount(class_of, minlength=len(first)), class_of, cap)
    else:
        at = _solve_pruned(weight, cap)
    assigned = np.flatnonzero(at >= 0)
    return leads[assigned].astype(np.int32), reps[at[assigned]].astype(np.int32)


def _scale(peak: float, n_leads: int, n_reps: int) -> float:
    """Integer cost units per score unit: _SCALE unless the largest weight
    ((peak * scale + 1) * (n_leads + 1), the tie-break included), summed over
    every lead and multiplied by the node count as the solver's range check
    does, would pass 2**62."""
    room = 2**62 / ((n_leads + 1) * (n_leads + n_reps + 3) * (n_leads + 1))
    if peak * _SCALE <= room - 1:
        return float(_SCALE)
    return max(room - 1, 0.0) / peak


def _row_classes(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Leads whose pairs and scores are identical are interchangeable (a
    formula over a few lead fields, like the seed, gives few distinct rows):
    one representative row per class and each lead's class; None when there
    are too many classes for solving over them to pay."""
    n_reps = weight.shape[1]
    key = weight @ np.random.default_rng(0).integers(-(2**62), 2**62, size=n_reps)  # a row hash (wraps around)
    _, first, class_of = np.unique(key, return_index=True, return_inverse=True)
    if len(first) * n_reps > _DIRECT_ARCS:  # a collision only merges classes, so there are at least this many
        return None
    if not (weight == weight[first[class_of]]).all():  # a collision: compare whole rows
        rows = np.ascontiguousarray(weight).view(np.dtype((np.void, weight.dtype.itemsize * n_reps)))[:, 0]
        _, first, class_of = np.unique(rows, return_index=True, return_inverse=True)
        if len(first) * n_reps > _DIRECT_ARCS:
            return None
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
    """A few pairs per lead, chosen at approximate prices and proven optimal
    for all pairs by duality; more pairs until the proof holds (module docstring)."""
    n_leads, n_reps = weight.shape
    chosen = np.zeros(weight.shape, dtype=bool)
    _add_candidates(chosen, weight, _auction_prices(weight, cap), cap, _TOP_K)
    for _ in range(_ROUNDS):
        li, ri = np.nonzero(chosen)
        at = _solve(li, ri, weight[li, ri], cap, n_leads, n_reps)  # rep of each lead, -1 = none
        proven, price = _proof(at, weight, cap)
        if proven:
            return at
        _add_candidates(chosen, weight, price, cap, _ADD_K)
    li, ri = np.nonzero(weight != _ABSENT)  # the proof keeps failing: every pair at once
    return _solve(li, ri, weight[li, ri], cap, n_leads, n_reps)


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
    if present.all():  # already 0..n-1
        return np.arange(len(present)), idx
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
    from ortools.graph.python import min_cost_flow

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


def _auction_prices(weight: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Approximate rep prices, near the optimal duals: a Jacobi auction (every
    unplaced lead bids at once for its best rep at current prices, raising its
    price by the margin over its second choice plus a coarse increment; a rep
    keeps its `cap` highest bids, and when full its price is the lowest of
    them). The prices need only be good enough to pick the pairs worth solving
    on, so the increment is coarse and the rounds are capped."""
    n_leads, n_reps = weight.shape
    value = weight.astype(np.float32)  # float32: half the memory traffic, ample for a guide
    value[weight == _ABSENT] = -np.inf
    real = weight[weight != _ABSENT]
    step = max(float(real.max() - max(real.min(), 0)) / _AUCTION_STEPS, 1.0)
    price = np.zeros(n_reps, dtype=np.float32)
    held_lead, held_rep = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    held_bid = np.empty(0, dtype=np.float32)
    bidders = np.arange(n_leads)
    for _ in range(_AUCTION_ROUNDS):
        net = value[bidders] - price
        rows = np.arange(len(bidders))
        best = net.argmax(axis=1)
        first = net[rows, best]
        net[rows, best] = -np.inf
        second = np.maximum(net.max(axis=1), 0)  # staying unplaced is worth 0
        keen = first >= step  # the others drop out: no rep is worth a bid at these prices
        if not keen.any():
            break
        bidders, best = bidders[keen], best[keen]
        offer = price[best] + (first[keen] - second[keen]) + step
        lead = np.concatenate([held_lead, bidders])
        rep = np.concatenate([held_rep, best])
        bid = np.concatenate([held_bid, offer])
        order = np.lexsort((-bid, rep))  # by rep, highest bid first
        lead, rep, bid = lead[order], rep[order], bid[order]
        kept = np.arange(len(rep)) - np.searchsorted(rep, rep) < cap[rep]
        held_lead, held_rep, held_bid = lead[kept], rep[kept], bid[kept]
        bidders = lead[~kept]
        count = np.bincount(held_rep, minlength=n_reps)
        lowest = held_bid[np.maximum(np.cumsum(count) - 1, 0)]  # each rep's last (lowest) kept bid
        price = np.where(count >= cap, lowest, 0).astype(np.float32)
    return np.rint(price).astype(np.int64)


def _add_candidates(chosen: np.ndarray, weight: np.ndarray, price: np.ndarray, cap: np.ndarray, k: int) -> None:
    """Mark each lead's k best pairs by score minus rep price, and for each rep
    the capacity + _REP_EXTRA leads it comes closest to being the best choice of
    (so every rep meets its competition)."""
    n_leads, n_reps = weight.shape
    net = weight - price[None, :]
    if k < n_reps:
        top = np.argpartition(net, n_reps - k, axis=1)[:, n_reps - k :]
        chosen[np.arange(n_leads)[:, None], top] = True
    else:
        chosen[:] = True
    net -= np.maximum(net.max(axis=1), 0)[:, None]  # <= 0: how far below the lead's best choice
    by_rep = np.ascontiguousarray(net.T)  # a row per rep: partitioning along rows is far quicker
    want = np.minimum(cap + _REP_EXTRA, n_leads)
    depth = int(want.max())
    top = np.argpartition(by_rep, n_leads - depth, axis=1)[:, n_leads - depth :]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(by_rep, top, axis=1), axis=1), axis=1)
    keep = np.arange(depth)[None, :] < want[:, None]
    chosen[top[keep], np.broadcast_to(np.arange(n_reps)[:, None], top.shape)[keep]] = True
    chosen &= weight != _ABSENT


def _proof(at: np.ndarray, weight: np.ndarray, cap: np.ndarray) -> tuple[bool, np.ndarray]:
    """Whether the assignment `at` (rep of each lead, -1 = none) is optimal over
    every pair, and the rep prices built for the proof (module docstring); when
    it fails they are still the best guide to the pairs worth adding."""
    n_reps = weight.shape[1]
    placed = np.flatnonzero(at >= 0)
    placed = placed[np.argsort(at[placed], kind="stable")]  # grouped by rep
    unplaced = weight[at < 0]
    price = np.maximum(unplaced.max(axis=0), 0) if len(unplaced) else np.zeros(n_reps, dtype=np.int64)
    own = weight[placed, at[placed]]
    # arc r -> r': a lead at r moving to r' changes the total by weight[i, r'] - weight[i, r]
    arc = np.full((n_reps, n_reps), _ABSENT, dtype=np.int64)
    if len(placed):
        holders, starts = np.unique(at[placed], return_index=True)
        arc[holders] = np.maximum.reduceat(weight[placed] - own[:, None], starts, axis=0)
    arc[np.arange(n_reps), np.arange(n_reps)] = _ABSENT
    for _ in range(_PATH_ROUNDS):  # longest paths; they settle unless a cycle of moves gains
        nxt = np.maximum(price, (price[:, None] + arc).max(axis=0))
        if np.array_equal(nxt, price):
            break
        price = nxt
    else:
        return False, price
    room = np.bincount(at[placed], minlength=n_reps) < cap
    return bool((own >= price[at[placed]]).all() and not price[room].any()), price
