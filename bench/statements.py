"""Import of a 100,000-line bank statement (issue 13): lines per second and
peak Python memory (tracemalloc, in a separate import as another tenant:
tracing slows allocation several times over), for an MT940 and a 工商银行 GBK CSV, into
a migrated SQLite database through StatementHandlers.import_file (parse,
balance check, known-line lookup, insert, commit). Then the same file again
(every line known). Baseline in the same run: csv.reader over the same CSV
text with each amount to Decimal, nothing stored (what reading the file
costs at all)."""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

from crm_shared.context import Caller
from crm_shared.db import Database
from crm_shared.runtime import run_migrations
from finance_reconciliation.service_layer.statements import ImportFile, StatementHandlers
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

from tests.support import bank_files as bf

LINES = 100_000
ROOT = Path(__file__).resolve().parent.parent
FINANCE = Caller("bench", "fin-1", "finance")


def _result(name: str, value: float, unit: str, baseline: float) -> dict:
    return {"name": name, "value": value, "unit": unit, "baseline": baseline,
            "ratio": value / baseline if baseline else 0.0}


def _baseline(content: bytes) -> float:
    started = time.perf_counter()
    rows = 0
    for row in csv.reader(io.StringIO(content.decode("gb18030"))):
        if len(row) > 4 and row[3][:1].isdigit():
            Decimal(row[3])
        rows += 1
    return rows / (time.perf_counter() - started)


async def _import(url: str, name: str, content: bytes, caller: Caller = FINANCE, traced: bool = False) -> tuple[float, int]:
    """(lines/s, new lines), or (peak MiB, new lines) when traced."""
    db = Database(url, "finance-reconciliation")
    handlers = StatementHandlers(lambda: FinanceUnitOfWork(db))
    try:
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        report = await handlers.import_file(caller, ImportFile(name, content))
        elapsed = time.perf_counter() - started
        if traced:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            return peak / 2**20, report.count("new")
        return len(report.lines) / elapsed, report.count("new")
    finally:
        await db.dispose()


def bench_statements() -> list[dict]:
    entries = bf.entries(LINES)
    files = {"mt940": ("big.sta", bf.mt940("6222000011112222", entries)),
             "icbc csv": ("big.csv", bf.icbc_csv("1001234509876543210", entries))}
    baseline = _baseline(files["icbc csv"][1])
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/finance.db"
        run_migrations(ROOT / "services" / "finance-reconciliation" / "alembic.ini", url)
        for kind, (name, content) in files.items():
            rate, new = asyncio.run(_import(url, name, content))
            assert new == LINES, new
            results.append(_result(f"statement import {kind} {LINES} lines (lines/s, vs csv read)", rate, "l/s", baseline))
            again, new = asyncio.run(_import(url, name, content))
            assert new == 0, new
            results.append(_result(f"statement re-import {kind}, all known (lines/s)", again, "l/s", baseline))
            peak, new = asyncio.run(_import(url, name, content, Caller("bench-2", "fin-2", "finance"), traced=True))
            assert new == LINES, new
            results.append(_result(f"statement import {kind} peak memory (MiB, vs file size)", peak, "MiB",
                                   len(content) / 2**20))
    return results
