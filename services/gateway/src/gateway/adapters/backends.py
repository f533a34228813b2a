"""The backend services as the gateway calls them: one crm_shared.grpc_client
Peer per deployable, the stubs of the gRPC services each serves, the call
that carries the verified user as a service token signed by the gateway and
turns a refusal into a problem, and the generic protobuf -> JSON translation."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import math
from collections.abc import AsyncIterator
from datetime import UTC
from typing import Any

import grpc
from crm_shared import identity
from crm_shared.clock import iso_z
from crm_shared.context import Caller
from crm_shared.deployables import BACKENDS
from crm_shared.grpc_client import Peer
from crm_shared.grpc_errors import RemoteError, decode_rpc_error
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.adapters.stubs import STUB_CLASSES, Method
from gateway.problems import from_remote_error
from gateway.retry import RetryPolicy

# How long a retry waits for one of a backend's replicas to be ready (gateway.retry).
READY_WAIT_S = 2.0

# gRPC service full name -> the backend deployable serving it.
SERVED_BY = {service: backend.name for backend in BACKENDS for service in backend.grpc_services}


class Backends:
    """One peer per backend deployable; channels open on first use."""

    def __init__(
        self,
        addresses: dict[str, str],
        timeout_s: float,
        health_timeout_s: float,
        *,
        batch_timeout_s: float = 90.0,
        stream_timeout_s: float = 1800.0,
        retry: RetryPolicy | None = None,
        ready_wait_s: float = READY_WAIT_S,
    ) -> None:
        self.retry = retry or RetryPolicy()
        self.ready_wait_s = ready_wait_s
        self.timeout_s = timeout_s
        self.batch_timeout_s = batch_timeout_s
        self.stream_timeout_s = stream_timeout_s
        self.health_timeout_s = health_timeout_s
        self.peers = {name: Peer(name, address, timeout_s=timeout_s) for name, address in addresses.items()}
        # Service full name -> (the peer serving it, its stub on that peer's channel).
        self.stubs: dict[str, tuple[Peer, Any]] = {
            service: (peer, peer.stub(stub_class))
            for service, stub_class in STUB_CLASSES.items()
            if (peer := self.peers.get(SERVED_BY[service])) is not None
        }

    async def call(self, method: Method, request: Message, caller: Caller, *, batch: bool = False) -> Any:
        """`await backends.call(lead_routing.GetLead, request, caller)`; `batch`
        for a call that works through a whole file or pool (the longer deadline)."""
        peer, stub = self.stubs[method.service]
        timeout = self.batch_timeout_s if batch else self.timeout_s
        rpc = getattr(stub, method.name)

        async def attempt(seconds_left: float, again: bool) -> Any:
            if again:
                # A try again first waits a little for a ready replica: one may be draining while the
                # channel still reconnects to the other, just restarted. Bounded, so a backend wholly
                # down costs a retried request seconds, not its whole deadline.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(peer.channel.channel_ready(), min(seconds_left, self.ready_wait_s))
            with identity.acting_as(identity.GATEWAY):  # never a backend's identity, whoever hosts this
                return await peer.call(rpc, request, caller, timeout=seconds_left)

        try:
            # UNAVAILABLE (a replica gone or going) is tried again on another for requests safe to retry.
            return await self.retry.call(peer.name, attempt, timeout)
        except grpc.aio.AioRpcError as error:
            # Not Peer.call(decode=True): that folds every transport failure into
            # Unavailable, and the gateway tells a timeout (503) from a backend
            # refusing its token (502) or failing (502).
            raise from_remote_error(decode_rpc_error(error), peer.name) from error

    async def upload(self, method: Method, requests: AsyncIterator[Message], caller: Caller) -> Any:
        """A client-streaming call: `requests` are sent as they are produced."""
        peer, stub = self.stubs[method.service]
        try:
            with identity.acting_as(identity.GATEWAY):
                metadata = caller.metadata()
            return await getattr(stub, method.name)(requests, metadata=metadata, timeout=self.stream_timeout_s)
        except grpc.aio.AioRpcError as error:
            raise from_remote_error(decode_rpc_error(error), peer.name) from error

    async def download(self, method: Method, request: Message, caller: Caller) -> ServerStream:
        """A server-streaming call: its first response (a header) read, the
        rest to iterate as they arrive. A failure before the first response is
        a Problem; one later ends the iteration with the AioRpcError (the reply
        has begun)."""
        peer, stub = self.stubs[method.service]
        with identity.acting_as(identity.GATEWAY):
            metadata = caller.metadata()
        call = getattr(stub, method.name)(request, metadata=metadata, timeout=self.stream_timeout_s)
        try:
            first = await call.read()
        except grpc.aio.AioRpcError as error:
            raise from_remote_error(decode_rpc_error(error), peer.name) from error
        if first is grpc.aio.EOF:
            call.cancel()
            raise from_remote_error(RemoteError(grpc.StatusCode.INTERNAL, "no reply"), peer.name)
        return ServerStream(first, call)

    async def health(self) -> dict[str, str]:
        """Each backend's overall status from the standard health service, checked concurrently."""

        async def check(peer: Peer) -> str:
            try:
                reply = await health_pb2_grpc.HealthStub(peer.channel).Check(
                    health_pb2.HealthCheckRequest(service=""), timeout=self.health_timeout_s
                )
                return health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
            except grpc.aio.AioRpcError as error:
                return error.code().name

        results = await asyncio.gather(*(check(peer) for peer in self.peers.values()))
        return dict(zip(self.peers, results, strict=True))

    async def close(self) -> None:
        for peer in self.peers.values():
            with contextlib.suppress(Exception):
                await peer.close()


class ServerStream:
    """A server-streaming call whose first response has been read."""

    def __init__(self, first: Any, call: Any) -> None:
        self.first = first
        self._call = call

    async def rest(self) -> AsyncIterator[Any]:
        try:
            while (message := await self._call.read()) is not grpc.aio.EOF:
                yield message
        finally:
            self.cancel()  # ends the stream when the client goes away

    def cancel(self) -> None:
        """Ends the call (a no-op once it has finished)."""
        self._call.cancel()


def to_json(message: Message) -> dict[str, Any]:
    """Every field, defaults included; int64 stays a number (MessageToDict
    would quote it, and amounts are int64); Timestamps as ISO 8601 UTC; an
    unset message field as null; bytes as base64; enums by name."""
    out: dict[str, Any] = {}
    for field in message.DESCRIPTOR.fields:
        value = getattr(message, field.name)
        if field.is_repeated:
            out[field.name] = [_value(field, v) for v in value]
        elif (field.type == FieldDescriptor.TYPE_MESSAGE or field.has_presence) and not message.HasField(field.name):
            out[field.name] = None  # an unset message or proto3 `optional` scalar
        else:
            out[field.name] = _value(field, value)
    return out


def _value(field: FieldDescriptor, value: Any) -> Any:
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        if field.message_type.full_name == "google.protobuf.Timestamp":
            return iso_z(value.ToDatetime(tzinfo=UTC))
        if field.message_type.full_name == "google.protobuf.Struct":
            return json_format.MessageToDict(value)
        return to_json(value)
    if field.type == FieldDescriptor.TYPE_BYTES:
        return base64.b64encode(value).decode()
    if field.type == FieldDescriptor.TYPE_ENUM:
        return field.enum_type.values_by_number[value].name if value in field.enum_type.values_by_number else value
    if field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT) and not math.isfinite(value):
        return None  # JSON has no infinity or NaN: a value stored before scores were bounded reads as unknown
    return value
