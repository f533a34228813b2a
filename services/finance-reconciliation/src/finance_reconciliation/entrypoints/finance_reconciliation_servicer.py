"""gRPC servicer: translates requests to handler calls and payments to messages."""

from __future__ import annotations

import grpc
from crm.finance_reconciliation.v1 import finance_reconciliation_pb2 as pb
from crm.finance_reconciliation.v1 import finance_reconciliation_pb2_grpc as pb_grpc
from crm_shared.convert import from_timestamp, money, timestamp
from crm_shared.grpc_server import current_caller

from finance_reconciliation.domain.payment import CURRENCY, Payment
from finance_reconciliation.service_layer.handlers import PaymentHandlers, RecordPayment


def payment_message(payment: Payment) -> pb.Payment:
    return pb.Payment(
        payment_id=payment.payment_id,
        tenant_id=payment.tenant_id,
        opportunity_id=payment.opportunity_id,
        amount=money(payment.amount_minor, payment.currency),
        payer_name=payment.payer_name,
        reference=payment.reference or "",
        paid_at=timestamp(payment.paid_at),
        recorded_by=payment.recorded_by,
        recorded_at=timestamp(payment.recorded_at),
    )


class FinanceReconciliationServicer(pb_grpc.FinanceReconciliationServiceServicer):
    def __init__(self, handlers: PaymentHandlers) -> None:
        self.handlers = handlers

    async def RecordPayment(
        self, request: pb.RecordPaymentRequest, context: grpc.aio.ServicerContext
    ) -> pb.RecordPaymentResponse:
        has_amount = request.HasField("amount")
        payment = await self.handlers.record(
            current_caller(),
            RecordPayment(
                opportunity_id=request.opportunity_id,
                amount_minor=request.amount.amount_minor if has_amount else None,
                currency=request.amount.currency,
                payer_name=request.payer_name,
                reference=request.reference,
                paid_at=from_timestamp(request.paid_at, request.HasField("paid_at")),
            ),
        )
        return pb.RecordPaymentResponse(payment=payment_message(payment))

    async def ListPayments(
        self, request: pb.ListPaymentsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPaymentsResponse:
        payments, total = await self.handlers.list(current_caller(), request.opportunity_id)
        return pb.ListPaymentsResponse(payments=[payment_message(p) for p in payments], total=money(total, CURRENCY))
