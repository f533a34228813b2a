"""The OpenAPI document: every operation named as a method and tagged by
its resource, and the problem+json error responses and the Idempotency-Key
header documented on every operation, once, instead of on each route.

- operationId: the endpoint function's name in lowerCamelCase (list_leads ->
  listLeads); endpoints are named verb_noun, as the RPC they call
  (claim_lead -> ClaimLead), so a generated client has `list_leads`,
  `claim_lead` ... (a unit test keeps them unique).
- tag: the resource, the path's first segment after /v1 (/v1/leads/{id}/claim
  -> leads); the dev issuer's endpoints are `auth`, probes and metrics `ops`."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from gateway.problems import PROBLEM_CONTENT, TITLES, ProblemModel

API_ERRORS = (400, 401, 403, 404, 409, 422, 502, 503)


def operation_id(route: APIRoute) -> str:
    first, *rest = route.name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def resource(path: str) -> str:
    if path.startswith(("/v1/auth/", "/.well-known/")):
        return "auth"
    if not path.startswith("/v1/"):
        return "ops"
    return path.split("/")[2]


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(ProblemModel.model_json_schema(ref_template="#/components/schemas/{model}")["$defs"])
        components["Problem"] = ProblemModel.model_json_schema(ref_template="#/components/schemas/{model}")
        components["Problem"].pop("$defs", None)
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                operation["tags"] = [resource(path)]
                responses = operation.setdefault("responses", {})
                codes = API_ERRORS if path.startswith("/v1/") else (503,) if path == "/readyz" else ()
                for code in codes:
                    responses[str(code)] = {"description": TITLES[code], "content": PROBLEM_CONTENT}
                if method == "post" and path.startswith("/v1/") and path != "/v1/auth/token":
                    operation.setdefault("parameters", []).append(
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
                            "description": "Retry-safe POST: the first response is replayed for the same key and body "
                            "(with Idempotent-Replayed: true); another body under the same key is a 409. A JSON body "
                            "is compared as parsed (key order and spacing do not matter). 1 to 255 printable ASCII "
                            "characters.",
                        }
                    )
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
