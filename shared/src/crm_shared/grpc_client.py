"""The one gRPC client helper: a channel to a peer (opened on first use,
nothing connects at import or build), and calls that carry the caller as a
signed service token (Caller.metadata()) under a deadline.

    peer = Peer("opportunity", settings.opportunity_addr, timeout_s=5)
    stub = peer.stub(opportunity_pb2_grpc.OpportunityServiceStub)
    reply = await peer.call(stub.GetOpportunity, request, Caller(tenant, "finance-reconciliation", "system"))

Inside a service, a call is signed as that service (the interceptor and the
runtime set it), so a "system" caller carries the calling service's own
identity.

With `decode=True` a failed call raises the crm_shared.domain.errors error
the peer encoded (NotFound, InvalidArgument with its field violations, ...),
so a service answers its own caller with the peer's refusal; a peer that is
down, slow, or fails in a way no domain error names is Unavailable. The
AioRpcError is the decoded error's __cause__; `rpc_code(error)` tells its status.

An address names one backend or several replicas of it (grpc_target):
`host:port`; a comma-separated list of IP `ip:port` (the local stack's
replicas); or `dns:///name:port`, a Kubernetes headless Service whose name
resolves to every ready pod. Calls are balanced round robin over the
addresses that answer: a replica that goes away (its connection fails) is
skipped until it is back, and gRPC resolves the name again on such failures.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc

from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, Unavailable
from crm_shared.grpc_errors import decode_rpc_error, status_code_for, to_domain_error
from crm_shared.grpc_server import LIVENESS, MESSAGE_SIZE_OPTIONS

Stub = TypeVar("Stub")


# gRPC waits up to 120 s between two tries to reach a peer that was down, so
# a service restarted after a few minutes away would be called again only
# that long after it came back; 5 s at most between tries.
CHANNEL_OPTIONS = [
    *MESSAGE_SIZE_OPTIONS,
    ("grpc.max_reconnect_backoff_ms", 5000),
    # Every call to the next ready address (pick_first, gRPC's default, sends
    # everything to one replica); a lone address behaves as before. Client-side
    # health checking on "liveness" (crm_shared.grpc_server): a replica that
    # begins to drain at SIGTERM turns it NOT_SERVING and gets no new calls;
    # readiness (database or NATS away) does not take a replica out.
    ("grpc.service_config", json.dumps({
        "loadBalancingConfig": [{"round_robin": {}}],
        "healthCheckConfig": {"serviceName": LIVENESS},
    })),
]


def _split_host_port(address: str) -> tuple[str, int]:
    host, sep, port = address.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{address!r} is not host:port")
    return host, int(port)


def grpc_target(address: str) -> str:
    """The gRPC target for an address setting (see the module's doc); ValueError
    for one that is not host:port, a list of IP:port, or dns:///host:port."""
    address = address.strip()
    if address.startswith("dns:"):
        _split_host_port(address.removeprefix("dns:").lstrip("/"))
        return address
    parts = [part.strip() for part in address.split(",")]
    if len(parts) == 1:
        _split_host_port(parts[0])
        return parts[0]
    families = set()
    for part in parts:
        host, _ = _split_host_port(part)
        try:
            families.add(ipaddress.ip_address(host.strip("[]")).version)
        except ValueError:
            raise ValueError(
                f"{address!r}: a list of addresses takes IP addresses (ip:port,ip:port); "
                "for a name that resolves to every replica use dns:///name:port"
            ) from None
    if len(families) > 1:
        raise ValueError(f"{address!r}: mixes IPv4 and IPv6 addresses")
    # gRPC's static resolvers: every address at once, no name lookup.
    return f"ipv{families.pop()}:{','.join(parts)}"


def open_channel(address: str) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(grpc_target(address), options=CHANNEL_OPTIONS)


async def call(method: Callable[..., Awaitable[Any]], request: Any, caller: Caller, *, timeout: float) -> Any:
    """`await call(stub.Rpc, request, caller, timeout=5)`; raises grpc.aio.AioRpcError."""
    return await method(request, metadata=caller.metadata(), timeout=timeout)


def rpc_code(error: DomainError) -> grpc.StatusCode:
    """The gRPC status a peer answered with, for an error Peer.call decoded
    (its __cause__); the status the error stands for otherwise."""
    cause = error.__cause__
    return cause.code() if isinstance(cause, grpc.RpcError) else status_code_for(error)


class Peer:
    """Another service this one calls."""

    def __init__(self, name: str, address: str, *, timeout_s: float) -> None:
        self.name = name
        self.address = address
        self.timeout_s = timeout_s
        self._channel: grpc.aio.Channel | None = None

    @property
    def channel(self) -> grpc.aio.Channel:
        if self._channel is None:
            self._channel = open_channel(self.address)
        return self._channel

    def stub(self, stub_class: Callable[[grpc.aio.Channel], Stub]) -> Stub:
        return stub_class(self.channel)

    async def call(
        self,
        method: Callable[..., Awaitable[Any]],
        request: Any,
        caller: Caller,
        *,
        timeout: float | None = None,
        decode: bool = False,
    ) -> Any:
        """The reply; a failure as grpc.aio.AioRpcError, or with `decode` as a DomainError."""
        try:
            return await call(method, request, caller, timeout=self.timeout_s if timeout is None else timeout)
        except grpc.aio.AioRpcError as error:
            if not decode:
                raise
            raise self.domain_error(error) from error

    def domain_error(self, error: grpc.aio.AioRpcError | grpc.RpcError) -> DomainError:
        """The domain error a failed call to this peer stands for."""
        remote = decode_rpc_error(error)
        domain = to_domain_error(remote)
        if type(domain) is DomainError:
            # DEADLINE_EXCEEDED, UNAUTHENTICATED, INTERNAL, ...: nothing the
            # caller did wrong; they may try again later.
            return Unavailable(f"{self.name} did not answer ({remote.code.name}): {remote.message}")
        return domain

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
            self._channel = None
