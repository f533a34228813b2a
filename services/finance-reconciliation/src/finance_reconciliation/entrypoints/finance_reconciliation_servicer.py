"""gRPC servicer: translates requests to handler calls and plans, receipts and write-offs to messages."""

from __future__ import annotations

import grpc
from crm.finance_reconciliation.v1 import finance_reconciliation_pb2 as pb
from crm.finance_reconciliation.v1 import finance_reconciliation_pb2_grpc as pb_grpc
from crm_shared.convert import money, timestamp
from crm_shared.grpc_server import current_caller
from crm_shared.money import wire_minor

from finance_reconciliation.domain.contract import CURRENCY
from finance_reconciliation.domain.plan import Instalment, PaymentPlan, Triggers
from finance_reconciliation.domain.receipt import Receipt
from finance_reconciliation.domain.settlement import WriteOff
from finance_reconciliation.service_layer.held_receipts import HeldReceiptHandlers
from finance_reconciliation.service_layer.ledger_check import LedgerCheckHandlers
from finance_reconciliation.service_layer.plans import PlanHandlers
from finance_reconciliation.service_layer.receipts import ReceiptHandlers, RecordReceipt
from finance_reconciliation.service_layer.waivers import WaiverHandlers
from finance_reconciliation.service_layer.write_offs import WriteOffHandlers


def instalment_message(i: Instalment) -> pb.Instalment:
    return pb.Instalment(
        instalment_id=i.instalment_id,
        plan_id=i.plan_id,
        seq=i.seq,
        name=i.name,
        trigger=i.trigger,
        days=i.days,
        amount=money(i.amount_minor, i.currency),
        due_on=i.due_on.isoformat() if i.due_on else "",
        paid=money(i.paid_minor, i.currency),
        state=i.state,
        contract_version_id=i.contract_version_id,
        written_off=money(i.written_off_minor, i.currency),
        waived_by=i.waived_by or "",
        waive_reason=i.waive_reason,
    )


def plan_message(view: tuple[PaymentPlan, list[Instalment], Triggers]) -> pb.PaymentPlan:
    plan, items, triggers = view
    return pb.PaymentPlan(
        plan_id=plan.plan_id,
        contract_id=plan.contract_id,
        contract_version_id=plan.contract_version_id,
        label=plan.label,
        opportunity_id=plan.opportunity_id,
        customer_id=plan.customer_id,
        status=plan.status,
        total=money(plan.total_minor, plan.currency),
        instalments=[instalment_message(i) for i in items],
        created_at=timestamp(plan.created_at),
        delivered_on=triggers.delivered_on.isoformat() if triggers.delivered_on else "",
        accepted_on=triggers.accepted_on.isoformat() if triggers.accepted_on else "",
    )


def receipt_message(r: Receipt) -> pb.Receipt:
    return pb.Receipt(
        receipt_id=r.receipt_id,
        contract_id=r.contract_id,
        contract_version_id=r.contract_version_id,
        instalment_id=r.instalment_id,
        amount=money(r.amount_minor, r.currency),
        paid_on=r.paid_on.isoformat(),
        payer_name=r.payer_name,
        reference=r.reference or "",
        lead_source=r.lead_source,
        source=r.source,
        statement_line_id=r.statement_line_id or "",
        status=r.status,
        recorded_by=r.recorded_by,
        recorded_at=timestamp(r.recorded_at),
        reversed_by=r.reversed_by or "",
        reversal_reason=r.reversal_reason,
        opportunity_id=r.opportunity_id,
        reviewed_by=r.reviewed_by or "",
        review_note=r.review_note,
    )


def write_off_message(w: WriteOff) -> pb.WriteOff:
    return pb.WriteOff(
        write_off_id=w.write_off_id,
        instalment_id=w.instalment_id,
        receipt_id=w.receipt_id or "",
        amount=money(w.amount_minor, w.currency),
        reason=w.reason,
        status=w.status,
        written_by=w.written_by,
        written_at=timestamp(w.written_at),
        reversed_by=w.reversed_by or "",
        reversal_reason=w.reversal_reason,
    )


class FinanceReconciliationServicer(pb_grpc.FinanceReconciliationServiceServicer):
    def __init__(
        self,
        plans: PlanHandlers,
        receipts: ReceiptHandlers,
        held: HeldReceiptHandlers,
        write_offs: WriteOffHandlers,
        waivers: WaiverHandlers,
        ledger: LedgerCheckHandlers,
    ) -> None:
        self.plans = plans
        self.receipts = receipts
        self.held = held
        self.write_offs = write_offs
        self.waivers = waivers
        self.ledger = ledger

    async def ListPlans(self, request: pb.ListPlansRequest, context: grpc.aio.ServicerContext) -> pb.ListPlansResponse:
        views = await self.plans.listed(
            current_caller(), contract_id=request.contract_id, opportunity_id=request.opportunity_id
        )
        return pb.ListPlansResponse(plans=[plan_message(v) for v in views])

    async def RecordTrigger(
        self, request: pb.RecordTriggerRequest, context: grpc.aio.ServicerContext
    ) -> pb.RecordTriggerResponse:
        views = await self.plans.record_trigger(current_caller(), request.contract_id, request.trigger, request.on)
        return pb.RecordTriggerResponse(plans=[plan_message(v) for v in views])

    async def RecordReceipt(
        self, request: pb.RecordReceiptRequest, context: grpc.aio.ServicerContext
    ) -> pb.RecordReceiptResponse:
        has_amount = request.HasField("amount")
        receipt = await self.receipts.record(
            current_caller(),
            RecordReceipt(
                contract_id=request.contract_id,
                contract_version_id=request.contract_version_id,
                instalment_id=request.instalment_id,
                amount_minor=request.amount.amount_minor if has_amount else None,
                currency=request.amount.currency,
                payer_name=request.payer_name,
                equipment=tuple((e.model, e.quantity) for e in request.equipment),
                paid_on=request.paid_on,
                reference=request.reference,
            ),
        )
        return pb.RecordReceiptResponse(receipt=receipt_message(receipt))

    async def ListReceipts(
        self, request: pb.ListReceiptsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListReceiptsResponse:
        found = await self.receipts.listed(
            current_caller(), contract_id=request.contract_id, opportunity_id=request.opportunity_id
        )
        return pb.ListReceiptsResponse(receipts=[receipt_message(r) for r in found])

    async def ReverseReceipt(
        self, request: pb.ReverseReceiptRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReverseReceiptResponse:
        receipt = await self.receipts.reverse(current_caller(), request.receipt_id, request.reason)
        return pb.ReverseReceiptResponse(receipt=receipt_message(receipt))

    async def CheckLedger(
        self, request: pb.CheckLedgerRequest, context: grpc.aio.ServicerContext
    ) -> pb.CheckLedgerResponse:
        problems, (postings, received, allocated, written_off) = await self.ledger.check_ledger(current_caller())
        return pb.CheckLedgerResponse(
            balanced=not problems,
            problems=problems,
            postings=postings,
            # Tenant-wide totals: saturated at int64 rather than failing the check.
            received=money(wire_minor(received), CURRENCY),
            allocated=money(wire_minor(allocated), CURRENCY),
            written_off=money(wire_minor(written_off), CURRENCY),
        )

    async def ListHeldReceipts(
        self, request: pb.ListHeldReceiptsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListHeldReceiptsResponse:
        found, token = await self.held.held(current_caller(), request.page_size, request.page_token)
        return pb.ListHeldReceiptsResponse(receipts=[receipt_message(r) for r in found], next_page_token=token)

    async def ReleaseReceipt(
        self, request: pb.ReleaseReceiptRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReleaseReceiptResponse:
        receipt = await self.held.release(current_caller(), request.receipt_id, request.note)
        return pb.ReleaseReceiptResponse(receipt=receipt_message(receipt))

    async def RejectReceipt(
        self, request: pb.RejectReceiptRequest, context: grpc.aio.ServicerContext
    ) -> pb.RejectReceiptResponse:
        receipt = await self.held.reject(current_caller(), request.receipt_id, request.note)
        return pb.RejectReceiptResponse(receipt=receipt_message(receipt))

    async def WriteOffInstalment(
        self, request: pb.WriteOffInstalmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.WriteOffInstalmentResponse:
        has_amount = request.HasField("amount")
        written = await self.write_offs.write_off(
            current_caller(),
            request.instalment_id,
            request.amount.amount_minor if has_amount else None,
            request.amount.currency,
            request.reason,
        )
        return pb.WriteOffInstalmentResponse(write_off=write_off_message(written))

    async def ReverseWriteOff(
        self, request: pb.ReverseWriteOffRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReverseWriteOffResponse:
        reversed_ = await self.write_offs.reverse_write_off(current_caller(), request.write_off_id, request.reason)
        return pb.ReverseWriteOffResponse(write_off=write_off_message(reversed_))

    async def WaiveInstalment(
        self, request: pb.WaiveInstalmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.WaiveInstalmentResponse:
        waived = await self.waivers.waive(current_caller(), request.instalment_id, request.reason)
        return pb.WaiveInstalmentResponse(instalment=instalment_message(waived))
