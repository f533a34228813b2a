"""Signal evaluation after each activity (issue 17: p99 latency): the work the
stage-hint and intent consumers do on one `activity.tagged` event.

Set-up on a migrated SQLite database: BENCH_SIGNAL_CUSTOMERS (default 200)
customers of one rep, each with an open opportunity on a pipeline that has the
default hints' stages (样件制作, 报价谈判), and BENCH_SIGNAL_EVENTS (default
2,000) activities logged through ActivityHandlers.log over the last six days
in time order (calls and chats with bench.tagging's sales-chat texts, one in
twenty a demo), each tagged with the default groups, which puts its
activity.tagged envelope in the outbox. The tenant keeps the default stage
hints and intent signals (产品对比, 技术演示, 付款方式; any two within 14 days:
high intent; the tool pack is sent by its own sweep after the commit, not
timed here, and the knowledge base handed in is in-process).

Timed: each envelope, in order, through the two consumers as
crm_shared.messaging.EventConsumer applies it (inbox check and record, the
handler — StageHintConsumers / IntentConsumers as bootstrap wires them — and
the commit, each consumer its own unit of work), NATS fetch and ack left
out. Latency per event: both consumers. Baseline in the same run, for the same
envelope just before: two EventConsumers with handlers that do nothing
(the empty unit of work round trip: inbox check, record, commit)."""

from __future__ import annotations

import asyncio
import cProfile
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

from bench.intake import result
from bench.tagging import ROOT, TENANT, messages, seed_customers

CUSTOMERS = int(os.environ.get("BENCH_SIGNAL_CUSTOMERS", "200"))
# A path: the timed loop run under cProfile, its stats written there.
PROFILE = os.environ.get("BENCH_SIGNAL_PROFILE", "")
EVENTS = int(os.environ.get("BENCH_SIGNAL_EVENTS", "2000"))
REP = "zhangwei"


class InstantKnowledge:
    """The knowledge base's recommendations, answered in-process (the tool-pack sweep's gRPC call is not timed)."""

    async def recommend(self, tenant_id, *, stage, industry, product_line, signals, size):  # type: ignore[no-untyped-def]
        from opportunity.domain.intent_episode import ToolEntry

        return [ToolEntry("doc-cmp", "注塑机产品对比表", ("索要产品对比表",))][:size]


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def _run(url: str) -> dict[str, list[float] | int]:
    import sqlalchemy as sa
    from crm.events.v1.envelope_pb2 import Envelope
    from crm_shared.context import Caller
    from crm_shared.db import Database, outbox_table
    from crm_shared.events import subject_for
    from crm_shared.messaging import EventConsumer
    from opportunity.adapters.orm.intent import high_intents, intent_hits
    from opportunity.adapters.orm.stage_hints import stage_hints
    from opportunity.entrypoints.intent_consumers import IntentConsumers
    from opportunity.entrypoints.stage_hint_consumers import StageHintConsumers
    from opportunity.service_layer.activities import ActivityHandlers, LogActivity
    from opportunity.service_layer.intent import IntentHandlers
    from opportunity.service_layer.stage_hints import StageHintHandlers
    from opportunity.service_layer.stage_moves import StageMoveHandlers
    from opportunity.service_layer.uow import OpportunityUnitOfWork

    from bench.tagging import analyse, tenant_settings

    db = Database(url, "opportunity")

    def uow() -> OpportunityUnitOfWork:
        return OpportunityUnitOfWork(db)

    try:
        analyse(messages(20), tenant_settings())  # jieba's dictionary loaded before the set-up
        seeded = await seed_customers(uow, CUSTOMERS, wecom=False)
        rng = random.Random(23)
        rep = Caller(TENANT, REP, "rep")
        activities = ActivityHandlers(uow)
        start = datetime.now(UTC) - timedelta(days=6)
        appended: list[float] = []
        for n, text in enumerate(messages(EVENTS, seed=29)):
            customer_id, opportunity_id, _ = seeded[rng.randrange(len(seeded))]
            kind = "demo" if rng.random() < 0.05 else rng.choice(("call", "chat"))
            t0 = time.perf_counter()
            await activities.log(
                rep,
                LogActivity(
                    customer_id=customer_id,
                    kind=kind,
                    summary=text,
                    opportunity_id=opportunity_id,
                    occurred_at=start + timedelta(days=6) * n / EVENTS,
                ),
            )
            appended.append(time.perf_counter() - t0)
        async with db.engine.connect() as conn:
            rows = await conn.execute(
                sa.select(outbox_table.c.envelope)
                .where(outbox_table.c.subject == subject_for("activity.tagged"))
                .order_by(outbox_table.c.created_at)
            )
            envelopes = [Envelope.FromString(r.envelope) for r in rows]
        assert len(envelopes) == EVENTS, f"{len(envelopes)} activity.tagged of {EVENTS}"

        hints = StageHintHandlers(uow, StageMoveHandlers(uow, gates=None))  # type: ignore[arg-type]
        intents = IntentHandlers(uow, InstantKnowledge())

        async def nothing(envelope, uow) -> None:  # type: ignore[no-untyped-def]
            return None

        def consumer(durable: str, handler) -> EventConsumer:  # type: ignore[no-untyped-def]
            return EventConsumer(
                db=db, js=None, uow_factory=uow, durable=durable, subjects=["crm.activity.tagged"], handler=handler
            )  # type: ignore[arg-type]

        stage_consumer = consumer("opportunity-stage-hints", StageHintConsumers(hints).activity_tagged)
        intent_consumer = consumer("opportunity-intent-signals", IntentConsumers(intents).activity_tagged)
        empty = [consumer("bench-empty-1", nothing), consumer("bench-empty-2", nothing)]
        both: list[float] = []
        stage_only: list[float] = []
        intent_only: list[float] = []
        baseline: list[float] = []
        cpu_both: list[float] = []
        cpu_baseline: list[float] = []
        profiler = cProfile.Profile() if PROFILE else None
        if profiler:
            profiler.enable()
        for envelope in envelopes:
            # CPU time is the process's (aiosqlite's thread included): the wall clock also holds the neighbours.
            t0, c0 = time.perf_counter(), time.process_time()
            for c in empty:
                assert await c._apply(envelope) == "applied"
            t1, c1 = time.perf_counter(), time.process_time()
            assert await stage_consumer._apply(envelope) == "applied"
            t2 = time.perf_counter()
            assert await intent_consumer._apply(envelope) == "applied"
            t3, c3 = time.perf_counter(), time.process_time()
            baseline.append(t1 - t0)
            stage_only.append(t2 - t1)
            intent_only.append(t3 - t2)
            both.append(t3 - t1)
            cpu_baseline.append(c1 - c0)
            cpu_both.append(c3 - c1)
        if profiler:
            profiler.disable()
            profiler.dump_stats(PROFILE)
        async with db.engine.connect() as conn:
            counts = {
                t.name: (await conn.execute(sa.select(sa.func.count()).select_from(t))).scalar_one()
                for t in (stage_hints, intent_hits, high_intents)
            }
        return {
            "both": both,
            "stage": stage_only,
            "intent": intent_only,
            "baseline": baseline,
            "appended": appended,
            "cpu_both": cpu_both,
            "cpu_baseline": cpu_baseline,
            **counts,
        }
    finally:
        await db.dispose()


def bench_signals() -> list[dict]:
    from crm_shared.runtime import run_migrations

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/opportunity.db"
        run_migrations(ROOT / "services" / "opportunity" / "alembic.ini", url)
        out = asyncio.run(_run(url))
    load = f"load {os.getloadavg()[0]:.1f}"
    events = len(out["both"])
    ms = {
        k: (1000 * _pct(out[k], 50), 1000 * _pct(out[k], 99))
        for k in ("both", "stage", "intent", "baseline", "appended", "cpu_both", "cpu_baseline")
    }
    print(
        f"  signals over {events} activity.tagged ({CUSTOMERS} customers): {out['stage_hints']} hints, "
        f"{out['intent_hits']} signal hits, {out['high_intents']} high-intent episodes; p50/p99 ms: "
        + ", ".join(f"{k} {a:.1f}/{b:.1f}" for k, (a, b) in ms.items())
        + f"; {load}",
        file=sys.stderr,
    )
    note = f"baseline: the same two consumers' units of work with handlers that do nothing; {load}"
    rows = [
        ("p99", "ms", ms["both"][1], ms["baseline"][1]),
        ("p50", "ms", ms["both"][0], ms["baseline"][0]),
        ("CPU p50", "ms", ms["cpu_both"][0], ms["cpu_baseline"][0]),
    ]
    return [
        {**result(f"signals after each activity, {what} ({events} events, SQLite)", v, unit, b), "note": note}
        for what, unit, v, b in rows
    ]
