"""The follow-up job and aging reads against the real database (SQLite here,
PostgreSQL in CI) on a controllable clock: an instalment more than 30 days
overdue gets its legal and account manager tasks and the manager's notice
exactly once over reruns; a reminder before due; aging as of a date counts
receipts paid by then; another tenant's rows are never read. F1's rows are
written directly (F1 owns them; this test only needs them present)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from crm_shared.clock import FixedClock
from crm_shared.db import Database, outbox_table
from finance_reconciliation.adapters.orm.follow_up import follow_up_actions
from finance_reconciliation.adapters.orm.plans import instalments, payment_plans
from finance_reconciliation.adapters.orm.projections import finance_rep_profiles, opportunities
from finance_reconciliation.adapters.orm.receipts import ledger_postings, receipts
from finance_reconciliation.domain.aging import CUSTOMER, D31_60, NOT_DUE, age
from finance_reconciliation.service_layer.follow_up import FollowUpJob
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

from tests.support.infra import migrate

NOW = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, 2026-11-05
TODAY = date(2026, 11, 5)


def _row(table: sa.Table, **given: object) -> dict:
    plain = {sa.String: "", sa.Integer: 0, sa.BigInteger: 0, sa.Date: date(2026, 10, 1), sa.JSON: [],
             sa.DateTime: NOW, sa.Boolean: False, sa.Float: 0.0}
    out = dict(given)
    for col in table.columns:
        if col.name not in out and not col.nullable and col.server_default is None:
            out[col.name] = next(v for t, v in plain.items() if isinstance(col.type, t))
    return out


@pytest.fixture
async def db(database_url: str):
    await migrate("finance-reconciliation", database_url)
    clock = FixedClock(NOW)
    database = Database(database_url, "finance-test", clock)
    async with database.engine.begin() as conn:
        # rep-1's manager, as lead-routing announced it (tenant-b has no profile for rep-1).
        await conn.execute(sa.insert(finance_rep_profiles).values(
            tenant_id="tenant-a", rep_id="rep-1", name="张伟", team="华东一组", manager_id="mgr-1", region="",
            active=True, updated_at=NOW))
        await conn.execute(sa.insert(opportunities), [
            _row(opportunities, tenant_id=t, opportunity_id="o1", customer_name="宁波华晨", owner_id="rep-1",
                 currency="CNY", province="浙江", region="华东") for t in ("tenant-a", "tenant-b")])
        await conn.execute(sa.insert(payment_plans), [
            _row(payment_plans, tenant_id=t, plan_id=f"p-{t}", contract_id="k1", contract_version_id="v1",
                 opportunity_id="o1", customer_id="c1", status="open", total_minor=300_000, currency="CNY")
            for t in ("tenant-a", "tenant-b")])
        due = {"late": TODAY - timedelta(days=31), "soon": TODAY + timedelta(days=7), "paid": TODAY - timedelta(days=40)}
        await conn.execute(sa.insert(instalments), [
            _row(instalments, instalment_id=f"{t[-1]}-{name}", tenant_id=t, plan_id=f"p-{t}", contract_id="k1",
                 contract_version_id="v1", opportunity_id="o1", customer_id="c1", owner_id="rep-1", seq=n,
                 amount_minor=100_000, currency="CNY", due_on=d, paid_minor=0, state="due")
            for t in ("tenant-a", "tenant-b") for n, (name, d) in enumerate(due.items())])
        await conn.execute(sa.insert(receipts), [
            _row(receipts, receipt_id="r1", tenant_id="tenant-a", contract_id="k1", contract_version_id="v1",
                 instalment_id="a-paid", opportunity_id="o1", customer_id="c1", amount_minor=100_000, currency="CNY",
                 paid_on=TODAY - timedelta(days=3), lead_source="展会", source="manual", status="recorded",
                 reversed_at=None),
            _row(receipts, receipt_id="r2", tenant_id="tenant-a", contract_id="k1", contract_version_id="v1",
                 instalment_id="a-late", opportunity_id="o1", customer_id="c1", amount_minor=40_000, currency="CNY",
                 paid_on=TODAY - timedelta(days=20), lead_source="展会", source="manual", status="reversed",
                 reversed_at=NOW - timedelta(days=2)),
        ])
    yield database, clock
    await database.dispose()


async def _actions(db: Database) -> list[tuple]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(sa.select(follow_up_actions.c.tenant_id, follow_up_actions.c.kind,
                                            follow_up_actions.c.instalment_id, follow_up_actions.c.assignee))
        return sorted(tuple(r) for r in rows)


async def _notices(db: Database) -> list[str]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(sa.select(outbox_table.c.subject).where(
            outbox_table.c.subject.like("%notification%")))
        return [t for (t,) in rows]


async def _bodies(db: Database) -> list[str]:
    from crm.events.v1.envelope_pb2 import Envelope
    from crm.events.v1.notification_pb2 import NotificationRequested
    from crm_shared.events import unpack

    async with db.engine.connect() as conn:
        rows = await conn.execute(sa.select(outbox_table.c.envelope).where(
            outbox_table.c.subject.like("%notification%")))
        return [unpack(Envelope.FromString(e), NotificationRequested).body for (e,) in rows]


async def test_thirty_days_overdue_tasks_and_notice_once_and_a_reminder(db):
    database, clock = db
    job = FollowUpJob(lambda: FinanceUnitOfWork(database), reminder_days=(7, 1))
    assert await job.run() == 9  # tenant-a: 3 for the red one + a reminder; tenant-b: 2 + 2 red (no manager) + a reminder
    acts = await _actions(database)
    a = [x[1:] for x in acts if x[0] == "tenant-a"]
    assert a == sorted([("legal_task", "a-late", "legal"), ("account_manager_task", "a-late", "rep-1"),
                        ("manager_notice", "a-late", "mgr-1"), ("reminder", "a-soon", "rep-1")])
    # tenant-b: its "paid" instalment has no receipt there (tenant-a's is not its), so it is red too.
    b = {x[1:3] for x in acts if x[0] == "tenant-b"}
    assert b == {("legal_task", "b-late"), ("account_manager_task", "b-late"), ("legal_task", "b-paid"),
                 ("account_manager_task", "b-paid"), ("reminder", "b-soon")}
    # Told: rep-1 twice (task, reminder) and mgr-1 in tenant-a; in tenant-b two tasks and a reminder (legal: a queue).
    assert len(await _notices(database)) == 6
    # The amount is told in 元 from 分, exactly.
    assert any("1,000.00 CNY" in body for body in await _bodies(database))
    # Reruns the same day and the next: nothing new for what was done.
    assert await job.run() == 0
    clock.advance(timedelta(days=1))
    assert await job.run() == 0
    assert len(await _notices(database)) == 6
    # Six days later (1 day before due): the 1-day reminder, once.
    clock.advance(timedelta(days=5))
    assert await job.run() == 2
    assert await job.run() == 0
    assert len(await _notices(database)) == 8


async def test_aging_as_of_a_date_from_the_database(db):
    database, _ = db
    async with FinanceUnitOfWork(database) as uow:
        insts = await uow.aging.instalments("tenant-a")
        pays = await uow.aging.payments("tenant-a", [i.instalment_id for i in insts])
    assert {i.region for i in insts} == {"华东"}
    (now_row,) = age(insts, pays, TODAY, CUSTOMER)
    # late: 100,000 owed (the 40,000 receipt was reversed); soon: not due; paid: nothing.
    assert now_row.buckets[D31_60] == 100_000 and now_row.buckets[NOT_DUE] == 100_000
    assert now_row.total_minor == 200_000
    # A week ago the reversal had not happened and the "paid" receipt not arrived.
    (week_ago,) = age(insts, pays, TODAY - timedelta(days=7), CUSTOMER)
    assert week_ago.buckets[D31_60] == 100_000  # "paid", 33 days overdue then
    assert week_ago.total_minor == 60_000 + 100_000 + 100_000
    assert all(i.instalment_id.startswith("a-") for i in insts)


async def test_aging_counts_write_offs_and_carry_overs_from_the_ledger(db):
    """A write-off (and its reversal) and a carry-over settle without a receipt of their own,
    each on the business day it was posted; another tenant's postings are never read."""
    database, _ = db

    def posting(tenant: str, kind: str, amount: int, days_ago: int, receipt_id: str | None = None) -> dict:
        return _row(ledger_postings, posting_id=f"{tenant}-{kind}-{amount}", tenant_id=tenant, entry_id="e",
                    kind=kind, receipt_id=receipt_id, instalment_id=f"{tenant[-1]}-late", amount_minor=amount,
                    currency="CNY", posted_by="liufang", reason="test", posted_at=NOW - timedelta(days=days_ago))

    async with database.engine.begin() as conn:
        await conn.execute(sa.insert(ledger_postings), [
            posting("tenant-a", "write_off", 30_000, 2), posting("tenant-a", "write_off", -30_000, 1),
            posting("tenant-a", "allocation", 20_000, 1),  # a carry-over: no receipt of its own
            posting("tenant-a", "allocation", 99_000, 1, receipt_id="r1"),  # a receipt's: counted by the receipt
            posting("tenant-b", "write_off", 100_000, 1),
        ])
    async with FinanceUnitOfWork(database) as uow:
        insts = await uow.aging.instalments("tenant-a")
        pays = await uow.aging.payments("tenant-a", [i.instalment_id for i in insts])
        b_insts = await uow.aging.instalments("tenant-b")
        b_pays = await uow.aging.payments("tenant-b", [i.instalment_id for i in b_insts])
    late = [i for i in insts if i.instalment_id == "a-late"]
    # Today: the write-off was reversed, the 20,000 carried over stays: 80,000 owed.
    (today,) = age(late, pays, TODAY, CUSTOMER)
    assert today.buckets[D31_60] == 80_000
    # Two days ago the write-off stood (and the receipt's reversal that day too): 70,000 owed.
    (then,) = age(late, pays, TODAY - timedelta(days=2), CUSTOMER)
    assert then.total_minor == 70_000
    # tenant-b's write-off settles its own "late" only.
    assert {r.key: r.total_minor for r in age(b_insts, b_pays, TODAY, CUSTOMER)} == {"c1": 200_000}


async def test_customer_stats_event_with_figures_worked_by_hand(db):
    from crm.events.v1.envelope_pb2 import Envelope
    from crm.events.v1.finance_pb2 import CustomerPaymentStats
    from crm_shared.events import unpack
    from finance_reconciliation.service_layer.aging import publish_customer_stats

    database, _ = db
    async with FinanceUnitOfWork(database) as uow:
        assert await publish_customer_stats(uow, "tenant-a", "c1") == 1
        await uow.commit()
    async with database.engine.connect() as conn:
        (subject, envelope), = (await conn.execute(sa.select(outbox_table.c.subject, outbox_table.c.envelope)
                                                  .where(outbox_table.c.subject.like("%customer_stats%")))).all()
    assert subject.startswith("crm.payment.")
    stats = unpack(Envelope.FromString(envelope), CustomerPaymentStats)
    # Due by today: late (unpaid, reversal) and paid (paid 37 days after its due day): 0 of 2 on time.
    assert (stats.due_count, stats.on_time_count, stats.on_time_rate_bp) == (2, 0, 0)
    # Receivable 100,000 (late); fell due in the last 90 days: late + paid = 200,000 -> DSO 45.0 days.
    assert stats.receivable.amount_minor == 100_000 and stats.dso_tenths == 450
