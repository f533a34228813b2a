"""The indexes bench's per-event part (bench/indexes.py (b)): each area's
incremental update applied to one event at a time on the filled tenant, as its
durable consumer applies it, against the empty unit of work round trip."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bench.indexes_data import TENANT

LOGGED = ["crm.activity.logged"]


async def _log_activities(db, uow, count: int) -> tuple[list, list[tuple[str, str, str]]]:  # type: ignore[no-untyped-def]
    """count calls logged by their owners on random open opportunities; their activity.logged envelopes."""
    import sqlalchemy as sa
    from crm.events.v1.envelope_pb2 import Envelope
    from crm_shared.context import Caller
    from crm_shared.db import outbox_table
    from crm_shared.events import subject_for
    from opportunity.adapters.orm.opportunities import opportunities as o
    from opportunity.service_layer.activities import ActivityHandlers, LogActivity

    async with db.engine.connect() as conn:
        picked = [
            (r.opportunity_id, r.customer_id, r.owner_id)
            for r in await conn.execute(
                sa.select(o.c.opportunity_id, o.c.customer_id, o.c.owner_id)
                .where(o.c.tenant_id == TENANT, o.c.status == "open")
                .order_by(sa.func.random())
                .limit(count)
            )
        ]
    activities = ActivityHandlers(uow)
    for opportunity_id, customer_id, owner in picked:
        await activities.log(
            Caller(TENANT, owner, "rep"),
            LogActivity(
                customer_id=customer_id, kind="call", summary="电话沟通预算和交期", opportunity_id=opportunity_id
            ),
        )
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            sa.select(outbox_table.c.envelope)
            .where(outbox_table.c.subject == subject_for("activity.logged"))
            .order_by(outbox_table.c.created_at)
        )
        envelopes = [Envelope.FromString(r.envelope) for r in rows]
    return envelopes[-len(picked) :], picked


def _receipts(picked: list[tuple[str, str, str]]) -> list:  # type: ignore[no-untyped-def]
    """payment.receipt_recorded for each picked opportunity, as finance publishes it."""
    from crm.common.v1.common_pb2 import Money
    from crm.events.v1 import finance_pb2
    from crm_shared.events import make_envelope

    now = datetime.now(UTC)
    return [
        make_envelope(
            "payment.receipt_recorded",
            TENANT,
            f"bench-rc-{k}",
            finance_pb2.ReceiptRecorded(
                receipt_id=f"bench-rc-{k}",
                opportunity_id=opportunity_id,
                customer_id=customer_id,
                amount=Money(amount_minor=300_000_00, currency="CNY"),
                paid_on=now.date().isoformat(),
                status="recorded",
            ),
            source="finance",
            occurred_at=now,
        )
        for k, (opportunity_id, customer_id, _) in enumerate(picked)
    ]


def _consumers(db, uow) -> dict:  # type: ignore[no-untyped-def]
    """Each area's consumer of activity.logged (None: not there), as bootstrap wires it."""
    from crm_shared.messaging import BatchEventConsumer, EventConsumer

    def one(durable: str, handler) -> EventConsumer:  # type: ignore[no-untyped-def]
        return EventConsumer(db=db, js=None, uow_factory=uow, durable=durable, subjects=LOGGED, handler=handler)  # type: ignore[arg-type]

    found: dict = {}
    try:
        from opportunity.entrypoints.contact_depth_consumers import ContactDepthConsumers
        from opportunity.service_layer.contact_depth import ContactDepthHandlers

        handler = ContactDepthConsumers(ContactDepthHandlers(uow)).activities_changed
        found["contact_depth"] = BatchEventConsumer(
            db=db, js=None, uow_factory=uow, durable="bench-cdi", subjects=LOGGED, handler=handler, batch_size=200
        )
    except ImportError:
        found["contact_depth"] = None
    try:
        from opportunity.entrypoints.process_health_consumers import ProcessHealthConsumers
        from opportunity.service_layer.process_health import ProcessHealthHandlers

        found["process_health"] = one("bench-phi", ProcessHealthConsumers(ProcessHealthHandlers(uow)).moved)
    except ImportError:
        found["process_health"] = None
    try:
        from opportunity.entrypoints.win_model_consumers import WinModelConsumers
        from opportunity.service_layer.win_model import WinModelHandlers

        found["win_model"] = one("bench-win", WinModelConsumers(WinModelHandlers(uow)).activity_logged)
    except ImportError:
        found["win_model"] = None
    return found


async def per_event(url: str, count: int) -> dict[str, list[float] | None]:
    from crm_shared.db import Database
    from crm_shared.messaging import EventConsumer
    from opportunity.entrypoints.consumers import OpportunityConsumers
    from opportunity.service_layer.uow import OpportunityUnitOfWork

    db = Database(url, "opportunity")

    def uow() -> OpportunityUnitOfWork:
        return OpportunityUnitOfWork(db)

    async def nothing(envelope, uow) -> None:  # type: ignore[no-untyped-def]
        return None

    try:
        envelopes, picked = await _log_activities(db, uow, count)
        consumers = _consumers(db, uow)
        empty = EventConsumer(db=db, js=None, uow_factory=uow, durable="bench-empty", subjects=LOGGED, handler=nothing)  # type: ignore[arg-type]
        timed: dict[str, list[float] | None] = {"baseline": []}
        timed |= {area: ([] if c is not None else None) for area, c in consumers.items()}
        for envelope in envelopes:
            t0 = time.perf_counter()
            assert await empty._apply(envelope) == "applied"
            timed["baseline"].append(time.perf_counter() - t0)  # type: ignore[union-attr]
            for area, c in consumers.items():
                if c is None:
                    continue
                t0 = time.perf_counter()
                assert await c._apply(envelope) == "applied"
                timed[area].append(time.perf_counter() - t0)  # type: ignore[union-attr]
        # Receipts: the receipts consumer (purchase total, counted receipt, the customer's tier recomputed).
        receipts = EventConsumer(
            db=db,
            js=None,
            uow_factory=uow,
            durable="bench-receipts",
            subjects=["crm.payment.receipt_recorded"],
            handler=OpportunityConsumers(None, None).receipt_changed,  # type: ignore[arg-type]
        )
        timed["customer_value"] = []
        for envelope in _receipts(picked):
            t0 = time.perf_counter()
            assert await receipts._apply(envelope) == "applied"
            timed["customer_value"].append(time.perf_counter() - t0)
        return timed
    finally:
        await db.dispose()
