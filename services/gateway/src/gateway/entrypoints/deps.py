"""Request dependencies: who is calling, and a gRPC caller bound to them."""

from __future__ import annotations

import re
from typing import Annotated, Any

from crm_shared.context import Caller
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from google.protobuf import json_format
from google.protobuf.message import Message
from pydantic import BaseModel

from gateway.adapters.backends import Backends, to_json
from gateway.adapters.stubs import Method
from gateway.auth import Principal
from gateway.problems import Problem

_FAILED_FIELD = re.compile(r"Failed to parse (\w+) field: ")

# auto_error=False: a missing token must become our 401 problem, not FastAPI's 403.
bearer = HTTPBearer(auto_error=False, description="A JWT from the OIDC issuer (or POST /v1/auth/token locally)")


async def current_principal(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]
) -> Principal:
    # The idempotency middleware may already have authenticated this request.
    principal = request.scope.get("crm.principal")
    if principal is None:
        principal = await request.app.state.authenticator.authenticate(request.headers.get("authorization"))
        request.scope["crm.principal"] = principal
    return principal


async def current_caller(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> Caller:
    return Caller(
        principal.tenant_id,
        principal.user_id,
        principal.role,
        request.scope.get("crm.trace_id", ""),
        principal.organisation,
    )


def to_proto(model: BaseModel, message: Message) -> Message:
    """A validated request body into its protobuf request (nested Money,
    RFC 3339 timestamps) by the field names they share."""
    try:
        return json_format.ParseDict(model.model_dump(mode="json", exclude_none=True), message)
    except (json_format.ParseError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        # The schemas bound what protobuf would refuse; this is the safety net,
        # still a client error naming the field, never a 500.
        # "Failed to parse stages field: Failed to parse probability field: Value out of range"
        text = str(exc)
        names = _FAILED_FIELD.findall(text)
        field = ".".join(names) or "body"
        description = _FAILED_FIELD.sub("", text).strip().rstrip(".") or "does not fit its field"
        raise Problem(
            400,
            f"{field}: {description}",
            slug="invalid-argument",
            errors=[{"field": field, "description": description}],
        ) from exc


class Rpc:
    """Calls a backend as the caller and returns the response as JSON:
    `await rpc(lead_routing.GetLead, request)`."""

    def __init__(self, backends: Backends, caller: Caller) -> None:
        self.backends = backends
        self.caller = caller

    async def __call__(self, method: Method, request: Message, *, batch: bool = False) -> dict[str, Any]:
        return to_json(await self.backends.call(method, request, self.caller, batch=batch))


async def rpc_as_caller(request: Request, caller: Annotated[Caller, Depends(current_caller)]) -> Rpc:
    return Rpc(request.app.state.backends, caller)


RpcDep = Annotated[Rpc, Depends(rpc_as_caller)]
