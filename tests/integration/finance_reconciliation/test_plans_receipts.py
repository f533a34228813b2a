"""Payment plans and receipts over real gRPC, a real database and NATS:
contract.signed published on its real stream builds the plan; the seed-003
case (a receipt for V3.2's second instalment while V2.8 is in force is
refused with 请先更新商机合同版本, accepted once V3.2 is signed, what V2.8
collected carried over); not due / already paid / wrong equipment refusals
changing nothing; a reversal; another tenant seeing nothing; the ledger
balanced after every test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import grpc
import pytest
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import contract_pb2
from crm.finance_reconciliation.v1 import finance_reconciliation_pb2 as pb
from crm_shared.events import make_envelope
from crm_shared.ids import new_id
from finance_reconciliation.entrypoints.consumers import CONTRACT_SIGNED_DURABLE

from tests.integration.finance_reconciliation.test_payments import (  # noqa: F401 (fixtures)
    FINANCE,
    OTHER_TENANT,
    PARTNER,
    js,
    known_opportunity,
    refused,
    service,
    stub,
)
from tests.support.infra import eventually

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
