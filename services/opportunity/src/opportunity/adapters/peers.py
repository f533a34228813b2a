"""How opportunity asks another service: over crm_shared.grpc_client.Peer
(the channel opened on first use, the deadline configured per peer) as this
service's system caller for the tenant (the service's own signed identity).

Whatever the peer answers instead of a reply — down, slow, a refusal — means
the change being checked cannot be decided: PeerUnavailable (UNAVAILABLE,
HTTP 503), nothing was changed and the caller may try again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, NotFound, Unavailable
from crm_shared.grpc_client import Peer, rpc_code

SYSTEM_USER = "opportunity"

Stub = TypeVar("Stub")


def system_caller(tenant_id: str) -> Caller:
    return Caller(tenant_id, SYSTEM_USER, roles.SYSTEM)


class PeerUnavailable(Unavailable):
    """A service opportunity depends on did not answer (or refused): nothing was changed."""


class SystemPeer:
    def __init__(self, peer: Peer) -> None:
        self.peer = peer

    @property
    def name(self) -> str:
        return self.peer.name

    @property
    def configured(self) -> bool:
        return bool(self.peer.address)

    def stub(self, stub_class: Callable[[Any], Stub], about: str) -> Stub:
        """A stub of the peer; refused before anything connects when it has no address."""
        if not self.configured:
            raise PeerUnavailable(f"the address of {self.name} is not configured, so {about} cannot be checked")
        return self.peer.stub(stub_class)

    async def ask(
        self, tenant_id: str, method: Callable[..., Awaitable[Any]], request: Any, about: str, *, missing: bool = False
    ) -> Any:
        """The peer's reply; with `missing`, None when the peer says the tenant has no such object."""
        try:
            return await self.peer.call(method, request, system_caller(tenant_id), decode=True)
        except DomainError as error:
            if missing and isinstance(error, NotFound):
                return None
            # "Nothing was changed" first: a long answer of the peer's is cut at the end.
            raise PeerUnavailable(
                f"nothing was changed: {self.name} could not be asked {about} ({rpc_code(error).name}: {error.message})"
            ) from error

    async def close(self) -> None:
        await self.peer.close()
