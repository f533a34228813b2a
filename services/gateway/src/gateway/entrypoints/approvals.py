from crm.approval.v1 import approval_pb2 as pb
from crm_shared.roles import APPROVAL_READERS, APPROVAL_REQUESTERS
from fastapi import APIRouter

from gateway.adapters.stubs import approval
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import SubmitApproval

router = APIRouter(prefix="/v1/approvals")


@router.post(
    "",
    status_code=201,
    summary="Request an approval",
    dependencies=[allow(APPROVAL_REQUESTERS)],
    response_model=reply(approval.SubmitApproval),
)
async def submit_approval(body: SubmitApproval, rpc: RpcDep) -> dict:
    return await rpc(approval.SubmitApproval, to_proto(body, pb.SubmitApprovalRequest()))


@router.get(
    "/{approval_id}",
    summary="Get an approval request",
    dependencies=[allow(APPROVAL_READERS)],
    response_model=reply(approval.GetApproval),
)
async def get_approval(approval_id: str, rpc: RpcDep) -> dict:
    return await rpc(approval.GetApproval, pb.GetApprovalRequest(approval_id=approval_id))
