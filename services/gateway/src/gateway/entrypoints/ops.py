"""Probes and metrics for Kubernetes and Prometheus."""

import asyncio
from typing import Literal

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from gateway.problems import Problem

router = APIRouter()


class Liveness(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready"]
    # Each backend, the database and (when configured) NATS: SERVING, or what it answered.
    checks: dict[str, str]


@router.get("/healthz", summary="Liveness: the process answers", response_model=Liveness)
async def get_liveness() -> dict:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: the database, every backend and (when configured) NATS are serving",
    response_model=Readiness,
)
async def get_readiness(request: Request) -> dict:
    state = request.app.state
    if getattr(state, "draining", False):
        # Shutting down (gateway.drain): the balancer sends the next requests elsewhere.
        raise Problem(503, "not serving: draining", slug="not-ready", extra={"not_ready": ["draining"], "checks": {}})
    backends, db_ok = await asyncio.gather(state.backends.health(), state.db.ping())
    checks = backends | {"database": "SERVING" if db_ok else "NOT_SERVING"}
    if state.notifications.configured:
        checks["nats"] = "SERVING" if state.notifications.connected else "NOT_SERVING"
    not_ready = sorted(name for name, status in checks.items() if status != "SERVING")
    if not_ready:
        raise Problem(
            503,
            f"not serving: {', '.join(not_ready)}",
            slug="not-ready",
            extra={"not_ready": not_ready, "checks": checks},
        )
    return {"status": "ready", "checks": checks}


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def get_metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
