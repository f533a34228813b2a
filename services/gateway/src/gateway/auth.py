"""Authentication: RS256 JWTs from an external OIDC issuer (JWKS) in
production, or from the built-in dev issuer (`GATEWAY_DEV_AUTH=true`) that
signs tokens for the seeded demo users with a key of its own.

A valid signature is not enough: the token must say when it was issued and
live at most GATEWAY_MAX_TOKEN_LIFETIME_S, and its subject must be a known
user of its tenant with the role the token claims (the user directory: the
demo users with the dev issuer, else the file GATEWAY_USER_DIRECTORY_PATH)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jwt
from crm_shared.context import ROLES
from crm_shared.logs import get_logger
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from gateway.config import Settings
from gateway.problems import Problem

# Roles a token may carry; "system" is for service-to-service calls only.
USER_ROLES = tuple(r for r in ROLES if r != "system")
DEMO_PASSWORD = "demo"
# Clock skew tolerated between the identity provider and the gateway.
LEEWAY_S = 30
VERIFIED_FOR_S = 60.0  # a checked signature is trusted this long (see Authenticator._verified)
VERIFIED_TOKENS = 10_000  # tokens kept checked at most
log = get_logger("crm.gateway.auth")


@dataclass(frozen=True)
class Principal:
    user_id: str
    tenant_id: str
    role: str
    name: str
    # A partner's distributor organisation (lead-routing's distributor id); "" for everyone else.
    organisation: str = ""
    # When the token this principal came from expires (epoch seconds); None for a directory entry.
    expires_at: float | None = field(default=None, compare=False)


# The demo tenant is a machinery maker in 浙江; `other` exists to show tenant isolation.
DEMO_USERS: dict[str, Principal] = {
    p.user_id: p
    for p in (
        Principal("zhangwei", "demo", "rep", "张伟"),
        Principal("lina", "demo", "rep", "李娜"),
        Principal("wangqiang", "demo", "manager", "王强"),
        # The manager of another team (华东二组) and a rep of theirs.
        Principal("zhoumin", "demo", "manager", "周敏"),
        Principal("wuhao", "demo", "rep", "吴昊"),
        Principal("liufang", "demo", "finance", "刘芳"),
        Principal("chenjing", "demo", "reviewer", "陈静"),
        Principal("admin", "demo", "admin", "系统管理员"),
        # Partners of two distributors (demo data in lead-routing: dist-hz 杭州, dist-nb 宁波).
        Principal("zhaolei", "demo", "partner", "赵磊", "dist-hz"),
        Principal("sunli", "demo", "partner", "孙丽", "dist-nb"),
        Principal("other-rep", "other", "rep", "其他租户销售"),
    )
}


class DirectoryEntry(BaseModel):
    """One line of the user directory file."""

    model_config = ConfigDict(extra="forbid")

    tenant: str = Field(min_length=1, max_length=128)
    user_id: str = Field(min_length=1, max_length=128)
    role: str
    name: str = Field("", max_length=200)
    # A partner user's distributor organisation; required for partners, refused for anyone else.
    organisation: str = Field("", max_length=128)

    def principal(self) -> Principal:
        if self.role not in USER_ROLES:
            raise ValueError(f"user {self.user_id!r} of {self.tenant!r}: role must be one of {', '.join(USER_ROLES)}")
        if (self.role == "partner") != bool(self.organisation):
            raise ValueError(f"user {self.user_id!r} of {self.tenant!r}: a partner, and only a partner, names an organisation")
        return Principal(self.user_id, self.tenant, self.role, self.name, self.organisation)


_ENTRIES = TypeAdapter(list[DirectoryEntry])


class UserDirectory:
    """The users who may act, by (tenant, user id)."""

    def __init__(self, users: Iterable[Principal]) -> None:
        self.users = {(u.tenant_id, u.user_id): u for u in users}

    def get(self, tenant_id: str, user_id: str) -> Principal | None:
        return self.users.get((tenant_id, user_id))


class FileUserDirectory(UserDirectory):
    """The directory in a JSON file (e.g. a mounted ConfigMap): a list of
    {"tenant", "user_id", "role", "name", "organisation" (partners)}, or {"users": [...]}. Read at start
    (a broken file stops the gateway naming it) and again when it changes,
    looked at no more than every `check_every_s`; a broken new version is
    logged and the last good one kept."""

    def __init__(self, path: str, check_every_s: float = 5.0) -> None:
        self.path = Path(path)
        self.check_every_s = check_every_s
        self._mtime = self._stat()
        self._checked = time.monotonic()
        super().__init__(self._read())

    def _stat(self) -> float:
        try:
            return os.stat(self.path).st_mtime
        except OSError as exc:
            raise ValueError(f"GATEWAY_USER_DIRECTORY_PATH {self.path}: {exc.strerror}") from exc

    def _read(self) -> list[Principal]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and set(data) == {"users"}:
                data = data["users"]
            return [entry.principal() for entry in _ENTRIES.validate_python(data)]
        except (OSError, ValueError, ValidationError) as exc:
            raise ValueError(f"GATEWAY_USER_DIRECTORY_PATH {self.path}: not a valid user directory: {exc}") from exc

    def get(self, tenant_id: str, user_id: str) -> Principal | None:
        now = time.monotonic()
        if now - self._checked >= self.check_every_s:
            self._checked = now
            try:
                mtime = self._stat()
                if mtime != self._mtime:
                    self.users = UserDirectory(self._read()).users
                    self._mtime = mtime
                    log.info("user directory reloaded", path=str(self.path), users=len(self.users))
            except ValueError as exc:
                log.error("user directory not reloaded; the last good one stays", error=str(exc))
        return super().get(tenant_id, user_id)


def user_directory(settings: Settings) -> UserDirectory:
    if settings.user_directory_path:
        return FileUserDirectory(settings.user_directory_path)
    if settings.dev_auth:
        return UserDirectory(DEMO_USERS.values())
    raise ValueError("GATEWAY_USER_DIRECTORY_PATH is required unless GATEWAY_DEV_AUTH=true")


def unauthorized(detail: str) -> Problem:
    return Problem(401, detail, slug="unauthorized", headers={"WWW-Authenticate": "Bearer"})


def _load_or_create_key(path: str) -> rsa.RSAPrivateKey:
    """A fixed key file keeps dev tokens valid across restarts and between
    the gateway's replicas; without one every start signs with a fresh key."""
    if path and Path(path).exists():
        return _read_key(path)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Written whole under another name, then linked into place only if no replica starting at
        # the same time linked its own first: every replica signs with the one key the file holds.
        partial = Path(f"{path}.{os.getpid()}")
        partial.write_bytes(pem)
        partial.chmod(0o600)
        try:
            os.link(partial, path)
        except FileExistsError:
            return _read_key(path)
        finally:
            partial.unlink()
    return key


def _read_key(path: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"GATEWAY_DEV_KEY_PATH {path}: not an RSA private key")  # noqa: TRY004 - a bad setting
    return key


class DevIssuer:
    def __init__(self, settings: Settings, key: rsa.RSAPrivateKey | None = None) -> None:
        self.key = key or _load_or_create_key(settings.dev_key_path)
        self.public_key = self.key.public_key()
        der = self.public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.kid = hashlib.sha256(der).hexdigest()[:16]
        self.issuer = settings.issuer
        self.audience = settings.audience
        self.ttl = settings.token_ttl_s

    def jwks(self) -> dict[str, Any]:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.public_key, as_dict=True)
        return {"keys": [jwk | {"kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def login(self, username: str, password: str) -> Principal:
        user = DEMO_USERS.get(username)
        if user is None or password != DEMO_PASSWORD:
            raise unauthorized("unknown user or wrong password")
        return user

    def issue(self, user: Principal, now: float | None = None) -> dict[str, Any]:
        now = time.time() if now is None else now
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": user.user_id,
            "tenant": user.tenant_id,
            "role": user.role,
            "name": user.name,
            **({"org": user.organisation} if user.organisation else {}),
            "iat": int(now),
            "exp": int(now) + self.ttl,
        }
        token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})
        return {"access_token": token, "token_type": "bearer", "expires_in": self.ttl}


class Authenticator:
    """Turns an Authorization header into a Principal or a 401 problem."""

    def __init__(
        self, settings: Settings, dev_issuer: DevIssuer | None = None, directory: UserDirectory | None = None
    ) -> None:
        self.issuer = settings.issuer
        self.audience = settings.audience
        self.max_lifetime_s = settings.max_token_lifetime_s
        self.directory = directory or user_directory(settings)
        self.dev_issuer = dev_issuer
        # PyJWKClient caches the key set and refetches on an unknown kid.
        self.jwks = None if dev_issuer else jwt.PyJWKClient(settings.jwks_url, cache_keys=True, timeout=5)
        # token -> (when its signature was checked, its claims): a client sends one token with
        # every request, and checking its RS256 signature each time was a tenth of the gateway's
        # work per intake. Its expiry is checked at every use; the signature again after
        # VERIFIED_FOR_S (a key withdrawn from the key set stops working within that).
        self._verified: dict[str, tuple[float, dict[str, Any]]] = {}

    async def _signing_key(self, token: str) -> Any:
        if self.dev_issuer:
            return self.dev_issuer.public_key
        assert self.jwks
        try:
            # urllib under the hood: keep it off the event loop.
            return (await asyncio.to_thread(self.jwks.get_signing_key_from_jwt, token)).key
        except jwt.PyJWKClientConnectionError as exc:
            raise Problem(503, "the identity provider's keys cannot be fetched", slug="jwks-unavailable") from exc

    async def authenticate(self, authorization: str | None) -> Principal:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("missing bearer token (Authorization: Bearer <token>)")
        claims = await self._claims(token.strip())
        lifetime = int(claims["exp"]) - int(claims["iat"])  # both checked to be integers by decode
        if lifetime > self.max_lifetime_s:
            raise unauthorized(f"invalid token: it lives {lifetime} s, more than the {self.max_lifetime_s} s allowed")
        claimed = principal_from_claims(claims)
        known = self.directory.get(claimed.tenant_id, claimed.user_id)
        if known is None:
            raise unauthorized("invalid token: its subject is not a known user of its tenant")
        if known.role != claimed.role:
            raise unauthorized("invalid token: its role is not the user's role")
        if claimed.organisation != known.organisation:
            raise unauthorized("invalid token: its organisation is not the user's organisation")
        return replace(known, expires_at=float(claims["exp"]))

    async def _claims(self, token: str) -> dict[str, Any]:
        """The token's verified claims: from the cache while its signature was
        checked less than VERIFIED_FOR_S ago and it has not expired."""
        now = time.monotonic()
        cached = self._verified.get(token)
        if cached is not None and now - cached[0] < VERIFIED_FOR_S and time.time() < cached[1]["exp"] + LEEWAY_S:
            return cached[1]
        claims = await self._decode(token)
        if len(self._verified) >= VERIFIED_TOKENS:
            self._verified.pop(next(iter(self._verified)))  # the oldest
        self._verified.pop(token, None)
        self._verified[token] = (now, claims)
        return claims

    async def _decode(self, token: str) -> dict[str, Any]:
        try:
            return jwt.decode(
                token,
                await self._signing_key(token),
                algorithms=["RS256"],
                audience=self.audience or None,
                issuer=self.issuer or None,
                # iat later than now (beyond the leeway) is refused too.
                options={"require": ["exp", "iat", "sub"], "verify_aud": bool(self.audience)},
                leeway=LEEWAY_S,
            )
        except jwt.PyJWTError as exc:
            raise unauthorized(f"invalid token: {exc}") from exc


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    tenant, role, sub = claims.get("tenant"), claims.get("role"), claims.get("sub")
    if not isinstance(tenant, str) or not tenant or not isinstance(sub, str) or not sub:
        raise unauthorized("invalid token: sub and tenant claims are required")
    if role not in USER_ROLES:
        raise unauthorized(f"invalid token: role must be one of {', '.join(USER_ROLES)}")
    organisation = claims.get("org", "")
    if not isinstance(organisation, str):
        raise unauthorized("invalid token: the org claim must be a string")
    return Principal(sub, tenant, role, str(claims.get("name", "")), organisation)
