"""Recomputing every index of a tenant at the issue's size (issue 18: 50,000
customers, 200,000 opportunities, 2,000,000 activities): time and peak memory
of each area's full recompute, and the p99 of its incremental update per event.

Set-up: a migrated SQLite database (PostgreSQL with BENCH_POSTGRES=1) filled by
bench/indexes_data.py at BENCH_INDEXES_SCALE (default 1: the issue's size;
0.02 for a quick run), the generator's own time reported; the tenant's value
tier formula turned on (the seed's default formula: the tiers are the formula's).

(a) Each area's `recompute_tenant` in a fresh interpreter of its own (peak RSS is
    that process's ru_maxrss; the wall and CPU seconds of the call alone):
    contact depth (CDI of every customer), process health (every rep's PHI of
    the month), value tiers (every customer's tier), win model (trained on the
    closed opportunities, at most 100,000, then every open one scored), in that
    order. Baseline in the same run, in a process of its own that imports the
    same modules: one full scan of the tenant's activities (the columns the
    indexes read, every row fetched) and a COUNT over them.
(b) Per event, BENCH_INDEXES_EVENTS (default 500) activities logged by their
    owners on random open opportunities (ActivityHandlers.log, the set-up), each
    activity.logged envelope then applied, in order, by each area's consumer as
    crm_shared.messaging's EventConsumer / BatchEventConsumer applies it (inbox
    check and record, the handler as bootstrap wires it, the commit; NATS fetch
    and ack left out): contact depth, process health, the win model's score; and
    as many receipts recorded (projections.receipt_recorded, the receipts
    consumer's work: purchase total and the customer's tier). Baseline: the
    same envelope through an EventConsumer whose handler does nothing (the
    empty unit of work round trip).

An area whose recompute_tenant or consumer is not there is reported "not
available" (no figure). BENCH_INDEXES_PROFILE=<dir> runs each child under
cProfile (<dir>/<area>.prof, the top functions printed)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime

from bench.intake import POSTGRES, result
from bench.tagging import ROOT

SCALE = float(os.environ.get("BENCH_INDEXES_SCALE", "1"))
EVENTS = int(os.environ.get("BENCH_INDEXES_EVENTS", "500"))
TIMEOUT = float(os.environ.get("BENCH_INDEXES_TIMEOUT", "1800"))
PROFILE = os.environ.get("BENCH_INDEXES_PROFILE", "")
AREAS = ("contact_depth", "process_health", "customer_value", "win_model")


def _handlers(area: str, uow):  # type: ignore[no-untyped-def]
    """The area's handlers as bootstrap builds them, or None while the area has no recompute_tenant."""
    try:
        if area == "contact_depth":
            from opportunity.service_layer.contact_depth import ContactDepthHandlers as H
        elif area == "process_health":
            from opportunity.service_layer.process_health import ProcessHealthHandlers as H
        elif area == "customer_value":
            from opportunity.service_layer.customer_value import CustomerValueHandlers as H
        else:
            from opportunity.service_layer.win_model import WinModelHandlers as H
    except ImportError:
        return None
    handlers = H(uow)
    return handlers if hasattr(handlers, "recompute_tenant") else None


async def _scan(db) -> int:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa
    from opportunity.adapters.orm.activities import activities as a

    from bench.indexes_data import TENANT

    columns = (a.c.activity_id, a.c.customer_id, a.c.opportunity_id, a.c.kind, a.c.occurred_at, a.c.next_follow_up_at)
    seen = 0
    async with db.engine.connect() as conn:
        result_ = await conn.stream(sa.select(*columns).where(a.c.tenant_id == TENANT))
        async for part in result_.partitions(10_000):
            seen += len(part)
        counted = (
            await conn.execute(sa.select(sa.func.count()).select_from(a).where(a.c.tenant_id == TENANT))
        ).scalar_one()
    assert counted == seen, (counted, seen)
    return seen


async def _child(mode: str, url: str) -> dict:
    """In the child: one recompute (or the scan), timed."""
    import resource

    from crm_shared.db import Database
    from opportunity.service_layer.uow import OpportunityUnitOfWork

    from bench.indexes_data import TENANT

    for area in AREAS:  # the baseline process imports what the areas' processes do
        _handlers(area, None)
    db = Database(url, "opportunity")
    try:
        handlers = None if mode == "scan" else _handlers(mode, lambda: OpportunityUnitOfWork(db))
        if mode != "scan" and handlers is None:
            return {"available": False}
        t0, c0 = time.perf_counter(), time.process_time()
        rows = await (_scan(db) if handlers is None else handlers.recompute_tenant(TENANT))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        await db.dispose()
    return {
        "available": True,
        "rows": rows,
        "seconds": wall,
        "cpu": cpu,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run_child(mode: str, url: str) -> dict:
    cmd = [sys.executable, "-m", "bench.indexes", mode, url]
    try:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return {"available": True, "timed_out": True}
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return {"available": True, "failed": done.stderr.strip().splitlines()[-1:] or ["?"]}
    if done.stderr.strip():
        print(done.stderr.rstrip(), file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pct(values: list[float], q: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


async def _prepare(url: str) -> None:
    """The tenant's tiers by the seed's formula (on), so the value tier recompute has work."""
    from crm_shared.db import Database
    from opportunity.domain.indexes.value_tier import DEFAULT_SETTINGS
    from opportunity.service_layer.uow import OpportunityUnitOfWork

    from bench.indexes_data import TENANT

    db = Database(url, "opportunity")
    try:
        async with OpportunityUnitOfWork(db) as uow:
            data = DEFAULT_SETTINGS.to_data() | {"active": True}
            await uow.customer_value_settings.put(TENANT, 0, data, "bench", uow.clock.now())
            await uow.commit()
    finally:
        await db.dispose()


def _fill(url: str) -> tuple[float, dict[str, int]]:
    from bench.indexes_data import fill

    filled = asyncio.run(fill(url, SCALE, datetime.now(UTC)))
    asyncio.run(_prepare(url))
    return filled.seconds, filled.counts


def bench_indexes() -> list[dict]:
    from contextlib import ExitStack

    from crm_shared.runtime import run_migrations

    from bench.indexes_events import per_event
    from scripts.localstack import postgres_databases

    with ExitStack() as cleanup, tempfile.TemporaryDirectory() as tmp:
        url = (
            cleanup.enter_context(postgres_databases("indexes"))["opportunity"]
            if POSTGRES
            else f"sqlite+aiosqlite:///{tmp}/opportunity.db"
        )
        run_migrations(ROOT / "services" / "opportunity" / "alembic.ini", url)
        gen_seconds, counts = _fill(url)
        load = f"load {os.getloadavg()[0]:.1f}"
        print(
            f"  indexes: scale {SCALE:g}, generated in {gen_seconds:.1f}s: "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items())
            + f"; {load}",
            file=sys.stderr,
        )
        scan = _run_child("scan", url)
        full = {area: _run_child(area, url) for area in AREAS}
        events = asyncio.run(per_event(url, EVENTS))
    return _results(gen_seconds, counts, scan, full, events)


def _results(gen_seconds: float, counts: dict[str, int], scan: dict, full: dict, events: dict) -> list[dict]:
    load = f"load {os.getloadavg()[0]:.1f}"
    db = "PostgreSQL" if POSTGRES else "SQLite"
    size = f"{counts['customers']:,} customers, {counts['opportunities']:,} opportunities, {counts['activities']:,} activities"
    rows = sum(counts.values())
    out = [
        {
            **result(
                f"indexes: generating the tenant ({size}, {db}; rows/s vs scan)",
                rows / gen_seconds,
                "rows/s",
                scan["rows"] / scan["seconds"],
            ),
            "note": f"{rows:,} rows in {gen_seconds:.1f}s; baseline: the activities scan's rows/s; {load}",
        }
    ]
    print(
        f"  baseline scan of {scan['rows']:,} activities: {scan['seconds']:.2f}s wall / {scan['cpu']:.2f}s CPU, "
        f"peak RSS {scan['maxrss_mb']:.0f} MB",
        file=sys.stderr,
    )
    for area, r in full.items():
        name = f"indexes: recompute_tenant {area} ({size}, {db})"
        if not r.get("available"):
            print(f"  {area}: not available (no recompute_tenant)", file=sys.stderr)
            out.append(
                {
                    "name": name,
                    "value": 0.0,
                    "unit": "s",
                    "baseline": scan["seconds"],
                    "ratio": 0.0,
                    "note": "not available",
                }
            )
            continue
        if "seconds" not in r:
            why = "timed out" if r.get("timed_out") else f"failed: {r.get('failed')}"
            print(f"  {area}: {why}", file=sys.stderr)
            out.append(
                {"name": name, "value": 0.0, "unit": "s", "baseline": scan["seconds"], "ratio": 0.0, "note": why}
            )
            continue
        print(
            f"  {area}: {r['rows']:,} rows in {r['seconds']:.1f}s wall / {r['cpu']:.1f}s CPU, peak RSS "
            f"{r['maxrss_mb']:.0f} MB ({r['seconds'] / scan['seconds']:.1f}x the scan's time)",
            file=sys.stderr,
        )
        note = f"{r['rows']:,} rows, {r['cpu']:.1f}s CPU; baseline: one full scan of the activities; {load}"
        out.append({**result(name, r["seconds"], "s", scan["seconds"]), "note": note})
        out.append(
            {
                **result(
                    f"indexes: peak RSS of recompute_tenant {area} (vs the scan's process)",
                    r["maxrss_mb"],
                    "MB",
                    scan["maxrss_mb"],
                ),
                "note": note,
            }
        )
    base = events.pop("baseline")
    for area, lat in events.items():
        name = f"indexes: per event {area}, p99 ({len(base)} events, {db})"
        if lat is None:
            out.append(
                {"name": name, "value": 0.0, "unit": "ms", "baseline": 0.0, "ratio": 0.0, "note": "not available"}
            )
            continue
        p50, p99, b50, b99 = (1000 * _pct(x, q) for x, q in ((lat, 50), (lat, 99), (base, 50), (base, 99)))
        print(
            f"  per event {area}: p50/p99 {p50:.1f}/{p99:.1f} ms (empty unit of work {b50:.1f}/{b99:.1f})",
            file=sys.stderr,
        )
        note = f"p50 {p50:.1f} ms (baseline {b50:.1f}); baseline: an EventConsumer with a handler that does nothing; {load}"
        out.append({**result(name, p99, "ms", b99), "note": note})
    return out


def _main(argv: list[str]) -> None:
    mode, url = argv
    if PROFILE:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        found = profiler.runcall(asyncio.run, _child(mode, url))
        path = os.path.join(PROFILE, f"{mode}.prof")
        profiler.dump_stats(path)
        pstats.Stats(path, stream=sys.stderr).sort_stats("tottime").print_stats(15)
    else:
        found = asyncio.run(_child(mode, url))
    print(json.dumps(found))


if __name__ == "__main__":
    _main(sys.argv[1:])
