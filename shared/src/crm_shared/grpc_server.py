"""gRPC server bootstrap: grpc.aio with the standard health service,
reflection, a Prometheus interceptor that also authenticates the caller (a
verified service token, else UNAUTHENTICATED; health and reflection stay
open for probes), sets the caller context and maps domain errors to rich
statuses, and graceful shutdown."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from crm_shared import identity
from crm_shared.context import Caller, caller_from_metadata, caller_var, trace_id_var
from crm_shared.domain.errors import DomainError, PermissionDenied
from crm_shared.grpc_errors import abort_with, status_code_for
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from crm_shared.metrics import GRPC_ERRORS, GRPC_LATENCY
from crm_shared.text import check_request_text

log = get_logger("crm.grpc")

LIVENESS = "liveness"

# Documents up to 20 MiB travel in one message; gRPC's default is 4 MiB.
MAX_MESSAGE_BYTES = 32 * 1024 * 1024
MESSAGE_SIZE_OPTIONS = [
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
]
# gRPC sets SO_REUSEPORT by default, so a second server on a port already
# served binds it too and the two split the calls; without it the bind fails.
# Clients balancing over a headless Service (dns:/// with round_robin) resolve
# again only when a connection ends: closing each one after 5 min (calls in
# flight get 30 s to finish) makes them pick up pods added by a scale-up.
CONNECTION_AGE_OPTIONS = [("grpc.max_connection_age_ms", 5 * 60_000), ("grpc.max_connection_age_grace_ms", 30_000)]
SERVER_OPTIONS = [*MESSAGE_SIZE_OPTIONS, ("grpc.so_reuseport", 0), *CONNECTION_AGE_OPTIONS]


def current_caller() -> Caller:
    caller = caller_var.get()
    if caller is None:
        raise PermissionDenied("no authenticated caller (the call carries no service token)")
    return caller


class ServerInterceptor(grpc.aio.ServerInterceptor):
    def __init__(self, service: str) -> None:
        self.service = service

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        if handler is None or details.method.startswith("/grpc."):
            return handler  # health and reflection stay open for probes
        if handler.stream_stream:
            return _refuse_streaming(handler, details.method)
        method = details.method
        metadata = {k: v for k, v in (details.invocation_metadata or ()) if isinstance(v, str)}
        serving = lambda context: _serving(self.service, method, metadata, context)
        options = {"request_deserializer": handler.request_deserializer,
                   "response_serializer": handler.response_serializer}

        if handler.unary_unary:
            unary = handler.unary_unary

            async def wrapped(request: Any, context: grpc.aio.ServicerContext) -> Any:
                async with serving(context):
                    # Every string of every request is text: no control characters.
                    check_request_text(request)
                    return await unary(request, context)
                return None  # aborted: the context manager raised

            return grpc.unary_unary_rpc_method_handler(wrapped, **options)

        if handler.stream_unary:
            # A client stream (e.g. an upload: a header, then chunks): each message is checked as it arrives.
            client_stream = handler.stream_unary

            async def wrapped_client_stream(requests: Any, context: grpc.aio.ServicerContext) -> Any:
                async def checked() -> Any:
                    async for request in requests:
                        check_request_text(request)
                        yield request

                async with serving(context):
                    return await client_stream(checked(), context)
                return None

            return grpc.stream_unary_rpc_method_handler(wrapped_client_stream, **options)

        server_stream = handler.unary_stream

        async def wrapped_server_stream(request: Any, context: grpc.aio.ServicerContext) -> Any:
            async with serving(context):
                check_request_text(request)
                async for response in server_stream(request, context):
                    yield response

        return grpc.unary_stream_rpc_method_handler(wrapped_server_stream, **options)


@contextlib.asynccontextmanager
async def _serving(service: str, method: str, metadata: dict[str, str], context: grpc.aio.ServicerContext) -> Any:
    """One call, unary or streaming: the caller authenticated from its token
    (else UNAUTHENTICATED), the caller and trace context set, calls it makes
    signed as this service, domain errors as rich statuses, metrics."""
    trace_token = trace_id_var.set(metadata.get("x-trace-id") or new_id())
    refusal = ""
    try:
        caller: Caller | None = caller_from_metadata(metadata)
    except identity.Unauthenticated as error:
        caller, refusal = None, str(error)
    caller_token = caller_var.set(caller)
    # Calls this one makes to other services are signed as this service.
    acting_token = identity.set_acting_as(service)
    started = time.perf_counter()
    code = "OK"
    try:
        if refusal:
            log.warning("call refused: unauthenticated", method=method, reason=refusal)
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, refusal)
        yield
    except DomainError as error:
        code = status_code_for(error).name
        await abort_with(context, error)
    except Exception as error:
        if isinstance(error, grpc.aio.AbortError):
            code = (context.code() or grpc.StatusCode.UNKNOWN).name
            raise
        code = "INTERNAL"
        log.exception("unhandled error", method=method)
        await context.abort(grpc.StatusCode.INTERNAL, "internal error")
    finally:
        GRPC_LATENCY.labels(service, method).observe(time.perf_counter() - started)
        if code != "OK":
            GRPC_ERRORS.labels(service, method, code).inc()
        identity.reset_acting_as(acting_token)
        caller_var.reset(caller_token)
        trace_id_var.reset(trace_token)


def _refuse_streaming(handler: grpc.RpcMethodHandler, method: str) -> grpc.RpcMethodHandler:
    """Bidirectional streams are not authenticated by the interceptor (none is
    served): one is refused rather than served to an unauthenticated caller."""

    async def refuse(_: Any, context: grpc.aio.ServicerContext) -> None:
        await context.abort(
            grpc.StatusCode.UNIMPLEMENTED, f"{method}: streaming calls are not served (no caller authentication)"
        )

    kinds = {
        "unary_stream": grpc.unary_stream_rpc_method_handler,
        "stream_unary": grpc.stream_unary_rpc_method_handler,
        "stream_stream": grpc.stream_stream_rpc_method_handler,
    }
    kind = next(k for k in kinds if getattr(handler, k))
    return kinds[kind](
        refuse, request_deserializer=handler.request_deserializer, response_serializer=handler.response_serializer
    )


class GrpcServer:
    def __init__(self, service: str, host: str, port: int) -> None:
        self.service = service
        self.server = grpc.aio.server(interceptors=[ServerInterceptor(service)], options=SERVER_OPTIONS)
        self.health = health.aio.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        self.service_names: list[str] = [health_pb2.DESCRIPTOR.services_by_name["Health"].full_name]
        self.address = f"{host}:{port}"
        self.port = port

    def add(self, register: Callable[[Any, grpc.aio.Server], None], servicer: Any, full_name: str) -> None:
        register(servicer, self.server)
        self.service_names.append(full_name)

    async def start(self) -> None:
        if not identity.configured():
            raise identity.NotConfigured(
                f"{self.service}: service tokens are not configured ({identity.KEY_ENV}); every call would be refused"
            )
        reflection.enable_server_reflection([*self.service_names, reflection.SERVICE_NAME], self.server)
        self.port = self.server.add_insecure_port(self.address)
        await self.server.start()
        # Liveness answers SERVING for as long as the process runs; the
        # overall ("") and per-service statuses follow readiness.
        await self.health.set(LIVENESS, health_pb2.HealthCheckResponse.SERVING)
        await self.set_serving(False)

    async def set_serving(self, serving: bool) -> None:
        status = health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        for name in ["", *self.service_names[1:]]:
            await self.health.set(name, status)

    async def begin_drain(self) -> None:
        """Readiness false for good: every status NOT_SERVING, later sets
        ignored (the readiness watch cannot turn it back), so probes and
        health-checking clients move away while calls are still served."""
        await self.set_serving(False)
        await self.health.enter_graceful_shutdown()

    async def stop(self, grace: float = 10.0) -> None:
        """New calls are refused at once (clients retry them elsewhere: the
        call never reached this replica); calls in flight have `grace`
        seconds to finish, then are cancelled."""
        await self.begin_drain()
        await self.server.stop(grace)
