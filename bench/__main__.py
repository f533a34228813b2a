"""make bench: run every benchmark, print one line per result, write bench-results.json.
`python -m bench routing` runs only the named ones (intake, imports, assign-latency, assign-pool, routing, claim, diff, documents, approval, matching, statements, capacity, replicas, web, tagging, signals, win-model, indexes)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.approval import bench_approval
from bench.assign_latency import bench_assign_latency
from bench.assign_pool import bench_assign_pool
from bench.capacity import bench_capacity
from bench.claim import bench_claim
from bench.diff import bench_diff
from bench.documents import bench_documents
from bench.imports import bench_imports
from bench.indexes import bench_indexes
from bench.intake import bench_lead_intake
from bench.matching import bench_matching
from bench.replicas import bench_replicas
from bench.routing import bench_routing
from bench.signals import bench_signals
from bench.statements import bench_statements
from bench.tagging import bench_tagging
from bench.web import bench_web
from bench.win_model import bench_win_model

BENCHMARKS = {
    "intake": bench_lead_intake,
    "imports": bench_imports,
    "assign-latency": bench_assign_latency,
    "assign-pool": bench_assign_pool,
    "routing": bench_routing,
    "claim": bench_claim,
    "diff": bench_diff,
    "documents": bench_documents,
    "approval": bench_approval,
    "matching": bench_matching,
    "statements": bench_statements,
    "replicas": bench_replicas,
    "capacity": bench_capacity,
    "web": bench_web,
    "tagging": bench_tagging,
    "signals": bench_signals,
    "indexes": bench_indexes,
    "win-model": bench_win_model,
}


def main() -> int:
    results: list[dict] = []
    for name in sys.argv[1:] or BENCHMARKS:
        results += BENCHMARKS[name]()
    for r in results:
        print(
            f"{r['name']:<45} {r['value']:>12.2f} {r['unit']:<6} baseline {r['baseline']:>12.2f}  ratio {r['ratio']:.4g}"
        )
    Path("bench-results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
