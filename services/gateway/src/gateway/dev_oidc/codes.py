"""The dev issuer's authorisation codes and the token response.

The code is stateless, so that any replica of the gateway redeems it: an
RS256 JWT signed with the dev key, living CODE_TTL_S, naming the user, the
client, its redirect URI and the PKCE challenge. A replica refuses a code it
has already redeemed (a bounded in-memory set of code ids); a code replayed
on another replica within its 60 s is accepted there. That is acceptable for
this dev issuer only: production signs in at the external OIDC issuer."""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import jwt
from fastapi.responses import JSONResponse

from gateway.auth import DEMO_USERS, DevIssuer, Principal
from gateway.dev_oidc.parameters import NO_STORE, PKCE_VALUE, AuthorizeRequest

CODE_TTL_S = 60
# A code is not a token of the API: it names an audience the API refuses.
CODE_AUDIENCE = "crm-dev-authorization-code"
REDEEMED_CODES = 10_000  # code ids remembered per replica at most


class OAuthError(Exception):
    """A refusal of the token endpoint (RFC 6749 §5.2)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description

    def response(self) -> JSONResponse:
        return JSONResponse(
            {"error": self.error, "error_description": self.description}, status_code=400, headers=NO_STORE
        )


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


class CodeFlow:
    """Mints and redeems the dev issuer's authorisation codes."""

    def __init__(self, issuer: DevIssuer, clock: Callable[[], float] = time.time) -> None:
        self.issuer = issuer
        self.clock = clock
        self._redeemed: OrderedDict[str, float] = OrderedDict()  # code id -> its expiry (epoch s)

    def mint(self, user: Principal, request: AuthorizeRequest, now: float | None = None) -> str:
        now = self.clock() if now is None else now
        claims = {
            "iss": self.issuer.issuer,
            "aud": CODE_AUDIENCE,
            "sub": user.user_id,
            "tenant": user.tenant_id,
            "client_id": request.client_id,
            "redirect_uri": request.redirect_uri,
            "code_challenge": request.code_challenge,
            **({"nonce": request.nonce} if request.nonce else {}),
            "iat": int(now),
            "exp": int(now) + CODE_TTL_S,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self.issuer.key, algorithm="RS256", headers={"kid": self.issuer.kid})

    def redeem(self, values: Mapping[str, str], base: str, now: float | None = None) -> dict[str, Any]:
        """The token response for a token request's parameters, or OAuthError."""
        now = self.clock() if now is None else now
        grant_type = values.get("grant_type")
        if not grant_type:
            raise OAuthError("invalid_request", "grant_type is required")
        if grant_type != "authorization_code":
            raise OAuthError("unsupported_grant_type", "only authorization_code is supported")
        for name in ("code", "redirect_uri", "client_id", "code_verifier"):
            if not values.get(name):
                raise OAuthError("invalid_request", f"{name} is required")
        if not PKCE_VALUE.fullmatch(values["code_verifier"]):
            raise OAuthError("invalid_request", "code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~")
        claims = self._decode(values["code"], now)
        if claims["jti"] in self._redeemed:
            raise OAuthError("invalid_grant", "the code has already been used")
        if values["client_id"] != claims["client_id"]:
            raise OAuthError("invalid_grant", "client_id is not the one the code was issued to")
        if values["redirect_uri"] != claims["redirect_uri"]:
            raise OAuthError("invalid_grant", "redirect_uri is not the one of the authorisation request")
        if s256(values["code_verifier"]) != claims["code_challenge"]:
            raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
        user = DEMO_USERS.get(claims["sub"])
        if user is None or user.tenant_id != claims["tenant"]:
            raise OAuthError("invalid_grant", "the code's user is not known")
        self._remember(claims["jti"], float(claims["exp"]), now)
        return self.issuer.issue(user, now) | {"id_token": self._id_token(user, claims, base, now)}

    def _decode(self, code: str, now: float) -> dict[str, Any]:
        try:
            claims = jwt.decode(
                code,
                self.issuer.public_key,
                algorithms=["RS256"],
                audience=CODE_AUDIENCE,
                issuer=self.issuer.issuer,
                options={"require": ["exp", "iat", "sub", "jti"], "verify_exp": False, "verify_iat": False},
            )
        except jwt.PyJWTError:
            raise OAuthError("invalid_grant", "not a code of this issuer") from None
        if not all(isinstance(claims.get(n), str) for n in ("tenant", "client_id", "redirect_uri", "code_challenge")):
            raise OAuthError("invalid_grant", "not a code of this issuer")
        # Times are checked here against the flow's clock (tests move it), with no leeway: 60 s is the whole life.
        if now >= float(claims["exp"]):
            raise OAuthError("invalid_grant", "the code has expired")
        return claims

    def _remember(self, jti: str, expires: float, now: float) -> None:
        for old, old_expires in list(self._redeemed.items()):
            if old_expires > now and len(self._redeemed) < REDEEMED_CODES:
                break
            del self._redeemed[old]  # expired (cannot be redeemed anyway), or the oldest when full
        self._redeemed[jti] = expires

    def _id_token(self, user: Principal, code: dict[str, Any], base: str, now: float) -> str:
        claims = {
            "iss": base,
            "aud": code["client_id"],
            "sub": user.user_id,
            "tenant": user.tenant_id,
            "role": user.role,
            "name": user.name,
            **({"org": user.organisation} if user.organisation else {}),
            **({"nonce": code["nonce"]} if isinstance(code.get("nonce"), str) else {}),
            "iat": int(now),
            "exp": int(now) + self.issuer.ttl,
        }
        return jwt.encode(claims, self.issuer.key, algorithm="RS256", headers={"kid": self.issuer.kid})
