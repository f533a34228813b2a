"""The only place the gateway is wired: settings -> FastAPI app. Nothing
connects here; the lifespan opens the database and the gRPC channels."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database, UnitOfWork
from crm_shared.logs import get_logger
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware

from gateway.adapters.backends import Backends
from gateway.adapters.repository import SqlIdempotencyStore
from gateway.auth import Authenticator, DevIssuer
from gateway.config import SERVICE, Settings
from gateway.dev_oidc.codes import CodeFlow
from gateway.entrypoints import (
    anomalies,
    approval_inbox,
    approval_policies,
    approvals,
    auth_routes,
    bank_statements,
    contact_depth,
    contracts,
    conversations,
    customer_value,
    customers,
    departments,
    distributors,
    document_content,
    document_diffs,
    documents,
    ecns,
    finance_reports,
    forecast,
    intent,
    knowledge,
    leads,
    matching,
    notifications,
    openapi,
    opportunities,
    ops,
    partner_protection,
    pipelines,
    plan_templates,
    process_health,
    promotions,
    rebates,
    receipts,
    registrations,
    routing,
    stage_hints,
)
from gateway.entrypoints.methods import OptionsMiddleware, allow_header
from gateway.entrypoints.middleware import (
    BodyLimitMiddleware,
    HeaderLimitMiddleware,
    MetricsMiddleware,
    TraceMiddleware,
)
from gateway.entrypoints.roles import refusal_before_body
from gateway.idempotency import Idempotency, IdempotencyMiddleware
from gateway.notifications import Notifications, WecomRobot, wecom_consumer
from gateway.problems import Problem, from_validation_errors

log = get_logger("crm.gateway")


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    clock = clock or clock_from(settings.clock_offset_file)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.resolved_database_url(), SERVICE, clock)
        dev_issuer = DevIssuer(settings) if settings.dev_auth else None
        backends = Backends(
            settings.backend_addresses(),
            settings.grpc_timeout_s,
            settings.health_timeout_s,
            batch_timeout_s=settings.grpc_batch_timeout_s,
            stream_timeout_s=settings.grpc_stream_timeout_s,
        )
        app.state.db = db
        app.state.dev_issuer = dev_issuer
        app.state.code_flow = CodeFlow(dev_issuer) if dev_issuer else None
        app.state.authenticator = Authenticator(settings, dev_issuer)
        app.state.backends = backends
        app.state.idempotency = Idempotency(
            SqlIdempotencyStore(db),
            wait_s=settings.idempotency_wait_s,
            ttl_s=settings.idempotency_ttl_s,
            lock_s=settings.idempotency_lock_s,
            clock=clock,
        )
        # Notifications: the SSE hub, and the 企业微信 group robots when webhooks are configured.
        robot_client = httpx.AsyncClient(timeout=settings.wecom_timeout_s) if settings.wecom_webhooks else None
        consumers = []
        if robot_client is not None:
            robot = WecomRobot(settings.wecom_webhooks, robot_client)
            consumers.append(wecom_consumer(robot, db, lambda: UnitOfWork(db), max_deliver=settings.max_deliver))
        notifications = Notifications(settings.nats_url, consumers)
        app.state.notifications = notifications
        await notifications.start()
        log.info("gateway started", dev_auth=settings.dev_auth, backends=settings.backend_addresses())
        try:
            yield
        finally:
            await notifications.stop()
            if robot_client is not None:
                await robot_client.aclose()
            await backends.close()
            await db.dispose()

    app = FastAPI(
        title="CRM gateway",
        version="1.0.0",
        description="REST/JSON for the web and mobile apps and the partner portal. "
        "Errors are application/problem+json; money is {amount_minor, currency}; times are ISO 8601 UTC.",
        lifespan=lifespan,
        generate_unique_id_function=openapi.operation_id,
        # Outermost first: every response gets a trace id and is measured, replays included.
        middleware=[
            Middleware(TraceMiddleware),
            Middleware(MetricsMiddleware),
            Middleware(HeaderLimitMiddleware),
            Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
            Middleware(IdempotencyMiddleware),
            Middleware(OptionsMiddleware),
        ],
    )
    for router in (
        leads,
        routing,
        distributors,
        registrations,
        partner_protection,
        promotions,
        opportunities,
        customers,
        pipelines,
        stage_hints,
        conversations,
        intent,
        contact_depth,
        customer_value,
        forecast,
        process_health,
        documents,
        document_content,
        document_diffs,
        knowledge,
        approvals,
        approval_policies,
        approval_inbox,
        departments,
        contracts,
        ecns,
        anomalies,
        receipts,
        bank_statements,
        matching,
        plan_templates,
        rebates,
        finance_reports,
        notifications,
        ops,
    ):
        app.include_router(router.router)
    if settings.dev_auth:
        app.include_router(auth_routes.router)

    @app.exception_handler(Problem)
    async def problem(_: Request, exc: Problem):  # type: ignore[no-untyped-def]
        return exc.response()

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):  # type: ignore[no-untyped-def]
        # Who may not call the route at all hears so before anything about the body.
        refusal = await refusal_before_body(request)
        return (refusal or from_validation_errors(list(exc.errors()))).response()

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):  # type: ignore[no-untyped-def]
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Every method of the path, not only those of the first route matched.
            headers["Allow"] = allow_header(request.scope)
        return Problem(exc.status_code, str(exc.detail), headers=headers).response()

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error", path=request.url.path)
        return Problem(500, "internal error; the trace id identifies it in the logs").response()

    # Routes that authenticate callers other than users (the e-signature callback) read their settings here.
    app.state.settings = settings
    openapi.install(app)
    return app
