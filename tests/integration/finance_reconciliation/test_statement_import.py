"""Importing bank statements into a real, migrated database (SQLite, and
PostgreSQL in CI): each line counted once however often or overlapping
the files come, a file whose balances do not add up held whole, unknown
layouts refused, tenants apart, partners and reps refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.finance_pb2 import StatementImported
from crm_shared.context import Caller
from crm_shared.db import Database, outbox_table
from crm_shared.domain.errors import InvalidArgument, NotFound, PermissionDenied, TooLarge
from crm_shared.events import unpack
from crm_shared.paging import MAX_PAGE_SIZE, encode_key
from finance_reconciliation.adapters.orm.statements import bank_statements, statement_lines
from finance_reconciliation.domain.bank_layout import BankLayout
from finance_reconciliation.domain.statement import MAX_FILE_BYTES
from finance_reconciliation.service_layer.statements import ImportFile, StatementHandlers
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

from tests.support import bank_files as bf

FINANCE = Caller("tenant-a", "fin-1", "finance")
ADMIN = Caller("tenant-a", "admin-1", "admin")
OTHER_TENANT = Caller("tenant-b", "fin-9", "finance")
ACCOUNT = "1001234509876543210"


@pytest.fixture
def db(finance_db: Database) -> Database:
    return finance_db


@pytest.fixture
def handlers(db: Database) -> StatementHandlers:
    return StatementHandlers(lambda: FinanceUnitOfWork(db))


async def _all_lines(handlers: StatementHandlers, **filters: str) -> list:
    """Every line, page by page (the largest page is crm_shared.paging's)."""
    out, token = [], ""
    while True:
        page, token = await handlers.list_lines(FINANCE, size=MAX_PAGE_SIZE, token=token, **filters)
        out.extend(page)
        if not token:
            return out


async def _imported_events(db: Database) -> list[StatementImported]:
    async with db.engine.connect() as conn:
        rows = (await conn.execute(
            sa.select(outbox_table.c.envelope).where(outbox_table.c.subject == "crm.payment.statement_imported")
            .order_by(outbox_table.c.event_id)
        )).scalars().all()
    return [unpack(Envelope.FromString(row), StatementImported) for row in rows]


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
    events = await _imported_events(db)
    assert [(e.new_count, e.known_count, e.held) for e in events] == [(10, 0, False), (0, 10, False), (5, 5, False)]
    assert {(e.account, e.format, e.imported_by) for e in events} == {(ACCOUNT, first.statements[0].format, "fin-1")}
    assert [e.statement_id for e in events] == [r.statements[0].statement_id for r in (first, again, third)]
    lines = await _all_lines(handlers)
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
    listed, _ = await handlers.list_statements(FINANCE)
    assert [(s.statement_id, s.status) for s in listed] == [(statement.statement_id, "held")]
    [event] = await _imported_events(db)
    assert (event.statement_id, event.held, event.held_count, event.new_count) == (statement.statement_id, True, 4, 0)
    assert "closing balance is 123" in event.held_reason


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
    assert await handlers.list_statements(OTHER_TENANT) == ([], "")
    assert await handlers.list_lines(OTHER_TENANT) == ([], "")
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
    [line], _ = await handlers.list_lines(FINANCE, status="matched")
    assert line.line_id == line_id


async def test_statements_and_lines_are_paged_by_token(handlers: StatementHandlers, db: Database) -> None:
    # 250 lines over five booking days, in three files of one account.
    for start in (0, 100, 200):
        size = 50 if start == 200 else 100
        await handlers.import_file(FINANCE, ImportFile(f"s{start}.sta", bf.mt940(ACCOUNT, bf.entries(size, start=start))))
    pages, token = [], ""
    while True:
        page, token = await handlers.list_lines(FINANCE, size=100, token=token)
        pages.append(page)
        if not token:
            break
    assert [len(p) for p in pages] == [100, 100, 50]
    lines = [line for p in pages for line in p]
    assert [line.bank_ref for line in lines] == [f"TX{i:08d}" for i in range(250)]  # by booking day, once each
    assert [(line.booked_on, line.line_id) for line in lines] == sorted((line.booked_on, line.line_id) for line in lines)

    # One statement's lines only, and the next page of a status filter.
    statements, more = await handlers.list_statements(FINANCE, size=2)
    assert len(statements) == 2 and more
    rest, last = await handlers.list_statements(FINANCE, size=2, token=more)
    assert len(rest) == 1 and last == ""
    newest_first = [s.filename for s in statements + rest]
    assert newest_first == ["s200.sta", "s100.sta", "s0.sta"]
    only, _ = await handlers.list_lines(FINANCE, statement_id=statements[0].statement_id, size=200)
    assert len(only) == 50
    assert len(await _all_lines(handlers, status="unmatched")) == 250

    for bad in ("nonsense", encode_key(["not a day"], "x"), encode_key([1, 2], "x")):
        with pytest.raises(InvalidArgument) as caught:
            await handlers.list_lines(FINANCE, token=bad)
        assert caught.value.violations[0].field == "page_token"
    with pytest.raises(InvalidArgument):
        await handlers.list_statements(FINANCE, token="nonsense")
    with pytest.raises(InvalidArgument):
        await handlers.list_lines(FINANCE, size=-1)
    # Another tenant's token reads that tenant's rows only: nothing here.
    assert await handlers.list_lines(OTHER_TENANT, token=token or encode_key(["2026-12-01"], "z")) == ([], "")
