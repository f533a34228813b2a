"""Authentication: RS256 JWTs from an external OIDC issuer (JWKS) in
production, or from the built-in dev issuer (`GATEWAY_DEV_AUTH=true`) that
signs tokens for the seeded demo users with a key of its own."""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from crm_shared.context import ROLES
from gateway.config import Settings
from gateway.problems import Problem

# Roles a token may carry; "system" is for service-to-service calls only.
USER_ROLES = tuple(r for r in ROLES if r != "system")
DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class Principal:
    user_id: str
    tenant_id: str
    role: str
    name: str


# The demo tenant is a machinery maker in 浙江; `other` exists to show tenant isolation.
DEMO_USERS: dict[str, Principal] = {
    p.user_id: p
    for p in (
        Principal("zhangwei", "demo", "rep", "张伟"),
        Principal("lina", "demo", "rep", "李娜"),
        Principal("wangqiang", "demo", "manager", "王强"),
        Principal("liufang", "demo", "finance", "刘芳"),
        Principal("chenjing", "demo", "reviewer", "陈静"),
        Principal("admin", "demo", "admin", "系统管理员"),
        Principal("zhaolei", "demo", "partner", "赵磊"),
        Principal("other-rep", "other", "rep", "其他租户销售"),
    )
}


def unauthorized(detail: str) -> Problem:
    return Problem(401, detail, slug="unauthorized", headers={"WWW-Authenticate": "Bearer"})


def _load_or_create_key(path: str) -> rsa.RSAPrivateKey:
    """A fixed key file keeps dev tokens valid across restarts; without
    one every start signs with a fresh key."""
    if path and Path(path).exists():
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"GATEWAY_DEV_KEY_PATH {path}: not an RSA private key")
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        Path(path).chmod(0o600)
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
            "iat": int(now),
            "exp": int(now) + self.ttl,
        }
        token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})
        return {"access_token": token, "token_type": "bearer", "expires_in": self.ttl}


class Authenticator:
    """Turns an Authorization header into a Principal or a 401 problem."""

    def __init__(self, settings: Settings, dev_issuer: DevIssuer | None = None) -> None:
        self.issuer = settings.issuer
        self.audience = settings.audience
        self.dev_issuer = dev_issuer
        # PyJWKClient caches the key set and refetches on an unknown kid.
        self.jwks = None if dev_issuer else jwt.PyJWKClient(settings.jwks_url, cache_keys=True, timeout=5)

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
        try:
            claims = jwt.decode(
                token.strip(),
                await self._signing_key(token.strip()),
                algorithms=["RS256"],
                audience=self.audience or None,
                issuer=self.issuer or None,
                options={"require": ["exp", "sub"], "verify_aud": bool(self.audience)},
                leeway=30,
            )
        except jwt.PyJWTError as exc:
            raise unauthorized(f"invalid token: {exc}") from exc
        return principal_from_claims(claims)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    tenant, role, sub = claims.get("tenant"), claims.get("role"), claims.get("sub")
    if not isinstance(tenant, str) or not tenant or not isinstance(sub, str) or not sub:
        raise unauthorized("invalid token: sub and tenant claims are required")
    if role not in USER_ROLES:
        raise unauthorized(f"invalid token: role must be one of {', '.join(USER_ROLES)}")
    return Principal(sub, tenant, role, str(claims.get("name", "")))
