from crm.approval.v1 import approval_pb2 as pb
from crm_shared.roles import APPROVAL_DECIDERS, APPROVAL_READERS, APPROVAL_REQUESTERS
from fastapi import APIRouter

from gateway.adapters.stubs import approval
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Decide, SubmitApproval

router = APIRouter(prefix="/v1/approvals")
DECISIONS = {"approve": pb.DECISION_APPROVE, "reject": pb.DECISION_REJECT}


@router.post(
    "",
    status_code=201,
    summary="Request an approval",
    dependencies=[allow(APPROVAL_REQUESTERS)],
    response_model=reply(approval.SubmitApproval),
)
async def submit_approval(body: SubmitApproval, rpc: RpcDep) -> dict:
    return await rpc(approval.SubmitApproval, to_proto(body, pb.SubmitApprovalRequest()))


# Who may decide is the approval service's rule; the gateway only relays.
@router.post(
    "/{approval_id}/decision",
    summary="Approve or reject",
    dependencies=[allow(APPROVAL_DECIDERS)],
    response_model=reply(approval.DecideApproval),
)
async def decide_approval(approval_id: str, body: Decide, rpc: RpcDep) -> dict:
    request = pb.DecideApprovalRequest(approval_id=approval_id, decision=DECISIONS[body.decision], comment=body.comment)
    return await rpc(approval.DecideApproval, request)


@router.get(
    "/{approval_id}",
    summary="Get an approval request",
    dependencies=[allow(APPROVAL_READERS)],
    response_model=reply(approval.GetApproval),
)
async def get_approval(approval_id: str, rpc: RpcDep) -> dict:
    return await rpc(approval.GetApproval, pb.GetApprovalRequest(approval_id=approval_id))
