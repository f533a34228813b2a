"""Payment plans and receipts over real gRPC, a real database and NATS:
contract.signed published on its real stream builds the plan; the seed-003
case (a receipt for V3.2's second instalment while V2.8 is in force is
refused with 请先更新商机合同版本, accepted once V3.2 is signed, what V2.8
collected carried over); not due / already paid / wrong equipment refusals
changing nothing; a reversal; statement receipts (no equipment list, a
rule's tolerance) and write-offs in the caller's unit of work; held receipts
released or rejected; waivers; another tenant seeing nothing; the ledger
balanced after every test. Opportunity runs in-process (real gRPC) and
decides who may see an opportunity's money."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import grpc
import nats
import pytest
import sqlalchemy as sa
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import contract_pb2
from crm.finance_reconciliation.v1 import finance_reconciliation_pb2 as pb
from crm.finance_reconciliation.v1 import finance_reconciliation_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from crm_shared.events import make_envelope
from crm_shared.grpc_errors import decode_rpc_error
from crm_shared.ids import new_id
from crm_shared.money import MAX_AMOUNT_MINOR
from finance_reconciliation.adapters.orm.receipts import ledger_postings, receipts, write_offs
from finance_reconciliation.bootstrap import build
from finance_reconciliation.config import Settings
from finance_reconciliation.domain.receipt import STATEMENT, Tolerance
from finance_reconciliation.domain.statement import StatementLine
from finance_reconciliation.entrypoints.consumers import CONTRACT_SIGNED_DURABLE
from finance_reconciliation.service_layer.receipts import ReceiptHandlers, RecordReceipt
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

from tests.integration.gateway.conftest import nowhere
from tests.support.infra import RunningService, eventually, migrate, run_service
from tests.support.subjects import Opportunities, opportunity_service, reserve

FINANCE = Caller("tenant-a", "fin-1", "finance")
OWNER = Caller("tenant-a", "rep-1", "rep")
OTHER_REP = Caller("tenant-a", "rep-2", "rep")
MANAGER = Caller("tenant-a", "mgr-1", "manager")  # manages rep-1
ADMIN = Caller("tenant-a", "admin-1", "admin")
PARTNER = Caller("tenant-a", "p-1", "partner")
OTHER_TENANT = Caller("tenant-b", "fin-9", "finance")


@dataclass
class Stack:
    svc: RunningService
    opps: Opportunities

    @property
    def runtime(self):  # type: ignore[no-untyped-def]
        return self.svc.runtime

    def receipts(self, tolerance: Tolerance | None = None) -> ReceiptHandlers:
        """The service's receipt handlers over its own database, for what only other
        parts of the service call (record_in / write_off_in inside their unit of work)."""
        db = self.svc.runtime.db
        return ReceiptHandlers(lambda: FinanceUnitOfWork(db), None, tolerance or Tolerance())  # type: ignore[arg-type]


async def _stack(nats_url: str, database_url: str, tmp_path: Path, **settings) -> AsyncIterator[Stack]:  # type: ignore[no-untyped-def]
    await migrate("finance-reconciliation", database_url)
    opportunity = reserve()
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, opportunity_addr=opportunity.address,
        **settings,
    ) as running, opportunity_service(nats_url, database_url, tmp_path, opportunity) as opps:
        await opps.announce_reps("tenant-a", {"rep-1": "mgr-1", "rep-2": "mgr-2"})
        yield Stack(running, opps)


@pytest.fixture
async def service(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    async for stack in _stack(nats_url, database_url, tmp_path):
        yield stack


@pytest.fixture
async def holding(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    """Overpayment beyond 100 分 is held for review instead of refused."""
    async for stack in _stack(nats_url, database_url, tmp_path, overpayment_tolerance_minor=100, overpayment_hold=True):
        yield stack


@pytest.fixture
async def js(nats_url: str):
    nc = await nats.connect(nats_url)
    yield nc.jetstream()
    await nc.close()


@pytest.fixture
def stub(service) -> pb_grpc.FinanceReconciliationServiceStub:
    return pb_grpc.FinanceReconciliationServiceStub(service.svc.channel)


async def known_opportunity(s: Stack, owner: Caller = OWNER) -> str:
    """An opportunity created in opportunity (which publishes opportunity.created to finance)."""
    return await s.opps.create(owner, name="柯桥 3 台剑杆织机")


async def refused(call, *args, metadata) -> object:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call(*args, metadata=metadata)
    return decode_rpc_error(err.value)


EQUIPMENT = [("HX-450", 2), ("HX-650", 1)]


async def sign(js, opportunity_id: str, contract_id: str, label: str, *, supersedes: str = "",
               equipment=EQUIPMENT, signed_on: date | None = None) -> str:
    version_id = new_id()
    event = contract_pb2.ContractSigned(
        contract_id=contract_id, version_id=version_id, signed_version_id=new_id(), label=label,
        customer_id="cust-1", opportunity_id=opportunity_id, total=Money(amount_minor=10_000_001, currency="CNY"),
        instalments=[
            contract_pb2.SignedInstalment(name="预付款", trigger="advance", days=0, percent_bp=3000),
            contract_pb2.SignedInstalment(name="到货款", trigger="advance", days=0, percent_bp=6000),
            contract_pb2.SignedInstalment(name="质保金", trigger="retention", days=0, percent_bp=1000),
        ],
        equipment=[contract_pb2.SignedEquipmentRow(model=m, description="注塑机", quantity=q, unit_price_minor=1)
                   for m, q in equipment],
        signed_on=(signed_on or datetime.now(UTC).date() - timedelta(days=3)).isoformat(),
        supersedes_version_id=supersedes, warranty_months=12,
    )
    env = make_envelope("contract.signed", "tenant-a", contract_id, event, source="document-versioning",
                        occurred_at=datetime.now(UTC))
    await js.publish("crm.contract.signed", env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id})

    async def drained() -> bool:
        info = await js.consumer_info("DOCUMENT_VERSIONING", CONTRACT_SIGNED_DURABLE)
        return info.num_pending == 0 and info.num_ack_pending == 0

    assert await eventually(drained)
    return version_id


def receipt(contract_id: str, version_id: str, instalment_id: str, minor: int, equipment=EQUIPMENT, **kw):
    return pb.RecordReceiptRequest(
        contract_id=contract_id, contract_version_id=version_id, instalment_id=instalment_id,
        amount=Money(amount_minor=minor, currency="CNY"), payer_name="宁波华翔注塑有限公司",
        equipment=[pb.EquipmentLine(model=m, quantity=q) for m, q in equipment], **kw)


async def plans(stub, contract_id: str) -> list:
    return list((await stub.ListPlans(pb.ListPlansRequest(contract_id=contract_id), metadata=FINANCE.metadata())).plans)


async def balanced(stub) -> None:
    check = await stub.CheckLedger(pb.CheckLedgerRequest(), metadata=FINANCE.metadata())
    assert check.balanced, list(check.problems)


async def test_seed_003_receipt_locked_to_the_version_in_force_then_replanned(service, stub, js) -> None:
    opportunity_id = await known_opportunity(service)
    contract_id = new_id()
    v28 = await sign(js, opportunity_id, contract_id, "V2.8")
    [plan] = await plans(stub, contract_id)
    amounts = [i.amount.amount_minor for i in plan.instalments]
    assert sum(amounts) == 10_000_001 and amounts == [3_000_000, 6_000_001, 1_000_000]  # the 分 left to the largest remainder
    first, second, retention = plan.instalments
    assert first.state == "due" or first.state == "overdue"
    assert retention.due_on == "" and retention.state == "not_due"  # waits for acceptance + 12 months

    paid = await stub.RecordReceipt(receipt(contract_id, v28, first.instalment_id, 3_000_000),
                                    metadata=FINANCE.metadata())
    assert paid.receipt.status == "recorded" and paid.receipt.lead_source == "direct"

    # Finance pays V3.2's second instalment while V2.8 is in force: refused, naming each failing check.
    v32 = new_id()
    wrong = await refused(stub.RecordReceipt, receipt(contract_id, v32, second.instalment_id, 6_000_001,
                                                      equipment=[("HX-450", 3)]), metadata=FINANCE.metadata())
    assert wrong.code == grpc.StatusCode.FAILED_PRECONDITION
    kinds = {v.type: v.description for v in wrong.precondition_violations}
    assert "请先更新商机合同版本" in kinds["contract_version"] and "V2.8" in kinds["contract_version"]
    assert "instalment" in kinds  # V2.8's instalment is not one of the version named
    # Already paid, and a wrong equipment list, on the version in force.
    again = await refused(stub.RecordReceipt, receipt(contract_id, v28, first.instalment_id, 1),
                          metadata=FINANCE.metadata())
    assert "already paid" in again.precondition_violations[0].description
    rows = await refused(stub.RecordReceipt, receipt(contract_id, v28, second.instalment_id, 100,
                                                     equipment=[("HX-450", 2)]), metadata=FINANCE.metadata())
    assert [v.type for v in rows.precondition_violations] == ["equipment"]
    not_due = await refused(stub.RecordReceipt, receipt(contract_id, v28, retention.instalment_id, 100),
                            metadata=FINANCE.metadata())
    assert "not due" in not_due.precondition_violations[0].description
    listed = await stub.ListReceipts(pb.ListReceiptsRequest(contract_id=contract_id), metadata=FINANCE.metadata())
    assert len(listed.receipts) == 1  # refused receipts recorded nothing
    await balanced(stub)

    # V3.2 signed: V2.8's plan closed, what it collected carried to V3.2's first instalment.
    v32 = await sign(js, opportunity_id, contract_id, "V3.2", supersedes=v28)
    old, new = await plans(stub, contract_id)
    assert old.status == "closed" and new.status == "open" and new.label == "V3.2"
    assert [i.paid.amount_minor for i in new.instalments] == [3_000_000, 0, 0]
    assert new.instalments[0].state == "paid"
    stale = await refused(stub.RecordReceipt, receipt(contract_id, v28, second.instalment_id, 6_000_001),
                          metadata=FINANCE.metadata())
    assert "已被替代" in stale.precondition_violations[0].description
    half = await stub.RecordReceipt(receipt(contract_id, v32, new.instalments[1].instalment_id, 2_000_000),
                                    metadata=FINANCE.metadata())
    assert half.receipt.contract_version_id == v32
    _, new = await plans(stub, contract_id)
    assert new.instalments[1].state == "partly_paid" and new.instalments[1].paid.amount_minor == 2_000_000
    await balanced(stub)

    # A reversal: a reversing entry, the instalment unpaid again, twice refused.
    reversed_ = await stub.ReverseReceipt(pb.ReverseReceiptRequest(receipt_id=half.receipt.receipt_id,
                                                                   reason="银行退票"), metadata=FINANCE.metadata())
    assert reversed_.receipt.status == "reversed" and reversed_.receipt.reversal_reason == "银行退票"
    _, new = await plans(stub, contract_id)
    assert new.instalments[1].paid.amount_minor == 0
    twice = await refused(stub.ReverseReceipt, pb.ReverseReceiptRequest(receipt_id=half.receipt.receipt_id,
                                                                       reason="x"), metadata=FINANCE.metadata())
    assert twice.code == grpc.StatusCode.FAILED_PRECONDITION
    await balanced(stub)

    # Acceptance recorded: the retention is due 12 months later.
    accepted = await stub.RecordTrigger(pb.RecordTriggerRequest(contract_id=contract_id, trigger="acceptance"),
                                        metadata=FINANCE.metadata())
    assert accepted.plans[-1].instalments[2].due_on != ""

    # Another tenant and a partner see nothing.
    for caller in (OTHER_TENANT, PARTNER):
        hidden = await refused(stub.ListPlans, pb.ListPlansRequest(contract_id=contract_id), metadata=caller.metadata())
        assert hidden.code in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED)
    await balanced(stub)


@pytest.mark.parametrize("bad", ["", "2099-01-01"])
async def test_bad_input_is_named_and_changes_nothing(service, stub, js, bad) -> None:
    opportunity_id = await known_opportunity(service)
    contract_id = new_id()
    version = await sign(js, opportunity_id, contract_id, "V1")
    [plan] = await plans(stub, contract_id)
    request = receipt(contract_id, version, plan.instalments[0].instalment_id, 100, paid_on=bad or "nope")
    remote = await refused(stub.RecordReceipt, request, metadata=FINANCE.metadata())
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT and "paid_on" in remote.message
    listed = await stub.ListReceipts(pb.ListReceiptsRequest(contract_id=contract_id), metadata=FINANCE.metadata())
    assert not listed.receipts
    await balanced(stub)


async def bank_line(s: Stack, minor: int) -> str:
    """A credit line of `minor` 分 on an imported statement, as the import stores it."""
    line = StatementLine(
        line_id=new_id(), tenant_id="tenant-a", statement_id=new_id(), account="6222000011112222",
        bank_ref=new_id(), booked_on=datetime.now(UTC).date(), value_on=None, amount_minor=minor, currency="CNY",
        direction="credit", counterparty_name="宁波华翔注塑有限公司", counterparty_account="", remark="货款")
    async with FinanceUnitOfWork(s.runtime.db) as uow:
        await uow.statements.add_lines([line])
        await uow.commit()
    return line.line_id


def statement_receipt(contract_id: str, version_id: str, instalment_id: str, minor: int, line_id: str, **kw):  # type: ignore[no-untyped-def]
    """What a confirmed match records: no equipment list (the bank sends none), the line it comes from."""
    return RecordReceipt(
        contract_id=contract_id, contract_version_id=version_id, instalment_id=instalment_id, amount_minor=minor,
        currency="CNY", payer_name="宁波华翔注塑有限公司", source=STATEMENT, statement_line_id=line_id,
        **{"equipment": (), **kw})


async def test_a_statement_receipt_needs_no_equipment_list_and_takes_the_rules_tolerance(service, stub, js) -> None:
    opportunity_id = await known_opportunity(service)
    contract_id = new_id()
    version = await sign(js, opportunity_id, contract_id, "V1")
    [plan] = await plans(stub, contract_id)
    first, second, _ = plan.instalments  # 3_000_000 and 6_000_001 分, both due
    handlers = service.receipts()  # the service's setting: no overpayment at all
    line = await bank_line(service, 3_000_500)

    # The rule allowed 500 分 over: 500 over is recorded against the version's own equipment list.
    async with FinanceUnitOfWork(service.runtime.db) as uow:
        over = await handlers.record_in(uow, FINANCE, statement_receipt(
            contract_id, version, first.instalment_id, 3_000_500, line, over_tolerance_minor=500))
        await uow.commit()
    assert over.status == "recorded" and over.source == "statement"
    # 501 over the rule's 500 is refused naming the amount; a manual receipt must still name the equipment.
    with pytest.raises(FailedPrecondition) as too_much:
        async with FinanceUnitOfWork(service.runtime.db) as uow:
            await handlers.record_in(uow, FINANCE, statement_receipt(
                contract_id, version, second.instalment_id, 6_000_502, line, over_tolerance_minor=500))
    assert [v.type for v in too_much.value.violations] == ["amount"]
    assert "tolerance 500" in too_much.value.violations[0].description
    with pytest.raises(InvalidArgument) as manual:
        async with FinanceUnitOfWork(service.runtime.db) as uow:
            await handlers.record_in(uow, FINANCE, RecordReceipt(
                contract_id=contract_id, contract_version_id=version, instalment_id=second.instalment_id,
                amount_minor=100, currency="CNY", payer_name="x", equipment=()))
    assert "equipment" in str(manual.value.violations)
    # Without a rule's tolerance the service's setting (0) applies: 1 分 over is refused.
    with pytest.raises(FailedPrecondition):
        async with FinanceUnitOfWork(service.runtime.db) as uow:
            await handlers.record_in(uow, FINANCE, statement_receipt(
                contract_id, version, second.instalment_id, 6_000_002, line))
    # A statement receipt naming a wrong list is still refused: only an empty one means the version's.
    with pytest.raises(FailedPrecondition) as rows:
        async with FinanceUnitOfWork(service.runtime.db) as uow:
            await handlers.record_in(uow, FINANCE, statement_receipt(
                contract_id, version, second.instalment_id, 100, line, equipment=(("HX-450", 1),)))
    assert [v.type for v in rows.value.violations] == ["equipment"]

    [plan] = await plans(stub, contract_id)
    assert [(i.paid.amount_minor, i.state) for i in plan.instalments[:2]] == [(3_000_500, "paid"), (0, "overdue")]
    listed = await stub.ListReceipts(pb.ListReceiptsRequest(contract_id=contract_id), metadata=FINANCE.metadata())
    assert [r.amount.amount_minor for r in listed.receipts] == [3_000_500]
    await balanced(stub)


async def test_a_statement_lines_money_is_counted_by_one_receipt_only(service, stub, js) -> None:
    opportunity_id = await known_opportunity(service)
    contract_id = new_id()
    version = await sign(js, opportunity_id, contract_id, "V1")
    [plan] = await plans(stub, contract_id)
    first, second, _ = plan.instalments  # 3_000_000 and 6_000_001 分, both due
    handlers = service.receipts()
    line = await bank_line(service, 3_000_000)

    async def attempt(instalment_id: str, minor: int, line_id: str = line):  # type: ignore[no-untyped-def]
        cmd = statement_receipt(contract_id, version, instalment_id, minor, line_id)
        async with FinanceUnitOfWork(service.runtime.db) as uow:
            made = await handlers.record_in(uow, FINANCE, cmd)
            await uow.commit()
        return made

    # Two receipts for the line's whole amount at once (two confirms racing, on two instalments): one wins.
    outcomes = await asyncio.gather(
        attempt(first.instalment_id, 3_000_000), attempt(second.instalment_id, 3_000_000), return_exceptions=True)
    [won] = [o for o in outcomes if not isinstance(o, BaseException)]
    [lost] = [o for o in outcomes if isinstance(o, BaseException)]
    assert isinstance(lost, FailedPrecondition), lost
    assert [v.type for v in lost.violations] == ["statement_line_id"]
    assert "only 0 分" in lost.violations[0].description
    # A later receipt naming the matched line, even for 1 分, is refused the same way.
    with pytest.raises(FailedPrecondition) as again:
        await attempt(second.instalment_id if won.instalment_id == first.instalment_id else first.instalment_id, 1)
    assert [v.type for v in again.value.violations] == ["statement_line_id"]
    # A line finance never imported is named.
    with pytest.raises(InvalidArgument) as unknown:
        await attempt(second.instalment_id, 100, line_id=new_id())
    assert unknown.value.violations[0].field == "statement_line_id"
    # One receipt, one instalment paid from the line; the other untouched.
    listed = await stub.ListReceipts(pb.ListReceiptsRequest(contract_id=contract_id), metadata=FINANCE.metadata())
    assert [(r.statement_line_id, r.amount.amount_minor) for r in listed.receipts] == [(line, 3_000_000)]
    [plan] = await plans(stub, contract_id)
    assert sum(i.paid.amount_minor for i in plan.instalments) == 3_000_000

    # Once its receipt is reversed the line's money is free: a combined payment's receipts share it.
    await stub.ReverseReceipt(pb.ReverseReceiptRequest(receipt_id=won.receipt_id, reason="匹配错误"),
                              metadata=FINANCE.metadata())
    await attempt(second.instalment_id, 1_000_000)
    await attempt(second.instalment_id, 2_000_000)
    with pytest.raises(FailedPrecondition):
        await attempt(second.instalment_id, 1)
    [plan] = await plans(stub, contract_id)
    assert [i.paid.amount_minor for i in plan.instalments[:2]] == [0, 3_000_000]
    await balanced(stub)


async def test_an_accepted_shortfall_is_written_off_with_its_receipt_and_reversed_with_it(service, stub, js) -> None:
    opportunity_id = await known_opportunity(service)
    contract_id = new_id()
    version = await sign(js, opportunity_id, contract_id, "V1")
    [plan] = await plans(stub, contract_id)
    first, second, retention = plan.instalments
    handlers = service.receipts()
    line = await bank_line(service, 2_999_000)

    # One unit of work, as a confirmed match does it: 2_999_000 received, the 1_000 分 short written off.
    async with FinanceUnitOfWork(service.runtime.db) as uow:
        short = await handlers.record_in(uow, FINANCE, statement_receipt(
            contract_id, version, first.instalment_id, 2_999_000, line))
        written = await handlers.write_off_in(uow, FINANCE, first.instalment_id, 1_000, "银行手续费",
                                              receipt_id=short.receipt_id)
        await uow.commit()
    [plan] = await plans(stub, contract_id)
    settled = plan.instalments[0]
    assert (settled.state, settled.paid.amount_minor, settled.written_off.amount_minor) == ("paid", 2_999_000, 1_000)
    check = await stub.CheckLedger(pb.CheckLedgerRequest(), metadata=FINANCE.metadata())
    assert check.balanced and check.written_off.amount_minor >= 1_000
    async with service.runtime.db.sessions() as session:
        kinds = (await session.execute(
            sa.select(ledger_postings.c.kind, ledger_postings.c.instalment_id, ledger_postings.c.amount_minor)
            .where(ledger_postings.c.entry_id == written.write_off_id))).all()
    assert sorted(kinds, key=str) == sorted([("write_off", None, 1_000), ("write_off", first.instalment_id, 1_000)],
                                            key=str)

    # Refusals, each named, changing nothing: not the outstanding amount, a paid instalment, one not due.
    async with FinanceUnitOfWork(service.runtime.db) as uow:
        with pytest.raises(FailedPrecondition) as wrong:
            await handlers.write_off_in(uow, FINANCE, second.instalment_id, 5, "差额")
        assert [v.type for v in wrong.value.violations] == ["amount"] and "6000001" in wrong.value.violations[0].description
        with pytest.raises(FailedPrecondition) as paid:
            await handlers.write_off_in(uow, FINANCE, first.instalment_id, 1, "差额")
        assert "already paid" in paid.value.violations[0].description
        with pytest.raises(FailedPrecondition) as not_due:
            await handlers.write_off_in(uow, FINANCE, retention.instalment_id, retention.amount.amount_minor, "差额")
        assert "not due" in not_due.value.violations[0].description
        with pytest.raises(FailedPrecondition) as other:
            await handlers.write_off_in(uow, FINANCE, second.instalment_id, 6_000_001, "差额",
                                        receipt_id=short.receipt_id)
        assert [v.type for v in other.value.violations] == ["receipt"]
        with pytest.raises(InvalidArgument):
            await handlers.write_off_in(uow, FINANCE, second.instalment_id, 6_000_001, " ")

    # Reversing the receipt reverses its write-off: the instalment owes everything again.
    await stub.ReverseReceipt(pb.ReverseReceiptRequest(receipt_id=short.receipt_id, reason="匹配错误"),
                              metadata=FINANCE.metadata())
    [plan] = await plans(stub, contract_id)
    back = plan.instalments[0]
    assert (back.paid.amount_minor, back.written_off.amount_minor) == (0, 0) and back.state in ("due", "overdue")
    async with service.runtime.db.sessions() as session:
        row = (await session.execute(sa.select(write_offs).where(
            write_offs.c.write_off_id == written.write_off_id))).one()
    assert (row.status, row.reversal_reason, row.reversed_by) == ("reversed", "匹配错误", "fin-1")
    await balanced(stub)


async def test_who_may_record_and_read_receipts_and_the_amount_bound(service, stub, js) -> None:
    opportunity_id = await known_opportunity(service)
    contract_id = new_id()
    version = await sign(js, opportunity_id, contract_id, "V1")
    [plan] = await plans(stub, contract_id)
    first = plan.instalments[0].instalment_id
    for caller in (OWNER, MANAGER, PARTNER):  # only finance and admins record
        remote = await refused(stub.RecordReceipt, receipt(contract_id, version, first, 100), metadata=caller.metadata())
        assert remote.code == grpc.StatusCode.PERMISSION_DENIED, caller.role
    giant = await refused(stub.RecordReceipt, receipt(contract_id, version, first, MAX_AMOUNT_MINOR + 1),
                          metadata=ADMIN.metadata())
    assert [v.field for v in giant.field_violations] == ["amount.amount_minor"]
    await stub.RecordReceipt(receipt(contract_id, version, first, 100), metadata=ADMIN.metadata())

    def listing(caller: Caller):  # type: ignore[no-untyped-def]
        return stub.ListReceipts(pb.ListReceiptsRequest(opportunity_id=opportunity_id), metadata=caller.metadata())

    for caller in (FINANCE, ADMIN, MANAGER, OWNER):
        assert [r.amount.amount_minor for r in (await listing(caller)).receipts] == [100], caller
    # Another rep and another tenant do not learn the opportunity exists; a partner is refused outright.
    for caller in (OTHER_REP, OTHER_TENANT):
        remote = await refused(stub.ListReceipts, pb.ListReceiptsRequest(opportunity_id=opportunity_id),
                               metadata=caller.metadata())
        assert remote.code == grpc.StatusCode.NOT_FOUND, caller
    remote = await refused(stub.RecordReceipt, receipt(contract_id, version, first, 100),
                           metadata=OTHER_TENANT.metadata())
    assert remote.code == grpc.StatusCode.NOT_FOUND
    await balanced(stub)


async def test_the_ledger_totals_of_a_tenant_past_int64_are_exact_inside_and_saturated_on_the_wire(
    service, stub
) -> None:
    """10,000 balanced entries at the amount bound: 10^19 分 received, past what a SQL SUM or an int64 holds."""
    now = datetime.now(UTC)
    rows = []
    for n in range(10_000):
        entry = new_id()
        for instalment_id in (None, f"i-{n}"):
            rows.append({"posting_id": new_id(), "tenant_id": "tenant-big", "entry_id": entry, "kind": "receipt",
                         "receipt_id": None, "instalment_id": instalment_id, "amount_minor": MAX_AMOUNT_MINOR,
                         "currency": "CNY", "posted_by": "fin-1", "reason": "回款", "posted_at": now})
    async with service.runtime.db.sessions() as session, session.begin():
        await session.execute(sa.insert(ledger_postings), rows)
    async with FinanceUnitOfWork(service.runtime.db) as uow:
        assert await uow.ledger.totals("tenant-big") == (20_000, 10**19, 10**19, 0)
    big = Caller("tenant-big", "fin-1", "finance")
    check = await stub.CheckLedger(pb.CheckLedgerRequest(), metadata=big.metadata())
    assert check.balanced and check.postings == 20_000
    assert check.received.amount_minor == check.allocated.amount_minor == 2**63 - 1


async def test_without_opportunity_nothing_is_recorded(nats_url: str, database_url: str, js) -> None:
    """Who may see the opportunity is opportunity's to say: unreachable, the receipt is refused UNAVAILABLE."""
    await migrate("finance-reconciliation", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, opportunity_addr=nowhere(), access_timeout_s=1.0
    ) as running:
        stub = pb_grpc.FinanceReconciliationServiceStub(running.channel)
        contract_id = new_id()
        version = await sign(js, new_id(), contract_id, "V1")
        async with FinanceUnitOfWork(running.runtime.db) as uow:  # read as stored: listing asks opportunity too
            [plan] = await uow.plans.for_contract("tenant-a", contract_id)
            first = (await uow.plans.instalments("tenant-a", plan.plan_id))[0]
        remote = await refused(stub.RecordReceipt, receipt(contract_id, version, first.instalment_id, 100),
                               metadata=FINANCE.metadata())
        assert remote.code == grpc.StatusCode.UNAVAILABLE
        async with FinanceUnitOfWork(running.runtime.db) as uow:
            stored = await uow.session.scalar(
                sa.select(sa.func.count()).select_from(receipts).where(receipts.c.contract_id == contract_id))
        assert stored == 0
