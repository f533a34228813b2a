"""The optimal one-to-one choice among scored candidate pairs (a line and an instalment): scipy's
linear_sum_assignment maximising the total score, or for a large group the same optimum on a sparse graph."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

DENSE_CELLS = 2_000_000  # a larger group is resolved on a sparse graph (same optimum, no n x m matrix)
_NO_EDGE = -1e6


def resolve(n_lines: int, n_items: int, edges: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The one-to-one choice of edges (line, item, score) with the largest total score."""
    if not edges:
        return []
    if n_lines * n_items > DENSE_CELLS:
        return _resolve_sparse(n_lines, n_items, edges)
    m = np.full((n_lines, n_items), _NO_EDGE)
    for i, j, s in edges:
        m[i, j] = max(m[i, j], s)
    rows, cols = linear_sum_assignment(m, maximize=True)
    return [(int(i), int(j), float(m[i, j])) for i, j in zip(rows, cols, strict=True) if m[i, j] > _NO_EDGE]


def _resolve_sparse(n_lines: int, n_items: int, edges: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The same optimum for a large group without a dense matrix: every line also gets a
    dummy item of its own (score 0), so all lines can be matched, and the cost 2 - score
    (positive: scipy reads a zero as no edge) is minimised."""
    best: dict[tuple[int, int], float] = {}
    for i, j, s in edges:
        best[(i, j)] = max(best.get((i, j), s), s)
    rows = [i for i, _ in best] + list(range(n_lines))
    cols = [j for _, j in best] + [n_items + i for i in range(n_lines)]
    cost = [2.0 - s for s in best.values()] + [2.0] * n_lines
    graph = csr_matrix((cost, (rows, cols)), shape=(n_lines, n_items + n_lines))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    return [(int(i), int(j), best[(int(i), int(j))])
            for i, j in zip(matched_rows, matched_cols, strict=True) if j < n_items]
