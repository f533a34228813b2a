"""Payment plans, receipts (回款单), reversals, held receipts' review, write-offs,
waivers, delivery/acceptance triggers and the ledger check. Who may do what, and on which opportunity, is finance-reconciliation's
rule; the gateway only relays (finance and admins write, reps and managers read
their own / team's)."""

from typing import Annotated, Literal

from crm.finance_reconciliation.v1 import finance_reconciliation_pb2 as pb
from crm_shared.roles import PAYMENT_READERS, PAYMENT_RECORDERS
from fastapi import APIRouter
from pydantic import Field

from gateway.adapters.stubs import finance_reconciliation
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, Money, PageSize, PageToken, PathId, Text

router = APIRouter()
IsoDate = Annotated[str, Field(max_length=10, description="ISO date, e.g. 2026-12-01; empty: today")]


class EquipmentLine(Body):
    model: Text
    quantity: Annotated[int, Field(ge=1, le=1_000_000)]


class RecordReceipt(Body):
    contract_id: Id
    contract_version_id: Id
    instalment_id: Id
    amount: Money
    paid_on: IsoDate = ""
    payer_name: Text = ""
    reference: Annotated[str, Field(max_length=100)] = ""
    equipment: Annotated[list[EquipmentLine], Field(max_length=200, default_factory=list)]


Reason = Annotated[str, Field(max_length=500)]


class ReverseReceipt(Body):
    reason: Reason


class ReviewReceipt(Body):
    note: Reason


class WriteOff(Body):
    amount: Money
    reason: Reason


class Reasoned(Body):
    reason: Reason


class RecordTrigger(Body):
    trigger: Literal["delivery", "acceptance"]
    on: IsoDate = ""


@router.get(
    "/v1/opportunities/{opportunity_id}/payment-plans",
    summary="Payment plans of an opportunity's signed contract versions, with their instalments",
    dependencies=[allow(PAYMENT_READERS)],
    response_model=reply(finance_reconciliation.ListPlans),
)
async def list_plans(opportunity_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(finance_reconciliation.ListPlans, pb.ListPlansRequest(opportunity_id=opportunity_id))


@router.get(
    "/v1/contracts/{contract_id}/payment-plans",
    summary="Payment plans of a contract (one per signed version), with their instalments",
    dependencies=[allow(PAYMENT_READERS)],
    response_model=reply(finance_reconciliation.ListPlans),
)
async def contract_plans(contract_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(finance_reconciliation.ListPlans, pb.ListPlansRequest(contract_id=contract_id))


@router.get(
    "/v1/opportunities/{opportunity_id}/receipts",
    summary="Receipts of an opportunity's contracts",
    dependencies=[allow(PAYMENT_READERS)],
    response_model=reply(finance_reconciliation.ListReceipts),
)
async def list_receipts(opportunity_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(finance_reconciliation.ListReceipts, pb.ListReceiptsRequest(opportunity_id=opportunity_id))


@router.post(
    "/v1/receipts",
    status_code=201,
    summary="Record a receipt (回款单) against a signed contract version's instalment; refused naming each failing check",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.RecordReceipt),
)
async def record_receipt(body: RecordReceipt, rpc: RpcDep) -> dict:
    return await rpc(finance_reconciliation.RecordReceipt, to_proto(body, pb.RecordReceiptRequest()))


@router.post(
    "/v1/receipts/{receipt_id}/reversal",
    summary="Reverse a receipt (a reversing ledger entry, with the reason)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.ReverseReceipt),
)
async def reverse_receipt(receipt_id: PathId, body: ReverseReceipt, rpc: RpcDep) -> dict:
    request = pb.ReverseReceiptRequest(receipt_id=receipt_id, reason=body.reason)
    return await rpc(finance_reconciliation.ReverseReceipt, request)


@router.get(
    "/v1/receipts/held",
    summary="Receipts held for review (overpaid beyond the tolerance), oldest first, a page at a time",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.ListHeldReceipts),
)
async def held_receipts(rpc: RpcDep, page_size: PageSize = 50, page_token: PageToken = "") -> dict:
    request = pb.ListHeldReceiptsRequest(page_size=page_size, page_token=page_token)
    return await rpc(finance_reconciliation.ListHeldReceipts, request)


@router.post(
    "/v1/receipts/{receipt_id}/release",
    summary="Release a held receipt: recorded and posted now, with who and why",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.ReleaseReceipt),
)
async def release_receipt(receipt_id: PathId, body: ReviewReceipt, rpc: RpcDep) -> dict:
    request = pb.ReleaseReceiptRequest(receipt_id=receipt_id, note=body.note)
    return await rpc(finance_reconciliation.ReleaseReceipt, request)


@router.post(
    "/v1/receipts/{receipt_id}/rejection",
    summary="Reject a held receipt: nothing is ever posted for it",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.RejectReceipt),
)
async def reject_receipt(receipt_id: PathId, body: ReviewReceipt, rpc: RpcDep) -> dict:
    request = pb.RejectReceiptRequest(receipt_id=receipt_id, note=body.note)
    return await rpc(finance_reconciliation.RejectReceipt, request)


@router.post(
    "/v1/instalments/{instalment_id}/write-off",
    status_code=201,
    summary="Write off what an instalment still owes (exactly that amount), settling it; a write_off ledger entry",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.WriteOffInstalment),
)
async def write_off_instalment(instalment_id: PathId, body: WriteOff, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.WriteOffInstalmentRequest())
    request.instalment_id = instalment_id
    return await rpc(finance_reconciliation.WriteOffInstalment, request)


@router.post(
    "/v1/write-offs/{write_off_id}/reversal",
    summary="Reverse a write-off (a reversing entry): the instalment owes the amount again",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.ReverseWriteOff),
)
async def reverse_write_off(write_off_id: PathId, body: Reasoned, rpc: RpcDep) -> dict:
    request = pb.ReverseWriteOffRequest(write_off_id=write_off_id, reason=body.reason)
    return await rpc(finance_reconciliation.ReverseWriteOff, request)


@router.post(
    "/v1/instalments/{instalment_id}/waiver",
    summary="Waive an instalment: no longer owed (who and why kept); it then refuses receipts",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.WaiveInstalment),
)
async def waive_instalment(instalment_id: PathId, body: Reasoned, rpc: RpcDep) -> dict:
    request = pb.WaiveInstalmentRequest(instalment_id=instalment_id, reason=body.reason)
    return await rpc(finance_reconciliation.WaiveInstalment, request)


@router.post(
    "/v1/contracts/{contract_id}/payment-triggers",
    summary="Record delivery or acceptance of a contract (dates the instalments waiting on it)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.RecordTrigger),
)
async def record_trigger(contract_id: PathId, body: RecordTrigger, rpc: RpcDep) -> dict:
    request = pb.RecordTriggerRequest(contract_id=contract_id, trigger=body.trigger, on=body.on)
    return await rpc(finance_reconciliation.RecordTrigger, request)


@router.get(
    "/v1/finance/ledger-check",
    summary="Whether the tenant's ledger balances, and what does not",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.CheckLedger),
)
async def check_ledger(rpc: RpcDep) -> dict:
    return await rpc(finance_reconciliation.CheckLedger, pb.CheckLedgerRequest())
