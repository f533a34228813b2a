"""Opportunity's one client of approval, and the system peer it, the gates'
document questions and whose contract a delivery names go through: asked as the service's system caller for the
tenant under the configured deadline, the replies as domain types, and every
failure (a refusal, a peer down or slow, no address) as Unavailable saying
nothing was changed. The gates and the subject lock share the one client."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from crm.approval.v1 import approval_pb2, lock_pb2
from crm.document_versioning.v1 import contract_pb2
from crm.document_versioning.v1 import document_versioning_pb2 as docs_pb
from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound, Unavailable
from crm_shared.grpc_client import Peer
from crm_shared.grpc_errors import DETAILS_KEY, rich_status
from opportunity.adapters.approval_client import ApprovalClient
from opportunity.adapters.approval_locks import GrpcSubjectLocks
from opportunity.adapters.contracts import GrpcContracts
from opportunity.adapters.gates import GrpcGateFacts
from opportunity.adapters.peers import PeerUnavailable, SystemPeer
from opportunity.domain.approval_lock import SubjectLock
from opportunity.domain.gate import ApprovalState

SYSTEM = Caller("t-1", "opportunity", "system")


def rpc_error(code: grpc.StatusCode, message: str, details: bytes | None = None) -> grpc.aio.AioRpcError:
    trailers = grpc.aio.Metadata((DETAILS_KEY, details)) if details else grpc.aio.Metadata()
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), trailers, details=message)


class FakeStub:
    """Every method of approval's and documents' stubs: records what it was called with and
    answers from `replies` (a reply, or an AioRpcError to raise)."""

    def __init__(self, replies: dict[str, Any], calls: list[tuple[str, Any, Any, float]]) -> None:
        self.replies = replies
        self.calls = calls

    def __getattr__(self, rpc: str) -> Any:
        async def method(request: Any, *, metadata: Any, timeout: float) -> Any:
            self.calls.append((rpc, request, metadata, timeout))
            answer = self.replies[rpc]
            if isinstance(answer, Exception):
                raise answer
            return answer

        return method


class FakePeer(Peer):
    """The real Peer (deadline, metadata, decoding) with stubs that answer without a channel."""

    def __init__(self, name: str, address: str = "approval:50051", **replies: Any) -> None:
        super().__init__(name, address, timeout_s=2.5)
        self.replies = replies
        self.calls: list[tuple[str, Any, Any, float]] = []
        self.stub_classes: list[Any] = []

    def stub(self, stub_class: Any) -> Any:
        self.stub_classes.append(stub_class)
        return FakeStub(self.replies, self.calls)


def approval(peer: FakePeer) -> ApprovalClient:
    return ApprovalClient(SystemPeer(peer))


async def test_it_asks_as_the_services_system_caller_under_the_configured_deadline() -> None:
    peer = FakePeer("approval", GetLatestApproval=approval_pb2.GetLatestApprovalResponse())
    await approval(peer).latest("t-1", "o-1", "quote")
    [(rpc, request, metadata, timeout)] = peer.calls
    assert rpc == "GetLatestApproval" and timeout == 2.5
    assert metadata == SYSTEM.metadata()
    assert (request.subject_type, request.subject_id, request.kind) == ("opportunity", "o-1", "quote")


async def test_the_latest_approval_is_its_state_or_none_when_never_requested() -> None:
    found = approval_pb2.GetLatestApprovalResponse(
        approval=approval_pb2.ApprovalRequest(approval_id="a-1", status="approved", stale=True)
    )
    assert await approval(FakePeer("approval", GetLatestApproval=found)).latest("t-1", "o-1", "contract") == (
        ApprovalState("a-1", "approved", stale=True)
    )
    never = FakePeer("approval", GetLatestApproval=approval_pb2.GetLatestApprovalResponse())
    assert await approval(never).latest("t-1", "o-1", "contract") is None


async def test_the_locks_are_the_pending_requests_fields() -> None:
    reply = lock_pb2.GetSubjectLocksResponse(
        locks=[lock_pb2.SubjectLock(approval_id="a-9", kind="quote", fields=["amount", "product_line"])]
    )
    peer = FakePeer("approval", GetSubjectLocks=reply)
    assert await approval(peer).subject_locks("t-1", "o-1") == [SubjectLock("a-9", "quote", ("amount", "product_line"))]
    [(rpc, request, metadata, _)] = peer.calls
    assert (rpc, request.subject_type, request.subject_id) == ("GetSubjectLocks", "opportunity", "o-1")
    assert metadata == SYSTEM.metadata()


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (rpc_error(grpc.StatusCode.DEADLINE_EXCEEDED, "slow"), "DEADLINE_EXCEEDED"),
        (rpc_error(grpc.StatusCode.UNAVAILABLE, "connection refused"), "UNAVAILABLE"),
        # A refusal too: whatever approval said, the question is not answered.
        (rpc_error(*rich_status(NotFound("no such subject"))), "NOT_FOUND"),
    ],
)
async def test_any_failure_is_unavailable_naming_the_peer_and_its_status(
    error: grpc.aio.AioRpcError, code: str
) -> None:
    client = approval(FakePeer("approval", GetSubjectLocks=error, GetLatestApproval=error))
    for ask in (client.subject_locks("t-1", "o-1"), client.latest("t-1", "o-1", "quote")):
        with pytest.raises(PeerUnavailable) as refused:
            await ask
        assert isinstance(refused.value, Unavailable)
        message = refused.value.message
        assert message.startswith("nothing was changed: approval could not be asked") and code in message


async def test_without_an_address_nothing_is_asked_and_the_question_is_unavailable() -> None:
    peer = FakePeer("approval", address="")
    client = approval(peer)
    assert not client.configured
    with pytest.raises(PeerUnavailable, match="address of approval is not configured"):
        await client.latest("t-1", "o-1", "quote")
    assert peer.calls == [] and peer.stub_classes == []


async def test_the_lock_and_the_gates_share_the_one_client() -> None:
    peer = FakePeer(
        "approval",
        GetSubjectLocks=lock_pb2.GetSubjectLocksResponse(),
        GetLatestApproval=approval_pb2.GetLatestApprovalResponse(
            approval=approval_pb2.ApprovalRequest(approval_id="a-2", status="pending")
        ),
    )
    documents = FakePeer(
        "document-versioning",
        ListDocuments=docs_pb.ListDocumentsResponse(
            documents=[docs_pb.Document(doc_type="技术方案", latest_version_id="v-1")]
        ),
    )
    client = approval(peer)
    gates = GrpcGateFacts(SystemPeer(documents), client)
    facts = await gates.facts("t-1", "o-1", frozenset({"技术方案", "报价单"}), frozenset({"quote"}))
    assert facts.documents == {"技术方案"} and facts.approvals == {"quote": ApprovalState("a-2", "pending")}
    assert await GrpcSubjectLocks(client).locks("t-1", "o-1") == []
    assert [c[0] for c in peer.calls] == ["GetLatestApproval", "GetSubjectLocks"]
    assert all(c[2] == SYSTEM.metadata() for c in peer.calls + documents.calls)


async def test_a_deployment_without_approval_locks_nothing_but_its_gates_wait() -> None:
    peer = FakePeer("approval", address="")
    client = approval(peer)
    assert await GrpcSubjectLocks(client).locks("t-1", "o-1") == []
    gates = GrpcGateFacts(SystemPeer(FakePeer("document-versioning")), client)
    with pytest.raises(Unavailable, match="approval"):
        await gates.facts("t-1", "o-1", frozenset(), frozenset({"contract"}))
    assert peer.calls == []


async def test_documents_that_do_not_answer_leave_the_gate_undecided() -> None:
    documents = FakePeer("document-versioning", ListDocuments=rpc_error(grpc.StatusCode.UNAVAILABLE, "down"))
    gates = GrpcGateFacts(SystemPeer(documents), approval(FakePeer("approval")))
    with pytest.raises(PeerUnavailable) as refused:
        await gates.facts("t-1", "o-1", frozenset({"技术方案"}), frozenset())
    assert refused.value.message.startswith("nothing was changed: document-versioning could not be asked")


async def test_whose_contract_is_asked_of_documents_as_the_system_caller() -> None:
    documents = FakePeer("document-versioning", GetContract=contract_pb2.GetContractResponse(
        contract=contract_pb2.Contract(contract_id="k-1", opportunity_id="o-1")))
    assert await GrpcContracts(SystemPeer(documents)).opportunity_of("t-1", "k-1") == "o-1"
    [(rpc, request, metadata, _)] = documents.calls
    assert (rpc, request.contract_id, metadata) == ("GetContract", "k-1", SYSTEM.metadata())
    # The tenant has no such contract: none, not a failure.
    missing = FakePeer("document-versioning", GetContract=rpc_error(grpc.StatusCode.NOT_FOUND, "no contract k-2"))
    assert await GrpcContracts(SystemPeer(missing)).opportunity_of("t-1", "k-2") is None


async def test_documents_down_or_unconfigured_leave_a_delivery_undecided() -> None:
    down = FakePeer("document-versioning", GetContract=rpc_error(grpc.StatusCode.UNAVAILABLE, "down"))
    with pytest.raises(PeerUnavailable) as refused:
        await GrpcContracts(SystemPeer(down)).opportunity_of("t-1", "k-1")
    assert refused.value.message.startswith("nothing was changed: document-versioning could not be asked")
    nowhere = FakePeer("document-versioning", address="")
    with pytest.raises(PeerUnavailable, match="not configured"):
        await GrpcContracts(SystemPeer(nowhere)).opportunity_of("t-1", "k-1")
    assert nowhere.calls == []
