"""Every error leaves the gateway as application/problem+json (RFC 9457),
with `errors` naming bad fields or `violations` naming unmet preconditions.
Backend refusals arrive as gRPC statuses and are mapped here, in one place."""

from __future__ import annotations

from typing import Any

import grpc
from crm_shared.grpc_errors import RemoteError
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

PROBLEM_JSON = "application/problem+json"
# The OpenAPI content of an error answer, for routes that document more codes than every route has.
PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    416: "Range not satisfiable",
    431: "Request header fields too large",
    422: "Unprocessable content",
    500: "Internal error",
    502: "Bad gateway",
    503: "Service unavailable",
}


class FieldError(BaseModel):
    field: str
    description: str


class PreconditionViolation(BaseModel):
    type: str
    subject: str
    description: str


class ProblemModel(BaseModel):
    """The body of every error response (documented in OpenAPI)."""

    type: str
    title: str
    status: int
    detail: str = ""
    errors: list[FieldError] | None = None
    violations: list[PreconditionViolation] | None = None


class Problem(Exception):
    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        slug: str | None = None,
        errors: list[dict[str, str]] | None = None,
        violations: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug or TITLES.get(status, "error").lower().replace(" ", "-")
        self.errors = errors
        self.violations = violations
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"urn:crm:problem:{self.slug}",
            "title": TITLES.get(self.status, "Error"),
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors is not None:
            body["errors"] = self.errors
        if self.violations is not None:
            body["violations"] = self.violations
        return body | self.extra

    def response(self) -> JSONResponse:
        return JSONResponse(
            jsonable_encoder(self.body()), status_code=self.status, media_type=PROBLEM_JSON, headers=self.headers
        )


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "budget", "amount_minor")` -> `budget.amount_minor`; list
    indexes as `[0]`; the request part (body/query/path/header) is dropped
    for the body and kept otherwise so `query.page_size` is unambiguous."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


def from_validation_errors(errors: list[dict[str, Any]]) -> Problem:
    fields = [{"field": field_name(e.get("loc", ())), "description": e.get("msg", "is invalid")} for e in errors]
    detail = "; ".join(f"{f['field']}: {f['description']}" for f in fields)
    return Problem(422, detail, slug="validation", errors=fields)


# gRPC status -> (HTTP status, problem slug). Anything not listed is the
# backend's fault, not the client's: 502.
_GRPC_STATUS: dict[grpc.StatusCode, tuple[int, str]] = {
    grpc.StatusCode.INVALID_ARGUMENT: (400, "invalid-argument"),
    grpc.StatusCode.OUT_OF_RANGE: (400, "invalid-argument"),
    grpc.StatusCode.NOT_FOUND: (404, "not-found"),
    grpc.StatusCode.ALREADY_EXISTS: (409, "already-exists"),
    grpc.StatusCode.FAILED_PRECONDITION: (409, "failed-precondition"),
    grpc.StatusCode.ABORTED: (409, "concurrent-change"),
    grpc.StatusCode.PERMISSION_DENIED: (403, "permission-denied"),
    # A service's size limit (crm_shared.domain.errors.TooLarge), e.g. a document's content.
    grpc.StatusCode.RESOURCE_EXHAUSTED: (413, "payload-too-large"),
    # The user was authenticated here; a backend refusing the gateway's own
    # service token is a deployment fault (keys differ), not the client's.
    grpc.StatusCode.UNAUTHENTICATED: (502, "backend-refused-gateway"),
    grpc.StatusCode.UNAVAILABLE: (503, "backend-unavailable"),
    grpc.StatusCode.DEADLINE_EXCEEDED: (503, "backend-timeout"),
}


def from_remote_error(remote: RemoteError, backend: str = "") -> Problem:
    status, slug = _GRPC_STATUS.get(remote.code, (502, "backend-error"))
    if status >= 500:
        # Backend internals are not the client's business; name the backend only.
        detail = f"{backend or 'a backend service'} failed ({remote.code.name.lower()})"
    else:
        detail = remote.message
    errors = [{"field": v.field, "description": v.description} for v in remote.field_violations]
    violations = [
        {"type": v.type, "subject": v.subject, "description": v.description} for v in remote.precondition_violations
    ]
    return Problem(
        status,
        detail,
        slug=slug,
        errors=errors if status == 400 else None,
        violations=violations if remote.code == grpc.StatusCode.FAILED_PRECONDITION else None,
    )
