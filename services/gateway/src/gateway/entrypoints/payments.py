from fastapi import APIRouter, Depends

from crm.finance_reconciliation.v1 import finance_reconciliation_pb2 as pb
from gateway.entrypoints.deps import RpcDep, require_role, to_proto
from gateway.entrypoints.schemas import RecordPayment

router = APIRouter(prefix="/v1/payments", tags=["payments"])


# Recording money received is finance's job.
@router.post("", status_code=201, summary="Record a payment", dependencies=[Depends(require_role("finance", "admin"))])
async def record_payment(body: RecordPayment, rpc: RpcDep) -> dict:
    return await rpc("finance-reconciliation", "RecordPayment", to_proto(body, pb.RecordPaymentRequest()))
