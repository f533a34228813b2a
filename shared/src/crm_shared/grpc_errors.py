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
]


def status_code_for(error: DomainError) -> grpc.StatusCode:
    for cls, code in _CODES:
        if isinstance(error, cls):
            return code
    return grpc.StatusCode.UNKNOWN


def rich_status(error: DomainError) -> tuple[grpc.StatusCode, str, bytes]:
    code = status_code_for(error)
    status = status_pb2.Status(code=getattr(code_pb2, code.name), message=error.message)
    detail: error_details_pb2.BadRequest | error_details_pb2.PreconditionFailure | None = None
    if isinstance(error, InvalidArgument) and error.violations:
        detail = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
                for v in error.violations
            ]
        )
    elif isinstance(error, FailedPrecondition) and error.violations:
        detail = error_details_pb2.PreconditionFailure(
            violations=[
                error_details_pb2.PreconditionFailure.Violation(type=v.type, subject=v.subject, description=v.description)
                for v in error.violations
            ]
        )
    if detail is not None:
        packed = AnyPb()
        packed.Pack(detail)
        status.details.append(packed)
    return code, error.message, status.SerializeToString()


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
