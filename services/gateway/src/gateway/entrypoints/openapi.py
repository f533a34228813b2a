"""Documents the problem+json error responses and the Idempotency-Key
header on every operation, once, instead of on each route."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from gateway.problems import PROBLEM_JSON, TITLES, ProblemModel

API_ERRORS = (400, 401, 403, 404, 409, 422, 502, 503)


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
        problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                codes = API_ERRORS if path.startswith("/v1/") else (503,) if path == "/readyz" else ()
                for code in codes:
                    responses[str(code)] = {"description": TITLES[code], "content": problem}
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
