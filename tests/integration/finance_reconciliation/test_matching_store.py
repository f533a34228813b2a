"""Matching against the real database (SQLite here, PostgreSQL in CI): a run
over F2's credit lines and F1's open instalments confirms the confident
matches itself (receipts through F1's record_in, the line matched,
payment.reconciled in the outbox, all in one transaction) and stores the
rest as suggestions with their rule and evidence; a line is offered once;
confirming, rejecting and reversing; a refused confirm changes nothing; what
the lock would refuse is never offered. Rows of F1's and F2's tables are
written here directly (their use cases own them; this test only needs them
present); the ledger is checked after every test."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from crm.events.v1 import finance_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.db import Database, outbox_table
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from crm_shared.events import unpack
from crm_shared.subject_access import SubjectAccess
from finance_reconciliation.adapters.orm.contracts import finance_contracts
from finance_reconciliation.adapters.orm.matching import matches
from finance_reconciliation.adapters.orm.plans import instalments
from finance_reconciliation.adapters.orm.projections import opportunities
from finance_reconciliation.adapters.orm.receipts import receipts, write_offs
from finance_reconciliation.adapters.orm.statements import statement_lines
from finance_reconciliation.adapters.plan_repository import PlanRepository
from finance_reconciliation.domain.match_rule import CONTRACT_REF, PAYER_AMOUNT, MatchRule, Tolerance
from finance_reconciliation.domain.match_state import StoredMatch
from finance_reconciliation.domain.matching import Allocation
from finance_reconciliation.domain.receipt import Tolerance as ReceiptTolerance
from finance_reconciliation.service_layer.ledger_check import LedgerCheckHandlers
from finance_reconciliation.service_layer.matching import MatchingHandlers
from finance_reconciliation.service_layer.matching_job import MatchingJob
from finance_reconciliation.service_layer.receipts import ReceiptHandlers
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

from tests.support.infra import migrate

FINANCE = Caller("tenant-a", "fin-1", "finance")
REP = Caller("tenant-a", "rep-1", "rep")
OTHER = Caller("tenant-b", "fin-9", "finance")
NOW = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)
EQUIPMENT = [{"model": "HX-450", "description": "注塑机", "quantity": 2, "unit_price_minor": 150_000}]


def _row(table: sa.Table, **given: object) -> dict:
    """The given values, and a plain one for every other required column."""
    plain = {sa.String: "", sa.Integer: 0, sa.BigInteger: 0, sa.Date: date(2026, 10, 1), sa.JSON: [],
             sa.DateTime: NOW, sa.Boolean: False, sa.Float: 0.0}
    out = dict(given)
    for col in table.columns:
        if col.name not in out and not col.nullable and col.server_default is None:
            out[col.name] = next(v for t, v in plain.items() if isinstance(col.type, t))
    return out


def _instalment(n: int, amount: int, due: date | None, state: str) -> dict:
    return _row(instalments, instalment_id=f"i{n}", tenant_id="tenant-a", plan_id="p1", contract_id="k1",
                contract_version_id="v1", opportunity_id="o1", customer_id="c1", owner_id="rep-1", seq=n,
                name=f"第{n}期", trigger="advance", amount_minor=amount, currency="CNY", due_on=due, paid_minor=0,
                state=state)


@pytest.fixture
async def handlers(database_url: str):
    await migrate("finance-reconciliation", database_url)
    db = Database(database_url, "finance-test", FixedClock(NOW))
    async with db.engine.begin() as conn:
        await conn.execute(sa.insert(opportunities), [_row(opportunities, tenant_id="tenant-a", opportunity_id="o1",
                                                          customer_name="宁波华晨塑料制品有限公司", owner_id="rep-1",
                                                          currency="CNY")])
        await conn.execute(sa.insert(finance_contracts), [_row(
            finance_contracts, tenant_id="tenant-a", version_id="v1", contract_id="k1", signed_version_id="v1",
            label="HT-2026-0001", opportunity_id="o1", customer_id="c1", total_minor=300_000, currency="CNY",
            equipment=EQUIPMENT, terms=[], status="in_force")])
        await conn.execute(sa.insert(instalments), [
            *(_instalment(n, 100_000, date(2026, 10, n), "due") for n in (1, 2, 3)),
            _instalment(4, 100_000, date(2026, 12, 1), "not_due"),  # not due: never offered
            _instalment(5, 55_555, date(2026, 10, 20), "not_due"),  # stored before its due date passed: offered
            _instalment(6, 100_000, date(2026, 10, 1), "waived"),
        ])
        await conn.execute(sa.insert(statement_lines), [
            _row(statement_lines, line_id=lid, tenant_id="tenant-a", statement_id="s1", account="6222", bank_ref=lid,
                 booked_on=date(2026, 11, 3), amount_minor=amount, currency="CNY", direction=direction,
                 counterparty_name=payer, counterparty_account="", remark=remark, status="unmatched")
            for lid, amount, direction, payer, remark in [
                ("l1", 200_000, "credit", "", "货款 HT-2026-0001"),  # the first two instalments at once: confident
                ("l2", 97_000, "credit", "宁波市华晨塑料制品厂", "转账"),  # the third, by payer, 3 000 分 short
                ("l3", 100_000, "debit", "宁波华晨塑料制品有限公司", "HT-2026-0001"),  # money out: never matched
            ]
        ])

    def uow() -> FinanceUnitOfWork:
        return FinanceUnitOfWork(db)

    # Confirming never asks opportunity (finance and admins see the tenant): an access client that answers
    # UNAVAILABLE would fail any test that did.
    receipt_handlers = ReceiptHandlers(uow, SubjectAccess("", "finance-test", 1.0), ReceiptTolerance())
    yield MatchingHandlers(uow, receipt_handlers)
    problems, _ = await LedgerCheckHandlers(uow).check_ledger(FINANCE)
    assert problems == []
    await db.dispose()


async def rows(handlers: MatchingHandlers, query) -> list:
    async with handlers.uow() as uow:
        return list((await uow.session.execute(query)).all())


async def line_statuses(handlers: MatchingHandlers) -> dict[str, str]:
    return dict(await rows(handlers, sa.select(statement_lines.c.line_id, statement_lines.c.status)))


async def instalment_states(handlers: MatchingHandlers, *ids: str) -> dict[str, tuple[str, int, int]]:
    i = instalments.c
    found = await rows(handlers, sa.select(i.instalment_id, i.state, i.paid_minor, i.written_off_minor)
                       .where(i.instalment_id.in_(ids)))
    return {r[0]: (r[1], r[2], r[3]) for r in found}


async def events(handlers: MatchingHandlers, event_type: str, message) -> list:
    found = await rows(handlers, sa.select(outbox_table.c.envelope)
                       .where(outbox_table.c.subject == f"crm.{event_type}").order_by(outbox_table.c.created_at))
    return [unpack(Envelope.FromString(r[0]), message) for r in found]


async def test_instalments_are_offered_under_their_contract_number_else_their_label(handlers):
    today = NOW.date()
    async with handlers.uow() as uow:
        # Signed without a number: the version label ("HT-2026-0001" here) is what a remark must name.
        assert {it.contract_ref for it in await uow.matches.open_items("tenant-a", today)} == {"HT-2026-0001"}
        await uow.session.execute(sa.update(finance_contracts).values(contract_number="HT2025-018"))
        assert {it.contract_ref for it in await uow.matches.open_items("tenant-a", today)} == {"HT2025-018"}


async def test_a_run_confirms_the_confident_match_and_suggests_the_rest(handlers):
    report = await handlers.run(FINANCE)
    assert (report.lines, report.open_instalments, report.more) == (2, 4, False)  # i1, i2, i3 and the stale i5
    [auto] = report.confirmed
    [l2] = report.suggestions
    assert auto.line_id == "l1" and auto.auto and auto.confirmed_by == "fin-1" and len(auto.receipt_ids) == 2
    assert [(a.instalment_id, a.amount_minor) for a in auto.allocations] == [("i1", 100_000), ("i2", 100_000)]
    assert auto.rule_kind == CONTRACT_REF and auto.evidence["contract_ref"] == "HT-2026-0001"
    assert l2.line_id == "l2" and l2.rule_kind == PAYER_AMOUNT and not l2.confident and l2.score < 0.9
    assert [(a.instalment_id, a.amount_minor) for a in l2.allocations] == [("i3", 97_000)]
    assert await line_statuses(handlers) == {"l1": "matched", "l2": "suggested", "l3": "unmatched"}
    assert await instalment_states(handlers, "i1", "i2", "i3") == {
        "i1": ("paid", 100_000, 0), "i2": ("paid", 100_000, 0), "i3": ("due", 0, 0)}
    r = receipts.c
    made = await rows(handlers, sa.select(r.receipt_id, r.instalment_id, r.amount_minor, r.source,
                                          r.statement_line_id, r.paid_on, r.reference, r.status, r.recorded_by))
    assert sorted(made) == sorted(
        (rid, iid, 100_000, "statement", "l1", date(2026, 11, 3), "l1", "recorded", "fin-1")
        for rid, iid in zip(auto.receipt_ids, ("i1", "i2"), strict=True))
    [event] = await events(handlers, "payment.reconciled", finance_pb2.PaymentReconciled)
    assert (event.match_id, event.line_id, event.statement_id, list(event.receipt_ids), event.auto) == (
        auto.match_id, "l1", "s1", list(auto.receipt_ids), True)
    assert (event.amount.amount_minor, event.rule_kind, event.confirmed_by) == (200_000, CONTRACT_REF, "fin-1")
    assert [(a.instalment_id, a.amount_minor) for a in event.allocations] == [("i1", 100_000), ("i2", 100_000)]
    again = await handlers.run(FINANCE)
    assert again.lines == 0 and again.suggestions == again.confirmed == []
    assert {m.status for m in (await handlers.listed(FINANCE))[0]} == {"confirmed", "suggested"}


async def test_confirming_an_accepted_underpayment_writes_off_the_rest_and_reversing_undoes_it_all(handlers):
    [l2] = (await handlers.run(FINANCE)).suggestions
    done = await handlers.confirm(FINANCE, l2.match_id)
    assert (done.status, done.auto, done.confirmed_by, len(done.receipt_ids)) == ("confirmed", False, "fin-1", 1)
    assert done.write_offs == (Allocation("i3", 3_000),)
    assert await instalment_states(handlers, "i3") == {"i3": ("paid", 97_000, 3_000)}
    assert (await line_statuses(handlers))["l2"] == "matched"
    with pytest.raises(FailedPrecondition):
        await handlers.confirm(FINANCE, l2.match_id)
    with pytest.raises(InvalidArgument) as err:
        await handlers.reverse(FINANCE, l2.match_id, " ")
    assert err.value.violations[0].field == "reason"

    undone = await handlers.reverse(FINANCE, l2.match_id, "付款方不是这家客户")
    assert (undone.status, undone.reason, undone.by) == ("reversed", "付款方不是这家客户", "fin-1")
    assert await instalment_states(handlers, "i3") == {"i3": ("overdue", 0, 0)}
    assert await rows(handlers, sa.select(receipts.c.status).where(receipts.c.statement_line_id == "l2")) == [
        ("reversed",)]
    assert await rows(handlers, sa.select(write_offs.c.status)) == [("reversed",)]
    assert (await line_statuses(handlers))["l2"] == "unmatched"
    [event] = await events(handlers, "payment.unreconciled", finance_pb2.PaymentUnreconciled)
    assert (event.match_id, list(event.receipt_ids), event.reason) == (l2.match_id, list(done.receipt_ids),
                                                                        "付款方不是这家客户")
    with pytest.raises(FailedPrecondition):
        await handlers.reverse(FINANCE, l2.match_id, "again")


async def test_a_pairing_reversed_once_is_offered_again_but_never_confirmed_by_a_run(handlers):
    [auto] = (await handlers.run(FINANCE)).confirmed
    await handlers.reverse(FINANCE, auto.match_id, "客户说这笔是另一份合同的")
    report = await handlers.run(FINANCE)
    assert report.confirmed == []
    [again] = [m for m in report.suggestions if m.line_id == "l1"]
    assert not again.confident and again.evidence["dropped_before"]
    assert await instalment_states(handlers, "i1", "i2") == {"i1": ("overdue", 0, 0), "i2": ("overdue", 0, 0)}


async def test_a_confirm_the_lock_refuses_changes_nothing(handlers):
    [l2] = (await handlers.run(FINANCE)).suggestions
    async with handlers.uow() as uow:  # a newer version signed meanwhile
        await uow.session.execute(sa.update(finance_contracts).values(status="superseded"))
        await uow.commit()
    with pytest.raises(FailedPrecondition) as err:
        await handlers.confirm(FINANCE, l2.match_id)
    assert "contract_version" in {v.type for v in err.value.violations}
    [still] = await handlers.suggestions(FINANCE)
    assert (still.match_id, still.status, still.receipt_ids) == (l2.match_id, "suggested", ())
    assert (await line_statuses(handlers))["l2"] == "suggested"
    assert len(await rows(handlers, sa.select(receipts.c.receipt_id))) == 2  # l1's, from the run before
    assert await instalment_states(handlers, "i3") == {"i3": ("due", 0, 0)}
    assert len(await events(handlers, "payment.reconciled", finance_pb2.PaymentReconciled)) == 1


async def _left_by_a_stopped_run(handlers: MatchingHandlers) -> StoredMatch:
    """A confident suggestion stored by a run that stopped before confirming it."""
    m = StoredMatch("m-left", "tenant-a", "l1", (Allocation("i1", 100_000), Allocation("i2", 100_000)), 200_000,
                    "CNY", "default-contract", CONTRACT_REF, 1.0,
                    {"payment": "settles", "difference_minor": 0, "confident": True,
                     "tolerance": {"under_minor": 0, "over_minor": 0, "under_bp": 0, "over_bp": 0}},
                    "suggested", "fin-1", NOW, confident=True)
    async with handlers.uow() as uow:
        await uow.matches.add_all([m])
        await uow.statements.set_line_status("tenant-a", "l1", "suggested", "unmatched")
        await uow.commit()
    return m


async def test_a_confident_suggestion_a_stopped_run_left_is_confirmed_by_the_next_run(handlers):
    left = await _left_by_a_stopped_run(handlers)
    report = await handlers.run(FINANCE)
    assert [m.match_id for m in report.confirmed] == [left.match_id]
    assert await instalment_states(handlers, "i1", "i2") == {"i1": ("paid", 100_000, 0), "i2": ("paid", 100_000, 0)}


async def test_a_confident_match_the_lock_refuses_stays_a_suggestion_with_the_refusal(handlers):
    left = await _left_by_a_stopped_run(handlers)
    async with handlers.uow() as uow:  # waived by finance meanwhile
        await uow.session.execute(sa.update(instalments).where(instalments.c.instalment_id == "i2")
                                  .values(state="waived"))
        await uow.commit()
    report = await handlers.run(FINANCE)
    assert report.confirmed == []
    [kept] = [m for m in await handlers.suggestions(FINANCE) if m.match_id == left.match_id]
    assert not kept.confident and any(r["type"] == "instalment" and "waived" in r["description"]
                                      for r in kept.evidence["refused"])
    assert await rows(handlers, sa.select(receipts.c.receipt_id)) == []
    assert (await handlers.run(FINANCE)).confirmed == []  # not tried again


async def test_rejecting_frees_the_line_and_is_final(handlers):
    [m] = (await handlers.run(FINANCE)).suggestions
    with pytest.raises(InvalidArgument) as err:
        await handlers.reject(FINANCE, m.match_id, "  ")
    assert err.value.violations[0].field == "reason"
    rejected = await handlers.reject(FINANCE, m.match_id, "另一家公司的付款")
    assert (rejected.status, rejected.reason) == ("rejected", "另一家公司的付款")
    assert await handlers.suggestions(FINANCE) == []
    assert (await line_statuses(handlers))["l2"] == "unmatched"
    with pytest.raises(FailedPrecondition):
        await handlers.reject(FINANCE, m.match_id, "again")
    with pytest.raises(FailedPrecondition):
        await handlers.confirm(FINANCE, m.match_id)
    assert [s.line_id for s in (await handlers.run(FINANCE)).suggestions] == ["l2"]


async def test_matches_are_listed_by_status_a_page_at_a_time(handlers):
    await handlers.run(FINANCE)
    first, token = await handlers.listed(FINANCE, page_size=1)
    second, end = await handlers.listed(FINANCE, page_size=1, page_token=token)
    assert len(first) == len(second) == 1 and token and end == "" and first[0].match_id < second[0].match_id
    assert [m.line_id for m in (await handlers.listed(FINANCE, "confirmed"))[0]] == ["l1"]
    for bad in ({"status": "done"}, {"page_token": "nope"}, {"page_size": -1}):
        with pytest.raises(InvalidArgument) as err:
            await handlers.listed(FINANCE, **bad)
        assert err.value.violations[0].field == next(iter(bad))


async def test_another_tenant_sees_nothing_and_reps_may_not_match(handlers):
    report = await handlers.run(FINANCE)
    [m] = report.suggestions
    assert await handlers.suggestions(OTHER) == [] and (await handlers.listed(OTHER))[0] == []
    for call in (handlers.reject(OTHER, m.match_id, "not ours"), handlers.confirm(OTHER, m.match_id),
                 handlers.reverse(OTHER, report.confirmed[0].match_id, "not ours"), handlers.confirm(FINANCE, "x" * 65)):
        with pytest.raises(NotFound):
            await call
    assert (await handlers.run(OTHER)).lines == 0
    for call in (handlers.run(REP), handlers.suggestions(REP), handlers.rules(REP), handlers.confirm(REP, m.match_id),
                 handlers.reverse(REP, m.match_id, "x"), handlers.listed(REP)):
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


async def test_two_runs_at_once_handle_each_line_once(handlers):
    first, second = await asyncio.gather(handlers.run(FINANCE), handlers.run(FINANCE))
    assert sorted(m.line_id for m in first.confirmed + second.confirmed) == ["l1"]
    assert sorted(m.line_id for m in await handlers.suggestions(FINANCE)) == ["l2"]
    assert len(await rows(handlers, sa.select(receipts.c.receipt_id))) == 2
    assert len(await rows(handlers, sa.select(matches.c.match_id))) == 2


async def test_a_run_takes_at_most_its_bound_of_lines_and_the_job_visits_every_tenant(handlers):
    bounded = MatchingHandlers(handlers.uow, handlers.receipts, max_lines=1)
    first = await bounded.run(FINANCE)
    assert (first.lines, first.more, [m.line_id for m in first.confirmed]) == (1, True, ["l1"])  # oldest first
    assert await MatchingJob(handlers.uow, bounded).run() == 0  # l2 offered, not confident
    assert (await line_statuses(handlers))["l2"] == "suggested"
    [made] = [m for m in await handlers.suggestions(FINANCE) if m.line_id == "l2"]
    assert made.by == "finance-matching"


async def test_a_confident_match_a_receipt_cannot_be_made_from_is_kept_for_finance_not_retried(handlers):
    async with handlers.uow() as uow:  # booked tomorrow (as the bank dates it): no receipt is paid in the future
        await uow.session.execute(sa.update(statement_lines).where(statement_lines.c.line_id == "l1")
                                  .values(booked_on=date(2026, 11, 6)))
        await uow.commit()
    report = await handlers.run(FINANCE)
    assert report.confirmed == []
    [reported] = [m for m in report.suggestions if m.line_id == "l1"]
    [stored] = [m for m in await handlers.suggestions(FINANCE) if m.line_id == "l1"]
    assert reported == stored and reported.evidence == stored.evidence
    assert not stored.confident and [r["type"] for r in stored.evidence["refused"]] == ["paid_on"]
    assert await rows(handlers, sa.select(receipts.c.receipt_id)) == []


async def _many_paying_the_contract(handlers: MatchingHandlers, refused: str = "") -> None:
    """Ten more instalments (i10..i19, due in October) and ten lines naming the contract, one each;
    `refused` booked tomorrow (no receipt is paid in the future)."""
    async with handlers.uow() as uow:
        await uow.session.execute(sa.insert(instalments), [
            _instalment(n, 100_000, date(2026, 10, n), "due") for n in range(10, 20)])
        await uow.session.execute(sa.insert(statement_lines), [
            _row(statement_lines, line_id=f"m{n}", tenant_id="tenant-a", statement_id="s1", account="6222",
                 bank_ref=f"m{n}", booked_on=date(2026, 11, 6) if f"m{n}" == refused else date(2026, 11, 4),
                 amount_minor=100_000, currency="CNY", direction="credit", counterparty_name="",
                 counterparty_account="", remark="货款 HT-2026-0001", status="unmatched")
            for n in range(10)])
        await uow.commit()


async def test_a_run_confirms_in_batches_each_match_once_and_a_refused_one_alone_stays(handlers):
    await _many_paying_the_contract(handlers, refused="m4")
    batched = MatchingHandlers(handlers.uow, handlers.receipts, confirm_batch=4)
    report = await batched.run(FINANCE)
    # l1 pays i1 and i2; m0..m9 (but m4) one instalment each, oldest due first; m4, refused, stays a suggestion.
    assert sorted(m.line_id for m in report.confirmed) == ["l1"] + [f"m{n}" for n in range(10) if n != 4]
    [kept] = [m for m in report.suggestions if m.line_id == "m4"]
    assert not kept.confident and [r["type"] for r in kept.evidence["refused"]] == ["paid_on"]
    statuses = await line_statuses(handlers)
    assert statuses["m4"] == "suggested" and all(statuses[f"m{n}"] == "matched" for n in range(10) if n != 4)
    again = await batched.run(FINANCE)
    assert again.confirmed == []
    made = await rows(handlers, sa.select(receipts.c.statement_line_id, receipts.c.instalment_id))
    assert len(made) == 11 and len({iid for _, iid in made}) == 11  # l1's two and one per line, none twice
    reconciled = await events(handlers, "payment.reconciled", finance_pb2.PaymentReconciled)
    assert sorted(e.match_id for e in reconciled) == sorted(m.match_id for m in report.confirmed)
    recorded = await events(handlers, "payment.receipt_recorded", finance_pb2.ReceiptRecorded)
    assert sorted(e.receipt_id for e in recorded) == sorted(r for m in report.confirmed for r in m.receipt_ids)
    paid = await instalment_states(handlers, *(f"i{n}" for n in (1, 2, 3, *range(10, 20))))
    assert sum(p for _, p, _ in paid.values()) == 1_100_000 and sorted(s for s, _, _ in paid.values()).count("paid") == 11


async def test_a_batch_whose_transaction_fails_is_confirmed_one_by_one(handlers, monkeypatch):
    await _many_paying_the_contract(handlers)
    batched = MatchingHandlers(handlers.uow, handlers.receipts, confirm_batch=5)
    failed = []

    async def lost_connection(self, *args, **kwargs):
        failed.append(1)
        raise ConnectionError("the database went away")

    # The first batch's bulk read fails: its matches are confirmed one by one, the later batches still batched.
    real = PlanRepository.instalments_by_id

    async def once(self, *args, **kwargs):
        return await (lost_connection if not failed else real)(self, *args, **kwargs)

    monkeypatch.setattr(PlanRepository, "instalments_by_id", once)
    report = await batched.run(FINANCE)
    assert failed == [1]
    assert sorted(m.line_id for m in report.confirmed) == ["l1"] + [f"m{n}" for n in range(10)]
    assert (await batched.run(FINANCE)).confirmed == []
    assert len(await rows(handlers, sa.select(receipts.c.receipt_id))) == 12
    assert len(await events(handlers, "payment.reconciled", finance_pb2.PaymentReconciled)) == 11
