"""Importing bank statements into a real, migrated database (SQLite, and
PostgreSQL in CI): each line counted once however often or overlapping
the files come, a file whose balances do not add up held whole, unknown
layouts refused, tenants apart, partners and reps refused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from crm_shared.context import Caller
from crm_shared.db import Database
from crm_shared.domain.errors import InvalidArgument, NotFound, PermissionDenied, TooLarge
from finance_reconciliation.adapters.orm import bank_statements, statement_lines
from finance_reconciliation.domain.bank_layout import BankLayout
from finance_reconciliation.domain.statement import MAX_FILE_BYTES
from finance_reconciliation.service_layer.statements import ImportFile, StatementHandlers
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

from tests.support import bank_files as bf
from tests.support.infra import migrate

FINANCE = Caller("tenant-a", "fin-1", "finance")
ADMIN = Caller("tenant-a", "admin-1", "admin")
OTHER_TENANT = Caller("tenant-b", "fin-9", "finance")
ACCOUNT = "1001234509876543210"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    await migrate("finance-reconciliation", database_url)
    database = Database(database_url, "finance-reconciliation")
    yield database
    await database.dispose()


@pytest.fixture
def handlers(db: Database) -> StatementHandlers:
    return StatementHandlers(lambda: FinanceUnitOfWork(db))


async def _stored_lines(db: Database, tenant: str = "tenant-a") -> int:
    async with db.sessions() as session:
        query = sa.select(sa.func.count()).select_from(statement_lines).where(statement_lines.c.tenant_id == tenant)
        return (await session.execute(query)).scalar_one()


FILES = {
    "camt053": (lambda e: bf.camt053(ACCOUNT, e, opening=50_000), "stmt.xml"),
    "mt940": (lambda e: bf.mt940(ACCOUNT, e, opening=50_000), "stmt.sta"),
    "icbc_gbk_csv": (lambda e: bf.icbc_csv(ACCOUNT, e, opening=50_000), "明细.csv"),
    "cmb_xlsx": (lambda e: bf.cmb_xlsx(ACCOUNT, e, opening=50_000), "明细.xlsx"),
}


@pytest.mark.parametrize("kind", list(FILES))
async def test_a_file_imported_twice_and_an_overlapping_one_count_each_line_once(
    kind: str, handlers: StatementHandlers, db: Database
) -> None:
    make, name = FILES[kind]
    first = await handlers.import_file(FINANCE, ImportFile(name, make(bf.entries(10))))
    assert [s.status for s in first.statements] == ["imported"]
    assert (first.count("new"), first.count("known"), first.count("rejected")) == (10, 0, 0)

    again = await handlers.import_file(FINANCE, ImportFile(name, make(bf.entries(10))))
    assert (again.count("new"), again.count("known")) == (0, 10)
    assert {line.line_id for line in again.lines} == {line.line_id for line in first.lines}

    # Lines 5..14: the first five known, the last five new (balance recomputed for the later opening).
    later = bf.entries(10, start=5)
    opening = bf.closing(50_000, bf.entries(5))
    overlap = {
        "camt053": bf.camt053(ACCOUNT, later, opening=opening),
        "mt940": bf.mt940(ACCOUNT, later, opening=opening),
        "icbc_gbk_csv": bf.icbc_csv(ACCOUNT, later, opening=opening),
        "cmb_xlsx": bf.cmb_xlsx(ACCOUNT, later, opening=opening),
    }[kind]
    third = await handlers.import_file(FINANCE, ImportFile(name, overlap))
    assert [(line.bank_ref, line.outcome) for line in third.lines] == [
        (f"TX{i:08d}", "known" if i < 10 else "new") for i in range(5, 15)
    ]
    assert await _stored_lines(db) == 15
    lines = await handlers.list_lines(FINANCE, limit=500)
    assert sum(1 for line in lines if line.direction == "credit") == sum(1 for e in bf.entries(15) if e.credit)
    assert {line.amount_minor for line in lines} == {e.amount_minor for e in bf.entries(15)}


async def test_a_balance_mismatch_holds_the_whole_file(handlers: StatementHandlers, db: Database) -> None:
    report = await handlers.import_file(
        FINANCE, ImportFile("bad.xml", bf.camt053(ACCOUNT, bf.entries(4), opening=0, closing_minor=123))
    )
    [statement] = report.statements
    assert statement.status == "held" and "closing balance is 123" in statement.held_reason
    assert report.count("held") == 4 and report.count("new") == 0
    assert await _stored_lines(db) == 0
    # Held, not lost: the statement is listed with its reason.
    listed = await handlers.list_statements(FINANCE)
    assert [(s.statement_id, s.status) for s in listed] == [(statement.statement_id, "held")]


async def test_an_unknown_layout_is_refused_and_a_tenant_layout_reads_it(
    handlers: StatementHandlers, db: Database
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await handlers.import_file(FINANCE, ImportFile("x.csv", bf.unknown_csv(), account=ACCOUNT))
    assert "unknown bank export layout" in caught.value.message and "booked_on" in caught.value.message
    assert await _stored_lines(db) == 0

    layout = BankLayout("local", {"booked_on": ("日期",), "amount": ("金额",), "direction": ("收支",), "remark": ("说明",)})
    with pytest.raises(InvalidArgument):  # a layout whose direction column the file lacks still refuses
        await handlers.put_layout(FINANCE, BankLayout("bad", {"booked_on": ("日期",)}))
    await handlers.put_layout(FINANCE, layout)
    content = "日期,金额,收支,说明\r\n2026-12-01,100.00,收,货款\r\n".encode("gbk")
    report = await handlers.import_file(FINANCE, ImportFile("x.csv", content, account=ACCOUNT))
    assert report.count("new") == 1
    assert "local" in [l.name for l in await handlers.layouts(FINANCE)]
    assert "local" not in [l.name for l in await handlers.layouts(OTHER_TENANT)]


async def test_other_tenants_and_other_roles_see_nothing(handlers: StatementHandlers, db: Database) -> None:
    report = await handlers.import_file(ADMIN, ImportFile("s.sta", bf.mt940(ACCOUNT, bf.entries(3))))
    statement_id = report.statements[0].statement_id
    assert await handlers.list_statements(OTHER_TENANT) == []
    assert await handlers.list_lines(OTHER_TENANT) == []
    with pytest.raises(NotFound):
        await handlers.get_statement(OTHER_TENANT, statement_id)
    # The same bank reference in another tenant is that tenant's own line.
    other = await handlers.import_file(OTHER_TENANT, ImportFile("s.sta", bf.mt940(ACCOUNT, bf.entries(3))))
    assert other.count("new") == 3
    for role in ("partner", "reviewer", "rep", "manager"):
        caller = Caller("tenant-a", "u-1", role)
        with pytest.raises(PermissionDenied):
            await handlers.import_file(caller, ImportFile("s.sta", bf.mt940(ACCOUNT, bf.entries(1))))
        with pytest.raises(PermissionDenied):
            await handlers.list_lines(caller)


async def test_bad_input_changes_nothing(handlers: StatementHandlers, db: Database) -> None:
    with pytest.raises(TooLarge):
        await handlers.import_file(FINANCE, ImportFile("big.csv", b"x" * (MAX_FILE_BYTES + 1)))
    with pytest.raises(InvalidArgument):
        await handlers.import_file(FINANCE, ImportFile("e.csv", b"  "))
    with pytest.raises(InvalidArgument):
        await handlers.import_file(FINANCE, ImportFile("broken.xml", b"<Document><BkToCstmrStmt>"))
    async with db.sessions() as session:
        assert (await session.execute(sa.select(sa.func.count()).select_from(bank_statements))).scalar_one() == 0


async def test_matching_sets_a_line_status_only_from_the_expected_one(handlers: StatementHandlers, db: Database) -> None:
    report = await handlers.import_file(FINANCE, ImportFile("s.sta", bf.mt940(ACCOUNT, bf.entries(1))))
    line_id = report.lines[0].line_id
    async with FinanceUnitOfWork(db) as uow:
        assert await uow.statements.set_line_status("tenant-a", line_id, "matched", "unmatched")
        assert not await uow.statements.set_line_status("tenant-a", line_id, "matched", "unmatched")
        assert not await uow.statements.set_line_status("tenant-b", line_id, "ignored", "matched")
        await uow.commit()
    [line] = await handlers.list_lines(FINANCE, status="matched")
    assert line.line_id == line_id
