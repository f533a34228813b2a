"""Automatic assignment: optimal total score under capacities, each lead at most once."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from lead_routing.domain import batch_assignment as assignment_module
from lead_routing.domain.batch_assignment import assign_greedy, assign_optimal
from scipy import optimize


def total(pairs, li, ri):
    return sum(pairs[(int(a), int(b))] for a, b in zip(li, ri))


def check_valid(pairs, capacity, li, ri):
    assert len(set(li.tolist())) == len(li), "a lead assigned twice"
    assert all((int(a), int(b)) in pairs for a, b in zip(li, ri)), "an ineligible pair"
    counts = np.bincount(ri, minlength=len(capacity)) if len(ri) else np.zeros(len(capacity), dtype=int)
    assert (counts <= capacity).all(), "a rep over capacity"
    # a lead with a candidate that scores >= 0 is left out only when all its candidates are full
    assigned = set(li.tolist())
    for (lead, rep), s in pairs.items():
        if lead not in assigned and s >= 0:
            assert counts[rep] == capacity[rep], f"lead {lead} left out although rep {rep} has room"


def arrays(pairs):
    keys = list(pairs)
    return (
        np.array([k[0] for k in keys]),
        np.array([k[1] for k in keys]),
        np.array([pairs[k] for k in keys], dtype=np.float32),
    )


def brute_force(pairs, capacity, n_leads):
    options = [[None] + [r for (lead, r) in pairs if lead == i] for i in range(n_leads)]
    best = 0.0
    for choice in itertools.product(*options):
        reps = [r for r in choice if r is not None]
        if all(reps.count(r) <= capacity[r] for r in set(reps)):
            best = max(best, sum(pairs[(i, r)] for i, r in enumerate(choice) if r is not None))
    return best


def test_greedy_is_suboptimal_and_ours_is_not():
    # lead 0 likes both reps, lead 1 only rep 0; each rep takes one lead
    pairs = {(0, 0): 10.0, (0, 1): 9.0, (1, 0): 9.0, (1, 1): 1.0}
    capacity = np.array([1, 1])
    gl, gr = assign_greedy(*arrays(pairs), capacity)
    assert total(pairs, gl, gr) == 11.0  # 0 -> 0, then 1 -> 1
    li, ri = assign_optimal(*arrays(pairs), capacity)
    assert sorted(zip(li.tolist(), ri.tolist())) == [(0, 1), (1, 0)]
    assert total(pairs, li, ri) == 18.0


def test_capacity_runs_out():
    pairs = {(i, r): float(10 * r + i) for i in range(5) for r in range(2)}
    capacity = np.array([1, 2])
    li, ri = assign_optimal(*arrays(pairs), capacity)
    check_valid(pairs, capacity, li, ri)
    assert len(li) == 3 and sorted(ri.tolist()) == [0, 1, 1]
    assert total(pairs, li, ri) == brute_force(pairs, capacity, 5)


def test_edge_cases():
    nothing = np.array([], dtype=int)
    empty = assign_optimal(nothing, nothing, np.array([], dtype=np.float32), np.array([3]))
    assert [len(a) for a in empty] == [0, 0]
    # lead ids need not be contiguous; zero-capacity reps take nobody; a negative pair is never worth taking
    li, ri = assign_optimal(
        np.array([1000, 1000, 7]), np.array([0, 1, 1]), np.array([5.0, 50.0, -1.0]), np.array([1, 0])
    )
    assert (li.tolist(), ri.tolist()) == ([1000], [0])
    # a zero score still gets the lead a rep
    li, ri = assign_optimal(np.array([3, 4]), np.array([0, 0]), np.array([0.0, 0.0]), np.array([1]))
    assert len(li) == 1


@pytest.mark.parametrize("seed", range(40))
def test_optimal_against_brute_force(seed):
    rng = random.Random(seed)
    n_leads, n_reps = rng.randint(1, 6), rng.randint(1, 3)
    capacity = np.array([rng.randint(0, 2) for _ in range(n_reps)])
    pairs = {
        (i, r): float(rng.choice([0, 1, 5, 5, 7, 10, rng.randint(-3, 30)]))
        for i in range(n_leads)
        for r in range(n_reps)
        if rng.random() < 0.75
    }
    if not pairs:
        return
    li, ri = assign_optimal(*arrays(pairs), capacity)
    check_valid(pairs, capacity, li, ri)
    assert total(pairs, li, ri) == brute_force(pairs, capacity, n_leads)


def lsa_optimum(score, capacity):
    """Maximum total via scipy's Hungarian algorithm on one column per rep slot."""
    slots = np.repeat(np.arange(score.shape[1]), capacity)
    # a lead may stay out: one zero-score column per lead; an absent pair is -inf (here a large negative)
    by_slot = np.where(np.isnan(score[:, slots]), -1e9, score[:, slots])
    matrix = np.hstack([by_slot, np.zeros((score.shape[0], score.shape[0]))])
    rows, cols = optimize.linear_sum_assignment(matrix, maximize=True)
    return float(matrix[rows, cols].sum())


@pytest.mark.parametrize("kind", ["unique", "tied", "pruned", "every-pair"])
def test_optimal_against_linear_sum_assignment(kind, monkeypatch):
    rng = np.random.default_rng({"unique": 1, "tied": 2, "pruned": 3, "every-pair": 4}[kind])
    n_leads, n_reps = 150, 12
    if kind == "tied":  # few distinct rows, like the seed formula: solved over classes of identical leads
        score = rng.choice([30.0, 70.0, 100.0], size=(6, n_reps))[rng.integers(0, 6, n_leads)]
        score += rng.integers(0, 3, n_reps)
    else:  # a lead term, a rep term and noise: distinct rows, pairs picked at auction prices, the duality proof
        score = rng.random((n_leads, 1)) * 60 + rng.random((1, n_reps)) * 30 + rng.random((n_leads, n_reps)) * 10
        score = np.round(score, 3)
    score[rng.random(score.shape) < 0.2] = np.nan  # ineligible pairs
    capacity = rng.integers(0, 15, n_reps)
    if kind in ("pruned", "every-pair"):
        monkeypatch.setattr(assignment_module, "_DIRECT_ARCS", 0)
        monkeypatch.setattr(assignment_module, "_TOP_K", 2)  # forces further rounds of pairs
        monkeypatch.setattr(assignment_module, "_ADD_K", 2)
        monkeypatch.setattr(assignment_module, "_REP_EXTRA", 0)
        monkeypatch.setattr(assignment_module, "_ROUNDS", 50 if kind == "pruned" else 0)
    li, ri = np.nonzero(~np.isnan(score))
    pairs = {(int(a), int(b)): float(np.float32(score[a, b])) for a, b in zip(li, ri)}
    ol, orr = assign_optimal(li, ri, score[li, ri].astype(np.float32), capacity)
    check_valid(pairs, capacity, ol, orr)
    assert total(pairs, ol, orr) == pytest.approx(lsa_optimum(score.astype(np.float32), capacity), abs=0.01)
    gl, gr = assign_greedy(li, ri, score[li, ri].astype(np.float32), capacity)
    assert total(pairs, gl, gr) <= total(pairs, ol, orr) + 1e-6


def structured(rng, n_leads, n_reps):
    """Scores like the benchmark's: a lead term, a rep term every lead wants, and per-pair noise."""
    score = rng.random((n_leads, 1)) * 60 + rng.random((1, n_reps)) * 30 + rng.random((n_leads, n_reps)) * 5
    return np.round(score, 3).astype(np.float32)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("guide", ["auction", "zero prices", "wild prices"])
def test_pruned_rounds_stay_optimal_whatever_the_price_guide(seed, guide, monkeypatch):
    # The prices only choose which pairs are solved on; the proof decides when to stop, so even a
    # useless guide must end at the optimum (after more rounds, or with every pair).
    rng = np.random.default_rng(100 + seed)
    n_leads, n_reps = 300, 25
    score = structured(rng, n_leads, n_reps)
    capacity = rng.integers(1, 14, n_reps)
    monkeypatch.setattr(assignment_module, "_DIRECT_ARCS", 0)
    monkeypatch.setattr(assignment_module, "_TOP_K", 2)
    monkeypatch.setattr(assignment_module, "_ADD_K", 2)
    monkeypatch.setattr(assignment_module, "_REP_EXTRA", 0)
    guides = {
        "zero prices": lambda weight, cap: np.zeros(weight.shape[1], dtype=np.int64),
        "wild prices": lambda weight, cap: rng.integers(0, 10**12, weight.shape[1]),
    }
    if guide in guides:
        monkeypatch.setattr(assignment_module, "_auction_prices", guides[guide])
    li, ri = np.nonzero(np.ones_like(score, dtype=bool))
    ol, orr = assign_optimal(li, ri, score[li, ri], capacity)
    pairs = {(int(a), int(b)): float(score[a, b]) for a, b in zip(li, ri)}
    check_valid(pairs, capacity, ol, orr)
    assert total(pairs, ol, orr) == pytest.approx(lsa_optimum(score, capacity), abs=0.01)


def test_the_proof_accepts_an_optimum_and_refuses_anything_less():
    # two reps of one slot; lead 0 is worth 10 / 9, lead 1 is worth 9 / 1, lead 2 is worth 3 / 2
    weight = np.array([[10, 9], [9, 1], [3, 2]], dtype=np.int64)
    cap = np.array([1, 1])
    proof = assignment_module._proof
    assert proof(np.array([1, 0, -1]), weight, cap)[0]  # 9 + 9 = 18, the optimum
    assert not proof(np.array([0, 1, -1]), weight, cap)[0]  # 10 + 1 = 11: swapping gains 7
    assert not proof(np.array([0, -1, 1]), weight, cap)[0]  # 10 + 2 = 12: lead 1 in, lead 2 out gains
    assert not proof(np.array([1, -1, -1]), weight, cap)[0]  # rep 0 has room and lead 1 wants it
