"""The batch assignment over several re-rank chunks: one optimum over every
chunk's wanted leads, each rep's capacity shared between the chunks."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from lead_routing.service_layer.batch import batch_picks


def rep(rep_id: str, capacity: int, open_leads: int = 0) -> SimpleNamespace:
    return SimpleNamespace(rep_id=rep_id, capacity=capacity, open_leads=open_leads, available=True)


def chunk(reps: list, scores: list[list[float]]) -> SimpleNamespace:
    """A ranked chunk: lead i's score with each rep (every pair eligible)."""
    li, ri = np.nonzero(np.ones((len(scores), len(reps)), dtype=bool))
    return SimpleNamespace(
        reps=reps,
        leads=[object()] * len(scores),
        lead_idx=li.astype(np.int32),
        rep_idx=ri.astype(np.int32),
        score=np.array(scores, dtype=np.float32).ravel(),
    )


def test_the_chunks_are_solved_together_under_shared_capacities() -> None:
    a, b = rep("a", 1), rep("b", 2, open_leads=1)  # one free slot each
    first, second = chunk([a, b], [[100, 90]]), chunk([a, b], [[95, 10]])
    # Chunk by chunk would give a<-first (100) and b<-second (10) = 110; together b<-first, a<-second = 185.
    wanted, picks = batch_picks([first, second], [np.ones(1, bool), np.ones(1, bool)])
    assert wanted == 2
    assert [[(i, r.rep_id) for i, r in p] for p in picks] == [[(0, "b")], [(0, "a")]]


def test_only_wanted_leads_are_given() -> None:
    a = rep("a", 1)
    first, second = chunk([a], [[50], [60]]), chunk([a], [[95]])
    wanted, picks = batch_picks([first, second], [np.array([True, True]), np.array([False])])
    assert wanted == 2
    assert [[(i, r.rep_id) for i, r in p] for p in picks] == [[(1, "a")], []]
