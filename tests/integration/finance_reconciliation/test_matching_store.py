"""Matching against the real database (SQLite here, PostgreSQL in CI): a run
over F2's credit lines and F1's open instalments stores suggestions with
their rule and evidence, a line is offered once, rejecting frees it, rules
are the tenant's and checked. Rows of F1's and F2's tables are written here
directly (their services own them; this test only needs them present)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.db import Database
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from finance_reconciliation.adapters.orm import (
    finance_contracts,
    instalments,
    metadata,
    opportunities,
    statement_lines,
)
from finance_reconciliation.domain.match_rule import CONTRACT_REF, PAYER_AMOUNT, MatchRule, Tolerance
from finance_reconciliation.service_layer.matching import MatchingHandlers
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

from tests.support.infra import migrate

FINANCE = Caller("tenant-a", "fin-1", "finance")
REP = Caller("tenant-a", "rep-1", "rep")
OTHER = Caller("tenant-b", "fin-9", "finance")
NOW = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)


def _row(table: sa.Table, **given: object) -> dict:
    """The given values, and a plain one for every other required column."""
    plain = {sa.String: "", sa.Integer: 0, sa.BigInteger: 0, sa.Date: date(2026, 10, 1), sa.JSON: [],
             sa.DateTime: NOW, sa.Boolean: False, sa.Float: 0.0}
    out = dict(given)
    for col in table.columns:
        if col.name not in out and not col.nullable and col.server_default is None:
            out[col.name] = next(v for t, v in plain.items() if isinstance(col.type, t))
    return out


@pytest.fixture
async def handlers(database_url: str):
    await migrate("finance-reconciliation", database_url)
    db = Database(database_url, "finance-test", FixedClock(NOW))
    async with db.engine.begin() as conn:
        # Until F1's and F2's migrations create their tables, the ORM's definitions stand in (checkfirst).
        await conn.run_sync(lambda c: metadata.create_all(
            c, tables=[finance_contracts, instalments, statement_lines], checkfirst=True))
        await conn.execute(sa.insert(opportunities), [_row(opportunities, tenant_id="tenant-a", opportunity_id="o1",
                                                          customer_name="宁波华晨塑料制品有限公司", owner_id="rep-1",
                                                          currency="CNY")])
        await conn.execute(sa.insert(finance_contracts), [_row(
            finance_contracts, tenant_id="tenant-a", version_id="v1", contract_id="k1", signed_version_id="v1",
            label="HT-2026-0001", opportunity_id="o1", customer_id="c1", total_minor=300_000, currency="CNY",
            status="in_force")])
        await conn.execute(sa.insert(instalments), [
            _row(instalments, instalment_id=f"i{n}", tenant_id="tenant-a", plan_id="p1", contract_id="k1",
                 contract_version_id="v1", opportunity_id="o1", customer_id="c1", seq=n, amount_minor=100_000,
                 currency="CNY", due_on=date(2026, 10, n), paid_minor=0, state="due")
            for n in (1, 2, 3)
        ])
        await conn.execute(sa.insert(statement_lines), [
            _row(statement_lines, line_id=lid, tenant_id="tenant-a", statement_id="s1", account="6222", bank_ref=lid,
                 booked_on=date(2026, 11, 3), amount_minor=amount, currency="CNY", direction=direction,
                 counterparty_name=payer, counterparty_account="", remark=remark, status="unmatched")
            for lid, amount, direction, payer, remark in [
                ("l1", 200_000, "credit", "", "货款 HT-2026-0001"),  # the first two instalments at once
                ("l2", 100_000, "credit", "宁波华晨塑料制品股份有限公司", "转账"),  # the third, by payer
                ("l3", 100_000, "debit", "宁波华晨塑料制品有限公司", "HT-2026-0001"),  # money out: never matched
            ]
        ])
    yield MatchingHandlers(lambda: FinanceUnitOfWork(db))
    await db.dispose()


async def line_statuses(handlers: MatchingHandlers) -> dict[str, str]:
    async with handlers.uow() as uow:
        rows = await uow.session.execute(sa.select(statement_lines.c.line_id, statement_lines.c.status))
        return dict(rows.all())


async def test_a_run_stores_suggestions_with_rule_and_evidence_and_offers_a_line_once(handlers):
    report = await handlers.run(FINANCE)
    assert (report.lines, report.open_instalments) == (2, 3)
    found = {m.line_id: m for m in await handlers.suggestions(FINANCE)}
    assert set(found) == {"l1", "l2"}
    l1, l2 = found["l1"], found["l2"]
    assert [(a.instalment_id, a.amount_minor) for a in l1.allocations] == [("i1", 100_000), ("i2", 100_000)]
    assert l1.rule_kind == CONTRACT_REF and l1.evidence["contract_ref"] == "HT-2026-0001" and l1.evidence["confident"]
    assert [(a.instalment_id, a.amount_minor) for a in l2.allocations] == [("i3", 100_000)]
    assert l2.rule_kind == PAYER_AMOUNT and l2.evidence["name_score"] == 100.0
    assert (l1.by, l1.at, l1.currency, l1.amount_minor) == ("fin-1", NOW, "CNY", 200_000)
    assert await line_statuses(handlers) == {"l1": "suggested", "l2": "suggested", "l3": "unmatched"}
    again = await handlers.run(FINANCE)
    assert again.lines == 0 and again.suggestions == []


async def test_rejecting_frees_the_line_and_is_final(handlers):
    await handlers.run(FINANCE)
    [m] = [m for m in await handlers.suggestions(FINANCE) if m.line_id == "l2"]
    with pytest.raises(InvalidArgument) as err:
        await handlers.reject(FINANCE, m.match_id, "  ")
    assert err.value.violations[0].field == "reason"
    rejected = await handlers.reject(FINANCE, m.match_id, "另一家公司的付款")
    assert (rejected.status, rejected.reason) == ("rejected", "另一家公司的付款")
    assert {s.line_id for s in await handlers.suggestions(FINANCE)} == {"l1"}
    assert (await line_statuses(handlers))["l2"] == "unmatched"
    with pytest.raises(FailedPrecondition):
        await handlers.reject(FINANCE, m.match_id, "again")
    assert [s.line_id for s in (await handlers.run(FINANCE)).suggestions] == ["l2"]


async def test_another_tenant_sees_nothing_and_reps_may_not_match(handlers):
    await handlers.run(FINANCE)
    [m, *_] = await handlers.suggestions(FINANCE)
    assert await handlers.suggestions(OTHER) == []
    with pytest.raises(NotFound):
        await handlers.reject(OTHER, m.match_id, "not ours")
    assert (await handlers.run(OTHER)).lines == 0
    for call in (handlers.run(REP), handlers.suggestions(REP), handlers.rules(REP)):
        with pytest.raises(PermissionDenied):
            await call


async def test_rules_are_the_tenants_in_order_and_a_bad_one_is_refused_naming_the_field(handlers):
    assert [r.kind for r in await handlers.rules(FINANCE)] == [CONTRACT_REF, PAYER_AMOUNT, "amount_window"]
    with pytest.raises(InvalidArgument) as err:
        await handlers.save_rule(FINANCE, MatchRule("", "x", 1, CONTRACT_REF, pattern="(HT"))
    assert err.value.violations[0].field == "pattern"
    saved = await handlers.save_rule(FINANCE, MatchRule("", "ignored", 5, PAYER_AMOUNT, "付款方",
                                                         tolerance=Tolerance(under_bp=100)))
    assert saved.tenant_id == "tenant-a" and saved.rule_id
    assert await handlers.rules(FINANCE) == [saved]
    assert len(await handlers.rules(OTHER)) == 3  # still the defaults
    with pytest.raises(NotFound):
        await handlers.delete_rule(OTHER, saved.rule_id)
    # Replacing names a stored rule of the caller's tenant: another tenant's id or a made-up one is not found.
    for who, rule_id in [(OTHER, saved.rule_id), (FINANCE, "x" * 64)]:
        with pytest.raises(NotFound):
            await handlers.save_rule(who, MatchRule(rule_id, "", 1, CONTRACT_REF, pattern=r"(HT-\d+)"))
    assert await handlers.rules(FINANCE) == [saved] and len(await handlers.rules(OTHER)) == 3
    await handlers.delete_rule(FINANCE, saved.rule_id)
    assert len(await handlers.rules(FINANCE)) == 3


async def test_two_runs_at_once_offer_each_line_once(handlers):
    first, second = await asyncio.gather(handlers.run(FINANCE), handlers.run(FINANCE))
    offered = [m.line_id for m in first.suggestions + second.suggestions]
    assert sorted(offered) == ["l1", "l2"]
    assert sorted(m.line_id for m in await handlers.suggestions(FINANCE)) == ["l1", "l2"]
