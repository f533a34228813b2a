"""The dev issuer's OpenID Connect authorisation-code flow with PKCE (S256),
the flow the web console uses against the production issuer; mounted only
with GATEWAY_DEV_AUTH=true (entrypoints/auth_routes.py).

The code is stateless, so that any replica of the gateway redeems it: an
RS256 JWT signed with the dev key, living CODE_TTL_S, naming the user, the
client, its redirect URI and the PKCE challenge. A replica refuses a code it
has already redeemed (a bounded in-memory set of code ids); a code replayed
on another replica within its 60 s is accepted there. That is acceptable for
this dev issuer only: production signs in at the external OIDC issuer."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jwt
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse

from gateway.auth import DEMO_USERS, DevIssuer, Principal
from gateway.problems import Problem

CODE_TTL_S = 60
# A code is not a token of the API: it names an audience the API refuses.
CODE_AUDIENCE = "crm-dev-authorization-code"
REDEEMED_CODES = 10_000  # code ids remembered per replica at most
MAX_FORM_BYTES = 16 * 1024
MAX_FORM_FIELDS = 20
# Longest value of each parameter; any other parameter is ignored.
FIELD_LIMITS = {
    "response_type": 32,
    "client_id": 256,
    "redirect_uri": 2048,
    "state": 1024,
    "code_challenge": 128,
    "code_challenge_method": 16,
    "scope": 256,
    "nonce": 256,
    "ui_locales": 64,
    "username": 128,
    "password": 128,
    "grant_type": 64,
    "code": 4096,
    "code_verifier": 128,
}
# RFC 7636 §4.1-4.2: 43-128 characters of the unreserved set.
PKCE_VALUE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
AUTHORIZE_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "code_challenge",
    "code_challenge_method",
    "scope",
    "nonce",
    "ui_locales",
)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# The sign-in page loads nothing and may not be framed. No form-action: browsers apply it to the
# redirect that follows the form, and that goes to the client.
PAGE_HEADERS = NO_STORE | {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def discovery(base: str) -> dict[str, Any]:
    return {
        "issuer": base,
        "authorization_endpoint": f"{base}/v1/auth/authorize",
        "token_endpoint": f"{base}/v1/auth/oauth/token",
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid"],
    }


def base_url(request: Request) -> str:
    """The gateway's URL as this request sees it (host, scheme and root path), without a trailing slash."""
    return str(request.base_url).rstrip("/")


# --- reading parameters ---------------------------------------------------------------------------------------


class BadParameter(Exception):
    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


def single_values(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Parameters by name; each at most once (RFC 6749 §3.1) and within its length limit."""
    values: dict[str, str] = {}
    for name, value in pairs:
        if name not in FIELD_LIMITS:
            continue
        if name in values:
            raise BadParameter(name, "given more than once")
        if len(value) > FIELD_LIMITS[name]:
            raise BadParameter(name, f"longer than {FIELD_LIMITS[name]} characters")
        values[name] = value
    return values


async def read_form(request: Request) -> list[tuple[str, str]]:
    """An application/x-www-form-urlencoded body of at most MAX_FORM_BYTES (larger: 413)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise BadParameter("content-type", "must be application/x-www-form-urlencoded")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise Problem(413, f"form over {MAX_FORM_BYTES} bytes", slug="payload-too-large")
    try:
        text = bytes(body).decode("utf-8")
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise BadParameter("body", f"not UTF-8 form data of at most {MAX_FORM_FIELDS} fields") from None


def redirect_allowed(uri: str, listed: frozenset[str]) -> bool:
    if uri in listed:
        return True
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        return False
    # Loopback redirects for native and local clients, any port (RFC 8252 §7.3); never a fragment (RFC 6749 §3.1.2).
    return (
        parts.scheme == "http"
        and parts.hostname in LOOPBACK_HOSTS
        and not parts.username
        and not parts.password
        and not parts.fragment
        and "#" not in uri
    )


@dataclass(frozen=True)
class AuthorizeRequest:
    client_id: str
    redirect_uri: str
    state: str
    code_challenge: str
    scope: str
    nonce: str
    ui_locales: str

    def hidden_fields(self) -> dict[str, str]:
        fields = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "state": self.state,
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
            "scope": self.scope,
            "nonce": self.nonce,
            "ui_locales": self.ui_locales,
        }
        return {name: value for name, value in fields.items() if value}


def authorize_request(values: Mapping[str, str], listed: frozenset[str]) -> AuthorizeRequest:
    """The checked parameters of an authorisation request (query or form), or BadParameter."""
    if not values.get("client_id"):
        raise BadParameter("client_id", "required")
    redirect_uri = values.get("redirect_uri", "")
    if not redirect_uri:
        raise BadParameter("redirect_uri", "required")
    if not redirect_allowed(redirect_uri, listed):
        raise BadParameter("redirect_uri", "not a loopback http URI nor one of GATEWAY_DEV_REDIRECT_URIS")
    if values.get("response_type") != "code":
        raise BadParameter("response_type", "must be code")
    if values.get("code_challenge_method") != "S256":
        raise BadParameter("code_challenge_method", "must be S256")
    challenge = values.get("code_challenge", "")
    if not PKCE_VALUE.fullmatch(challenge):
        raise BadParameter("code_challenge", "must be 43-128 characters of A-Z a-z 0-9 - . _ ~")
    return AuthorizeRequest(
        client_id=values["client_id"],
        redirect_uri=redirect_uri,
        state=values.get("state", ""),
        code_challenge=challenge,
        scope=values.get("scope", ""),
        nonce=values.get("nonce", ""),
        ui_locales=values.get("ui_locales", ""),
    )


def redirect_with(uri: str, params: dict[str, str]) -> str:
    """`uri` with `params` added to its query (what it already has is kept)."""
    parts = urlsplit(uri)
    query = "&".join(filter(None, (parts.query, urlencode(params))))
    return urlunsplit(parts._replace(query=query))


# --- codes ------------------------------------------------------------------------------------------------------


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


# --- pages ------------------------------------------------------------------------------------------------------

TEXTS = {
    "zh-CN": {
        "title": "登录",
        "intro": "CRM 开发环境登录：演示用户，密码为 demo。",
        "username": "用户名",
        "password": "密码",
        "submit": "登录",
        "wrong": "用户名或密码错误。",
        "bad_request": "登录请求无效",
        "bad_detail": "请求参数有误，请从应用重新发起登录。",
    },
    "en": {
        "title": "Sign in",
        "intro": "CRM development sign-in: demo users, password demo.",
        "username": "Username",
        "password": "Password",
        "submit": "Sign in",
        "wrong": "Wrong username or password.",
        "bad_request": "Invalid sign-in request",
        "bad_detail": "A parameter of the request is wrong; start signing in again from the application.",
    },
}
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1f2328}"
    "main{max-width:22rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px}"
    "label{display:block;margin-top:1rem;font-weight:600}"
    "input{box-sizing:border-box;width:100%;padding:.6rem;margin-top:.3rem;font-size:1rem;border:1px solid #6e7781}"
    "button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;background:#0550ae;color:#fff;border:0}"
    "[role=alert]{color:#a40e26;font-weight:600}"
)


def language(ui_locales: str) -> str:
    """The first of the requested languages (OIDC ui_locales: space-separated tags) the page speaks."""
    for tag in ui_locales.split():
        if tag.lower().startswith("en"):
            return "en"
        if tag.lower().startswith("zh"):
            return "zh-CN"
    return "zh-CN"


def _page(lang: str, heading: str, body: str, status: int) -> HTMLResponse:
    page = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(heading)} · CRM</title><style>{STYLE}</style></head>"
        f"<body><main><h1>{html.escape(heading)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(page, status_code=status, headers=PAGE_HEADERS)


def sign_in_page(request: AuthorizeRequest, username: str = "", wrong: bool = False) -> HTMLResponse:
    lang = language(request.ui_locales)
    text = TEXTS[lang]
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
        for name, value in request.hidden_fields().items()
    )
    error = f'<p role="alert" id="sign-in-error">{text["wrong"]}</p>' if wrong else ""
    invalid = ' aria-invalid="true" aria-describedby="sign-in-error"' if wrong else ""
    body = (
        f"<p>{text['intro']}</p>{error}"
        # Relative: the form posts back to this path wherever the gateway is mounted.
        f'<form method="post" action="authorize">{hidden}'
        f'<label for="username">{text["username"]}</label>'
        f'<input id="username" name="username" autocomplete="username" required autofocus '
        f'maxlength="{FIELD_LIMITS["username"]}" value="{html.escape(username)}"{invalid}>'
        f'<label for="password">{text["password"]}</label>'
        f'<input id="password" name="password" type="password" autocomplete="current-password" required '
        f'maxlength="{FIELD_LIMITS["password"]}"{invalid}>'
        f'<button type="submit">{text["submit"]}</button></form>'
    )
    return _page(lang, text["title"], body, 401 if wrong else 200)


def bad_request_page(problem: BadParameter, ui_locales: str) -> HTMLResponse:
    lang = language(ui_locales if len(ui_locales) <= FIELD_LIMITS["ui_locales"] else "")
    text = TEXTS[lang]
    body = (
        f'<p role="alert">{text["bad_detail"]}</p>'
        f"<p><code>{html.escape(problem.field)}</code>: {html.escape(problem.detail)}</p>"
    )
    return _page(lang, text["bad_request"], body, 400)
