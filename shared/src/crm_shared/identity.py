"""Service identity: every gRPC call between deployables carries a short-lived
token (HS256 JWT) signed with the key every deployable knows
(CRM_SERVICE_TOKEN_KEY); the receiving service builds its Caller from that
token only. See docs/adr/0003-service-identity.md.

Claims: iss = the calling deployable ("gateway", "opportunity", ...), aud =
INTERNAL_AUDIENCE, sub = user id, tenant, role, iat, exp (TOKEN_LIFETIME_S
after iat). Role "system" is accepted only from a backend service.

Who signs: `configure()` installs the process's keys and its own name (done by
crm_shared.runtime for a backend service and by the gateway at start).
`acting_as(name)` overrides the name for a block of code (the gRPC server
interceptor does it for the duration of each call it serves, and the runtime
for its consumers and jobs), so services running in one process (the
integration tests) each sign as themselves."""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jwt

if TYPE_CHECKING:  # pragma: no cover
    from crm_shared.context import Caller

KEY_ENV = "CRM_SERVICE_TOKEN_KEY"
PREVIOUS_KEYS_ENV = "CRM_SERVICE_TOKEN_PREVIOUS_KEYS"
MIN_KEY_BYTES = 32
INTERNAL_AUDIENCE = "crm-internal"
ALGORITHM = "HS256"
TOKEN_LIFETIME_S = 60
# Clock skew tolerated between pods.
LEEWAY_S = 10
# A token living longer than this is refused even if correctly signed.
MAX_LIFETIME_S = 5 * 60
# A caller's signed token is used again for calls made within this many seconds of
# signing it (it still has TOKEN_LIFETIME_S - REUSE_S to live when last sent), and a
# verified token is not checked again before it expires: signing and checking were a
# twentieth of the gateway's and lead-routing's work per intake.
REUSE_S = 15
CACHED_TOKENS = 4096
METADATA_KEY = "authorization"

GATEWAY = "gateway"
BACKEND_SERVICES = frozenset(
    {"lead-routing", "opportunity", "approval", "document-versioning", "finance-reconciliation"}
)
ISSUERS = BACKEND_SERVICES | {GATEWAY}


class Unauthenticated(Exception):
    """The call carries no valid service token; answered with gRPC UNAUTHENTICATED."""


class NotConfigured(RuntimeError):
    pass


def check_key(value: str, name: str = KEY_ENV) -> str:
    if len(value.encode()) < MIN_KEY_BYTES:
        raise ValueError(
            f"{name} must be at least {MIN_KEY_BYTES} bytes, "
            "e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
        )
    return value


def split_keys(value: str) -> list[str]:
    """CRM_SERVICE_TOKEN_PREVIOUS_KEYS: keys separated by commas or whitespace."""
    return [k for k in value.replace(",", " ").split() if k]


@dataclass(frozen=True)
class ServiceTokens:
    """Signs with the first key; verifies with any (previous keys for rotation)."""

    keys: tuple[str, ...]
    # (caller, issuer) -> (issued at, token); token -> claims. Per instance: new keys, new caches.
    _signed: dict[tuple[Any, ...], tuple[int, str]] = field(default_factory=dict, compare=False, repr=False)
    _verified: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise ValueError(f"{KEY_ENV} is required")
        for key in self.keys:
            check_key(key)

    def sign(self, caller: "Caller", issuer: str, now: float | None = None) -> str:
        if now is not None:
            return self._sign(caller, issuer, int(now))
        issued = int(time.time())
        key = (caller.tenant_id, caller.user_id, caller.role, caller.organisation, issuer)
        cached = self._signed.get(key)
        if cached is not None and 0 <= issued - cached[0] < REUSE_S:
            return cached[1]
        token = self._sign(caller, issuer, issued)
        _bounded_put(self._signed, key, (issued, token))
        return token

    def _sign(self, caller: "Caller", issuer: str, issued: int) -> str:
        claims = {
            "iss": issuer,
            "aud": INTERNAL_AUDIENCE,
            "sub": caller.user_id,
            "tenant": caller.tenant_id,
            "role": caller.role,
            "iat": issued,
            "exp": issued + TOKEN_LIFETIME_S,
        }
        if caller.organisation:
            claims["org"] = caller.organisation
        return jwt.encode(claims, self.keys[0], algorithm=ALGORITHM)

    def verify(self, token: str, now: float | None = None) -> dict[str, Any]:
        """The token's claims, or Unauthenticated saying why."""
        if now is None:
            cached = self._verified.get(token)
            if cached is not None and time.time() < cached["exp"]:
                return cached
        claims = self._verify(token, now)
        if now is None:
            _bounded_put(self._verified, token, claims)
        return claims

    def _verify(self, token: str, now: float | None) -> dict[str, Any]:
        claims: dict[str, Any] | None = None
        error: jwt.PyJWTError | None = None
        for key in self.keys:
            try:
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=[ALGORITHM],
                    audience=INTERNAL_AUDIENCE,
                    options={"require": ["iss", "aud", "sub", "iat", "exp"]},
                    leeway=LEEWAY_S,
                )
                break
            except jwt.InvalidSignatureError as exc:
                error = exc  # maybe signed with another known key
            except jwt.PyJWTError as exc:
                raise Unauthenticated(f"invalid service token: {exc}") from exc
        if claims is None:
            raise Unauthenticated(f"invalid service token: {error}")
        issuer, role = claims.get("iss"), claims.get("role")
        if issuer not in ISSUERS:
            raise Unauthenticated(f"invalid service token: unknown issuer {issuer!r}")
        if int(claims["exp"]) - int(claims["iat"]) > MAX_LIFETIME_S:  # both checked to be integers by decode
            raise Unauthenticated(f"invalid service token: lives longer than {MAX_LIFETIME_S} s")
        for name in ("sub", "tenant", "role"):
            if not isinstance(claims.get(name), str) or not claims[name]:
                raise Unauthenticated(f"invalid service token: claim {name!r} is required")
        if role == "system" and issuer not in BACKEND_SERVICES:
            raise Unauthenticated(f"invalid service token: role 'system' is only for backend services, not {issuer!r}")
        return claims


def _bounded_put(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= CACHED_TOKENS:
        cache.pop(next(iter(cache)))  # the oldest
    cache.pop(key, None)
    cache[key] = value


@dataclass(frozen=True)
class _Config:
    tokens: ServiceTokens
    issuer: str
    system_as_named_service: bool


_config: _Config | None = None
_acting_as: contextvars.ContextVar[str | None] = contextvars.ContextVar("crm_acting_as", default=None)


def configure(keys: Sequence[str], issuer: str, *, system_as_named_service: bool = False) -> None:
    """Install the process's keys (the first signs) and its own name.

    `system_as_named_service` is for the test process only, which plays every
    deployable: a "system" caller outside any service's call is signed as the
    backend service its user id names (Caller(t, "opportunity", "system"))."""
    global _config
    if issuer not in ISSUERS:
        raise ValueError(f"unknown deployable {issuer!r}; one of {', '.join(sorted(ISSUERS))}")
    _config = _Config(ServiceTokens(tuple(keys)), issuer, system_as_named_service)


def configured() -> bool:
    return _config is not None


def _require_config() -> _Config:
    if _config is None:
        raise NotConfigured(f"service tokens are not configured: set {KEY_ENV} (at least {MIN_KEY_BYTES} bytes)")
    return _config


@contextlib.contextmanager
def acting_as(service: str) -> Iterator[None]:
    """Calls made inside the block are signed as `service`."""
    token = _acting_as.set(service)
    try:
        yield
    finally:
        _acting_as.reset(token)


def set_acting_as(service: str) -> contextvars.Token[str | None]:
    return _acting_as.set(service)


def reset_acting_as(token: contextvars.Token[str | None]) -> None:
    _acting_as.reset(token)


def issuer_for(caller: "Caller") -> str:
    config = _require_config()
    acting = _acting_as.get()
    if acting:
        return acting
    if config.system_as_named_service and caller.role == "system" and caller.user_id in BACKEND_SERVICES:
        return caller.user_id
    return config.issuer


def sign(caller: "Caller") -> str:
    return _require_config().tokens.sign(caller, issuer_for(caller))


def bearer(caller: "Caller") -> str:
    return f"Bearer {sign(caller)}"


def verify_metadata(metadata: dict[str, str]) -> dict[str, Any]:
    """The verified claims of a call's `authorization: Bearer <token>` metadata."""
    value = metadata.get(METADATA_KEY, "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("missing service token (authorization: Bearer <token>)")
    return _require_config().tokens.verify(token.strip())
