"""Domain errors <-> gRPC status with google.rpc details (BadRequest for
field violations, PreconditionFailure for unmet gates). The server side is
used by the interceptor; the client side by the gateway and by services
calling each other."""

from __future__ import annotations

from dataclasses import dataclass, field

import grpc
from google.protobuf.any_pb2 import Any as AnyPb
from google.rpc import code_pb2, error_details_pb2, status_pb2

from crm_shared.domain.errors import (
    AlreadyExists,
    Conflict,
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    TooLarge,
    Unavailable,
    Violation,
)

DETAILS_KEY = "grpc-status-details-bin"

_CODES: list[tuple[type[DomainError], grpc.StatusCode]] = [
    (InvalidArgument, grpc.StatusCode.INVALID_ARGUMENT),
    (NotFound, grpc.StatusCode.NOT_FOUND),
    (AlreadyExists, grpc.StatusCode.ALREADY_EXISTS),
    (FailedPrecondition, grpc.StatusCode.FAILED_PRECONDITION),
    (PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (Conflict, grpc.StatusCode.ABORTED),
    (Unavailable, grpc.StatusCode.UNAVAILABLE),
    (TooLarge, grpc.StatusCode.RESOURCE_EXHAUSTED),
]


def status_code_for(error: DomainError) -> grpc.StatusCode:
    for cls, code in _CODES:
        if isinstance(error, cls):
            return code
    return grpc.StatusCode.UNKNOWN


# The status travels in trailers, which gRPC caps for all trailers together
# (8 KiB soft, 16 KiB hard; the message percent-encoded, up to 9 bytes per
# Chinese character, the details base64): a long refusal is cut to fit, the
# first problems kept, instead of reaching the caller as RESOURCE_EXHAUSTED.
MAX_STATUS_MESSAGE = 200  # characters
MAX_DETAILS_BYTES = 3000
_MAX_TEXT = 300  # characters of one field name or description


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fit(items: list, room: int, more) -> list:
    """The first items whose serialised size fits `room`, then `more(n)` for the n left out."""
    kept: list = []
    for item in items:
        room -= item.ByteSize() + 4  # the tag and length around each
        if room < 0:
            kept.append(more(len(items) - len(kept)))
            break
        kept.append(item)
    return kept


def rich_status(error: DomainError) -> tuple[grpc.StatusCode, str, bytes]:
    code = status_code_for(error)
    message = _short(error.message, MAX_STATUS_MESSAGE)
    status = status_pb2.Status(code=getattr(code_pb2, code.name), message=message)
    room = MAX_DETAILS_BYTES - status.ByteSize() - 200  # 200: the Any's type URL and the summary entry
    detail: error_details_pb2.BadRequest | error_details_pb2.PreconditionFailure | None = None
    if isinstance(error, InvalidArgument) and error.violations:
        bad = error_details_pb2.BadRequest.FieldViolation
        items = [bad(field=_short(v.field, _MAX_TEXT), description=_short(v.description, _MAX_TEXT))
                 for v in error.violations]
        more = lambda n: bad(field=items[len(items) - n].field, description=f"… and {n} more problems")  # noqa: E731
        detail = error_details_pb2.BadRequest(field_violations=_fit(items, room, more))
    elif isinstance(error, FailedPrecondition) and error.violations:
        pre = error_details_pb2.PreconditionFailure.Violation
        items = [pre(type=_short(v.type, _MAX_TEXT), subject=_short(v.subject, _MAX_TEXT),
                     description=_short(v.description, _MAX_TEXT)) for v in error.violations]
        more = lambda n: pre(  # noqa: E731
            type=items[len(items) - n].type, description=f"… and {n} more unmet conditions"
        )
        detail = error_details_pb2.PreconditionFailure(violations=_fit(items, room, more))
    if detail is not None:
        packed = AnyPb()
        packed.Pack(detail)
        status.details.append(packed)
    return code, message, status.SerializeToString()


async def abort_with(context: grpc.aio.ServicerContext, error: DomainError) -> None:
    code, message, details = rich_status(error)
    await context.abort(code, message, trailing_metadata=((DETAILS_KEY, details),))


@dataclass
class RemoteError:
    """What a caller learns from a failed RPC."""

    code: grpc.StatusCode
    message: str
    field_violations: list[FieldViolation] = field(default_factory=list)
    precondition_violations: list[Violation] = field(default_factory=list)


def decode_rpc_error(error: grpc.aio.AioRpcError | grpc.RpcError) -> RemoteError:
    remote = RemoteError(code=error.code(), message=error.details() or "")
    for key, value in error.trailing_metadata() or ():
        if key != DETAILS_KEY:
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                remote.field_violations += [FieldViolation(v.field, v.description) for v in bad.field_violations]
            elif detail.Is(error_details_pb2.PreconditionFailure.DESCRIPTOR):
                pre = error_details_pb2.PreconditionFailure()
                detail.Unpack(pre)
                remote.precondition_violations += [Violation(v.type, v.subject, v.description) for v in pre.violations]
    return remote


def to_domain_error(remote: RemoteError) -> DomainError:
    """Re-raise another service's refusal as our own domain error."""
    code = remote.code
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        return InvalidArgument(remote.message, remote.field_violations)
    if code == grpc.StatusCode.FAILED_PRECONDITION:
        return FailedPrecondition(remote.message, remote.precondition_violations)
    for cls, mapped in _CODES:
        if mapped == code:
            return cls(remote.message)
    return DomainError(remote.message)
