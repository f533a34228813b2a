"""Peer.call(decode=True): another service's refusal arrives as the domain
error it encodes; a peer that cannot answer is Unavailable."""

import grpc
import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import FieldViolation, InvalidArgument, NotFound, TooLarge, Unavailable
from crm_shared.grpc_client import Peer
from crm_shared.grpc_errors import DETAILS_KEY, rich_status

CALLER = Caller("t-1", "finance-reconciliation", "system")


def rpc_error(code: grpc.StatusCode, message: str, details: bytes | None = None) -> grpc.aio.AioRpcError:
    trailers = grpc.aio.Metadata((DETAILS_KEY, details)) if details else grpc.aio.Metadata()
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), trailers, details=message)


def failing(error: grpc.aio.AioRpcError):
    async def method(request, *, metadata, timeout):
        assert timeout == 5 and metadata == CALLER.metadata()
        raise error

    return method


async def test_without_decode_the_rpc_error_is_raised_as_before() -> None:
    error = rpc_error(grpc.StatusCode.NOT_FOUND, "gone")
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await Peer("opportunity", "x", timeout_s=5).call(failing(error), object(), CALLER)
    assert raised.value is error


async def test_a_refusal_arrives_as_its_domain_error_with_its_fields() -> None:
    code, message, details = rich_status(InvalidArgument.field("amount", "must be positive"))
    peer = Peer("opportunity", "x", timeout_s=5)
    with pytest.raises(InvalidArgument) as raised:
        await peer.call(failing(rpc_error(code, message, details)), object(), CALLER, decode=True)
    assert raised.value.violations == [FieldViolation("amount", "must be positive")]
    with pytest.raises(NotFound, match="opportunity o-1 not found"):
        await peer.call(
            failing(rpc_error(grpc.StatusCode.NOT_FOUND, "opportunity o-1 not found")), 1, CALLER, decode=True
        )


@pytest.mark.parametrize(
    "code",
    [
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.UNAUTHENTICATED,
    ],
)
async def test_a_peer_that_cannot_answer_is_unavailable(code: grpc.StatusCode) -> None:
    peer = Peer("opportunity", "x", timeout_s=5)
    with pytest.raises(Unavailable):
        await peer.call(failing(rpc_error(code, "boom")), object(), CALLER, decode=True)


async def test_a_reply_is_returned() -> None:
    async def method(request, *, metadata, timeout):
        assert timeout == 1.5
        return ("reply", request)

    assert await Peer("p", "x", timeout_s=5).call(method, 7, CALLER, timeout=1.5, decode=True) == ("reply", 7)


async def test_rpc_code_tells_the_status_the_peer_answered_with() -> None:
    from crm_shared.grpc_client import rpc_code

    peer = Peer("document-versioning", "x", timeout_s=5)
    with pytest.raises(Unavailable) as raised:
        await peer.call(failing(rpc_error(grpc.StatusCode.DEADLINE_EXCEEDED, "slow")), 1, CALLER, decode=True)
    assert rpc_code(raised.value) == grpc.StatusCode.DEADLINE_EXCEEDED
    assert "document-versioning" in raised.value.message and "DEADLINE_EXCEEDED" in raised.value.message
    assert rpc_code(NotFound("not from a peer")) == grpc.StatusCode.NOT_FOUND


async def test_a_size_limit_arrives_as_too_large() -> None:
    code, message, details = rich_status(TooLarge("content: is larger than the limit of 2 MiB", 2 * 1024 * 1024))
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
    with pytest.raises(TooLarge, match="limit of 2 MiB"):
        await Peer("document-versioning", "x", timeout_s=5).call(
            failing(rpc_error(code, message, details)), object(), CALLER, decode=True
        )
