"""Matching 100,000 statement lines against 50,000 open instalments (issue 13:
<= 3 s on this machine), domain/matching.py with the default rules.

Generated: 12,500 contracts of 4 instalments over 5,000 customers. Lines:
40 % carry the contract number (some paying part, some two instalments at
once), 15 % only the payer's name (with or without its company suffix) and
the exact or a slightly short amount, 10 % only an amount near a due date,
35 % noise (no known contract, payer or amount).

Baseline in the same run: the straightforward per-line scan — each line
tries every open instalment in turn (contract number in the remark, then
fuzzy payer plus amount, then amount in the window) and takes the first
that fits, greedy. It is quadratic, so it is timed on the first 300 lines and
scaled per line to 100,000 (stated in the result's name).

Then the run's confirm path: CONFIRM_LINES confident matches (seed_statement) stored and confirmed by
MatchingHandlers.run on a migrated SQLite database, confirm_batch matches per unit of work (bulk reads,
one savepoint each, one commit), against the same run confirming one match per unit of work (how runs
confirmed before batches) on a second database seeded alike: lines matched and confirmed per second.
CPU time is printed beside wall time: on a shared machine the wall clock says more about the neighbours."""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from finance_reconciliation.domain.match_rule import default_rules
from finance_reconciliation.domain.matching import Line, OpenItem, match_lines
from finance_reconciliation.domain.payer_names import name_score

CONTRACTS, PER_CONTRACT, CUSTOMERS, LINES = 12_500, 4, 5_000, 100_000
BASELINE_LINES = 300
CONFIRM_LINES = int(os.environ.get("BENCH_CONFIRM_LINES", "300"))
ROOT = Path(__file__).resolve().parent.parent
START = date(2026, 1, 1)
CITIES = ["宁波", "台州", "余姚", "东莞", "佛山", "苏州", "无锡", "温州", "昆山", "慈溪"]
TRADES = ["塑料制品", "模具", "精密注塑", "电器", "包装材料", "汽车配件", "五金", "塑胶"]


def _data(seed: int = 13) -> tuple[list[OpenItem], list[Line]]:
    rnd = random.Random(seed)
    customers = [f"{rnd.choice(CITIES)}{rnd.choice(TRADES)}{n:04d}有限公司" for n in range(CUSTOMERS)]
    items: list[OpenItem] = []
    for c in range(CONTRACTS):
        ref = f"HT-2026-{c:05d}"
        cust = customers[c % CUSTOMERS]
        for s in range(PER_CONTRACT):
            amount = rnd.randrange(50_000_00, 900_000_00, 100) + rnd.randrange(100)
            due = START + timedelta(days=rnd.randrange(330) + 30 * s)
            items.append(OpenItem(f"i{c}-{s}", f"c{c}", ref, cust, due, amount, "CNY", s))
    lines: list[Line] = []
    for n in range(LINES):
        it = rnd.choice(items)
        booked = (it.due_on or START) + timedelta(days=rnd.randrange(-3, 4))
        kind = rnd.random()
        if kind < 0.40:
            amount = it.outstanding_minor if rnd.random() < 0.7 else it.outstanding_minor // 2
            lines.append(Line(f"l{n}", booked, amount, "CNY", it.customer_name, f"货款 {it.contract_ref}"))
        elif kind < 0.55:
            payer = it.customer_name if rnd.random() < 0.5 else it.customer_name.replace("有限公司", "股份有限公司")
            amount = it.outstanding_minor - rnd.choice((0, 0, 2_500))
            lines.append(Line(f"l{n}", booked, amount, "CNY", payer, "转账"))
        elif kind < 0.65:
            lines.append(Line(f"l{n}", booked, it.outstanding_minor, "CNY", "", ""))
        else:
            lines.append(Line(f"l{n}", booked, rnd.randrange(1_000, 40_000_00), "CNY", f"个人{n}", "其他"))
    return items, lines


def _per_line_scan(rules, items: list[OpenItem], lines: list[Line]) -> int:
    contract, payer, window = rules
    open_ = {it.instalment_id: it.outstanding_minor for it in items}
    found = 0
    for ln in lines:
        for it in items:
            left = open_[it.instalment_id]
            if left <= 0:
                continue
            if (it.contract_ref in ln.remark
                    or (contract.tolerance.accepts(ln.amount_minor, left)
                        and name_score(ln.counterparty_name, it.customer_name, payer.min_name_score))
                    or (window.tolerance.accepts(ln.amount_minor, left) and it.due_on
                        and abs((ln.booked_on - it.due_on).days) <= window.window_days)):
                open_[it.instalment_id] = max(0, left - ln.amount_minor)
                found += 1
                break
    return found


def bench_matching() -> list[dict]:
    items, lines = _data()
    rules = default_rules("bench")
    best = cpu = float("inf")
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        matches = match_lines(rules, items, lines)
        best, cpu = min(best, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    confident = sum(m.confident for m in matches)
    t0 = time.perf_counter()
    _per_line_scan(rules, items, lines[:BASELINE_LINES])
    scan = (time.perf_counter() - t0) * LINES / BASELINE_LINES
    print(f"matching: best of 3 {best:.2f}s wall, {cpu:.2f}s CPU", file=sys.stderr)
    return [{
        "name": f"matching 100k lines x 50k instalments ({len(matches)} matched, {confident} confident)",
        "value": best * 1000, "unit": "ms",
        "baseline": scan * 1000, "ratio": best / scan,
        "note": f"baseline: per-line scan of every instalment, first fit; timed on {BASELINE_LINES} lines, scaled",
    }, *bench_confirm()]


async def _run_and_confirm(url: str, one_by_one: bool) -> tuple[float, float, int]:
    """(wall s, CPU s, confirmed) of one MatchingHandlers.run over CONFIRM_LINES seeded lines."""
    from crm_shared.context import Caller
    from crm_shared.db import Database
    from crm_shared.subject_access import SubjectAccess
    from finance_reconciliation.domain.receipt import Tolerance as ReceiptTolerance
    from finance_reconciliation.service_layer.matching import MatchingHandlers
    from finance_reconciliation.service_layer.receipts import ReceiptHandlers
    from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

    await seed_statement(url, "bench", CONFIRM_LINES, datetime.now(UTC).date())
    db = Database(url, "finance-reconciliation")

    def uow() -> FinanceUnitOfWork:
        return FinanceUnitOfWork(db)

    handlers = MatchingHandlers(uow, ReceiptHandlers(uow, SubjectAccess("", "bench", 1.0), ReceiptTolerance()))
    if one_by_one:  # how a run confirmed before batches: one unit of work per match
        handlers._confirm_batch = handlers._confirm_each  # type: ignore[method-assign]
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        report = await handlers.run(Caller("bench", "finance-matching", "finance"))
        return time.perf_counter() - t0, time.process_time() - c0, len(report.confirmed)
    finally:
        await db.dispose()


def bench_confirm() -> list[dict]:
    from crm_shared.runtime import run_migrations

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for one_by_one in (True, False):
            url = f"sqlite+aiosqlite:///{tmp}/finance-{int(one_by_one)}.db"
            run_migrations(ROOT / "services" / "finance-reconciliation" / "alembic.ini", url)
            out[one_by_one] = asyncio.run(_run_and_confirm(url, one_by_one))
            assert out[one_by_one][2] == CONFIRM_LINES, out[one_by_one]
    (wall1, cpu1, _), (wall_b, cpu_b, _) = out[True], out[False]
    print(f"matching confirm of {CONFIRM_LINES} lines: batched {wall_b:.1f}s wall / {cpu_b:.1f}s CPU, "
          f"one per unit of work {wall1:.1f}s wall / {cpu1:.1f}s CPU", file=sys.stderr)
    rate, base = CONFIRM_LINES / wall_b, CONFIRM_LINES / wall1
    return [{
        "name": f"matching run + confirm, {CONFIRM_LINES} lines, SQLite (lines/s, vs one per unit of work)",
        "value": rate, "unit": "l/s", "baseline": base, "ratio": rate / base,
    }]


async def seed_statement(url: str, tenant: str, n: int, today: date) -> None:
    """n signed contracts (each its own customer) with one instalment due a month ago, and n credit lines
    booked yesterday naming each contract's number and paying it exactly: n confident matches for a run,
    written straight into a migrated finance database (bench/capacity.py; its use cases own these rows)."""
    import sqlalchemy as sa
    from crm_shared.db import Database
    from finance_reconciliation.adapters.orm.contracts import finance_contracts
    from finance_reconciliation.adapters.orm.plans import instalments
    from finance_reconciliation.adapters.orm.projections import opportunities
    from finance_reconciliation.adapters.orm.statements import statement_lines

    due, booked = today - timedelta(days=30), today - timedelta(days=1)
    signed = due - timedelta(days=30)
    rows: dict[sa.Table, list[dict]] = {opportunities: [], finance_contracts: [], instalments: [], statement_lines: []}
    for k in range(n):
        customer, number, amount = f"宁波压测客户{k:05d}有限公司", f"HT-2026-{k:05d}", 100_000_00
        ids = {"tenant_id": tenant, "opportunity_id": f"bo{k}"}
        rows[opportunities].append({**ids, "customer_name": customer, "owner_id": "zhangwei", "currency": "CNY"})
        ids |= {"contract_id": f"bk{k}", "customer_id": f"bc{k}"}
        rows[finance_contracts].append({
            **ids, "version_id": f"bv{k}", "signed_version_id": f"bv{k}", "label": f"V{k}", "contract_number": number,
            "total_minor": amount, "currency": "CNY", "equipment": [], "terms": [], "signed_on": signed,
            "status": "in_force"})
        rows[instalments].append({
            **ids, "instalment_id": f"bi{k}", "plan_id": f"bp{k}", "contract_version_id": f"bv{k}",
            "owner_id": "zhangwei", "seq": 1, "name": "首付", "trigger": "advance", "days": 0, "amount_minor": amount,
            "currency": "CNY", "due_on": due, "paid_minor": 0, "state": "due"})
        rows[statement_lines].append({
            "line_id": f"bl{k}", "tenant_id": tenant, "statement_id": "bench-statement", "account": "6222000011112222",
            "bank_ref": f"BR{k:06d}", "booked_on": booked, "amount_minor": amount, "currency": "CNY",
            "direction": "credit", "counterparty_name": customer, "counterparty_account": "", "remark": f"货款 {number}",
            "status": "unmatched"})
    db = Database(url, "finance-reconciliation")
    try:
        async with db.engine.begin() as conn:
            for table, values in rows.items():
                for chunk in range(0, len(values), 2_000):
                    await conn.execute(sa.insert(table), values[chunk: chunk + 2_000])
    finally:
        await db.dispose()
