from crm.finance_reconciliation.v1 import finance_reconciliation_pb2 as pb
from crm_shared.roles import PAYMENT_RECORDERS
from fastapi import APIRouter

from gateway.adapters.stubs import finance_reconciliation
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import RecordPayment

router = APIRouter(prefix="/v1/payments")


# Who may record payments is finance-reconciliation's rule; the gateway only relays.
@router.post(
    "",
    status_code=201,
    summary="Record a payment",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(finance_reconciliation.RecordPayment),
)
async def record_payment(body: RecordPayment, rpc: RpcDep) -> dict:
    return await rpc(finance_reconciliation.RecordPayment, to_proto(body, pb.RecordPaymentRequest()))
