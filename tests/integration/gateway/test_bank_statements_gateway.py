"""Bank statements through the gateway against finance-reconciliation for
real (gRPC, its migrated database, NATS): a CAMT.053, an MT940 and three
Chinese exports (工商银行 and 建设银行 GBK CSVs with title rows, 招商银行
xlsx) imported, then again with nothing doubled, each import published as
payment.statement_imported; an overlapping file; a balance mismatch held
and saying why; statements and lines paged by token; an unknown layout
refused naming what is missing; a tenant layout; other roles and another
tenant refused; bounds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import nats
import pytest
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.finance_pb2 import StatementImported
from crm_shared.events import unpack

from tests.integration.gateway.conftest import other_backend
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support import bank_files as bf

ACCOUNT = "1001234509876543210"
URL = "/v1/bank-statements/imports"


@pytest.fixture
async def client(make_gateway, nats_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with other_backend("finance_reconciliation", nats_url, tmp_path) as finance:
        gateway = make_gateway(finance_reconciliation_addr=finance.address)
        async with gateway as c:
            yield c


async def _pages(client: httpx.AsyncClient, auth: dict, path: str, key: str, **query: str) -> list[dict]:
    """Every row of a paged list, following next_page_token."""
    rows, token = [], ""
    while True:
        body = (await client.get(path, params={**query, "page_size": 200, "page_token": token}, headers=auth)).json()
        rows.extend(body[key])
        token = body["next_page_token"]
        if not token:
            return rows


async def _imported(sub, count: int) -> list[StatementImported]:
    return [unpack(Envelope.FromString((await sub.next_msg(timeout=10)).data), StatementImported) for _ in range(count)]


async def _import(client: httpx.AsyncClient, auth: dict, name: str, content: bytes, **query: str) -> httpx.Response:
    return await client.post(URL, params={"filename": name, **query}, content=content,
                             headers=auth | {"content-type": "application/octet-stream"})


async def test_statement_files_imported_once_each_line(client: httpx.AsyncClient, nats_url: str) -> None:
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe("crm.payment.statement_imported", ordered_consumer=True,
                                         deliver_policy=nats.js.api.DeliverPolicy.NEW)
    fin = await login(client, "liufang")
    files = [
        ("stmt.xml", bf.camt053("CAMT" + ACCOUNT, bf.entries(8), opening=50_000)),
        ("stmt.sta", bf.mt940("MT" + ACCOUNT, bf.entries(8), opening=50_000)),
        ("工行明细.csv", bf.icbc_csv(ACCOUNT, bf.entries(8), opening=50_000)),
        ("建行明细.csv", bf.ccb_csv("4400" + ACCOUNT[4:], bf.entries(8), opening=50_000, encoding="gbk")),
        ("招行明细.xlsx", bf.cmb_xlsx("6225" + ACCOUNT[4:], bf.entries(8), opening=50_000)),
    ]
    for name, content in files:
        first = await _import(client, fin, name, content)
        assert first.status_code == 201, first.text
        body = first.json()
        assert (body["new_count"], body["known_count"], body["held"]) == (8, 0, False), (name, body)
        assert [s["status"] for s in body["statements"]] == ["imported"]
        again = (await _import(client, fin, name, content)).json()
        assert (again["new_count"], again["known_count"]) == (0, 8), name
        published = await _imported(sub, 2)
        assert [(e.filename, e.new_count, e.known_count, e.held) for e in published] == [
            (name, 8, 0, False), (name, 0, 8, False)]
        assert published[0].statement_id == body["statements"][0]["statement_id"]
    lines = await _pages(client, fin, "/v1/bank-statement-lines", "lines")
    assert len(lines) == 40 and len({line["line_id"] for line in lines}) == 40
    assert {line["status"] for line in lines} == {"unmatched"}
    # Money in as the banks wrote it, to the 分, whichever the export.
    amounts = sorted(e.amount_minor for e in bf.entries(8))
    for account in ("CAMT" + ACCOUNT, "MT" + ACCOUNT, ACCOUNT, "4400" + ACCOUNT[4:], "6225" + ACCOUNT[4:]):
        assert sorted(line["amount_minor"] for line in lines if line["account"] == account) == amounts, account

    # The 工行 export again, from line 4 to line 11: four known, four new.
    later = bf.entries(8, start=4)
    overlap = (await _import(client, fin, "工行明细2.csv",
                             bf.icbc_csv(ACCOUNT, later, opening=bf.closing(50_000, bf.entries(4))))).json()
    assert [line["outcome"] for line in overlap["lines"]] == ["known"] * 4 + ["new"] * 4
    [event] = await _imported(sub, 1)
    assert (event.new_count, event.known_count, event.account) == (4, 4, ACCOUNT)

    held = (await _import(client, fin, "bad.xml", bf.camt053("HELD1", bf.entries(3), closing_minor=5))).json()
    assert held["held"] is True and held["new_count"] == 0
    assert "closing balance is 5" in held["statements"][0]["held_reason"]
    [event] = await _imported(sub, 1)
    assert (event.held, event.held_count, event.new_count) == (True, 3, 0)
    assert "closing balance is 5" in event.held_reason
    statements = await _pages(client, fin, "/v1/bank-statements", "statements")
    assert len(statements) == 12
    assert [s["status"] for s in statements if s["account"] == "HELD1"] == ["held"]
    assert statements[0]["filename"] == "bad.xml"  # newest first
    assert len(await _pages(client, fin, "/v1/bank-statement-lines", "lines")) == 44

    # Small pages: each line once, by booking day.
    first = (await client.get("/v1/bank-statement-lines", params={"page_size": 30}, headers=fin)).json()
    rest = (await client.get("/v1/bank-statement-lines", params={"page_size": 30, "page_token": first["next_page_token"]},
                             headers=fin)).json()
    assert len(first["lines"]) == 30 and len(rest["lines"]) == 14 and rest["next_page_token"] == ""
    assert {x["line_id"] for x in first["lines"]}.isdisjoint(x["line_id"] for x in rest["lines"])
    bad = is_problem(await client.get("/v1/bank-statement-lines", params={"page_token": "made-up"}, headers=fin), 400)
    assert "page_token" in bad["detail"]
    is_problem(await client.get("/v1/bank-statements", params={"page_size": 201}, headers=fin), 422)
    await nc.close()


async def test_unknown_layouts_roles_and_bounds(client: httpx.AsyncClient) -> None:
    fin, admin = await login(client, "liufang"), await login(client, "admin")
    refused = is_problem(await _import(client, fin, "x.csv", bf.unknown_csv(), account=ACCOUNT), 400)
    assert "unknown bank export layout" in refused["detail"] and "booked_on" in refused["detail"]

    layout = {"name": "本地银行", "columns": [{"field": "booked_on", "headers": ["日期"]},
                                             {"field": "amount", "headers": ["金额"]},
                                             {"field": "direction", "headers": ["说明"]}],
              "credit_marks": ["货款"]}
    put = await client.put("/v1/bank-layouts", json=layout, headers=admin)
    assert put.status_code == 200, put.text
    assert "本地银行" in [x["name"] for x in (await client.get("/v1/bank-layouts", headers=fin)).json()["layouts"]]
    now = (await _import(client, fin, "x.csv", bf.unknown_csv(), account=ACCOUNT)).json()
    assert now["new_count"] == 1

    bad_layout = is_problem(await client.put("/v1/bank-layouts", json={"name": "x", "columns": [
        {"field": "booked_on", "headers": ["日期"]}]}, headers=admin), 400)
    assert "credit and debit" in bad_layout["detail"]
    is_problem(await client.put("/v1/bank-layouts", json={"name": "x", "columns": [
        {"field": "nonsense", "headers": ["日期"]}]}, headers=admin), 422)

    content = bf.mt940(ACCOUNT, bf.entries(2))
    for user in ("zhangwei", "wangqiang", "chenjing", "zhaolei", "other-rep"):
        auth = await login(client, user)
        is_problem(await _import(client, auth, "s.sta", content), 403)
        is_problem(await client.get("/v1/bank-statement-lines", headers=auth), 403)
        is_problem(await client.get("/v1/bank-statements", headers=auth), 403)
    [line] = (await client.get("/v1/bank-statement-lines", headers=fin)).json()["lines"]
    assert (line["amount_minor"], line["direction"]) == (10_000, "credit")  # 说明 = 货款: a credit mark

    is_problem(await client.post(URL, params={"filename": "s.sta"}, content=content,
                                 headers=fin | {"content-type": "multipart/form-data; boundary=x"}), 415)
    is_problem(await _import(client, fin, "big.csv", b"x" * (20 * 1024 * 1024 + 1)), 413)
    is_problem(await _import(client, fin, "", content), 422)
    is_problem(await _import(client, fin, "broken.xml", b"<Document><Stmt>"), 400)
    is_problem(await client.get("/v1/bank-statement-lines", params={"status": "paid"}, headers=fin), 422)
