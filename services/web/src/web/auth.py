"""Signing in: the OpenID Connect authorisation-code flow with PKCE (S256)
against the issuer (the gateway's dev issuer locally, the company's OIDC
issuer in production), through authlib's OAuth 2 client. The id token says
who signed in; the access token is what the console calls the gateway with."""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.session import LOGIN_COOKIE, LOGIN_TTL_S, SESSION_COOKIE, Session, new_csrf
from web.session import session as session_dep
from web.templating import render, tr

router = APIRouter()
JWKS_REFRESH_S = 60.0


class Issuer:
    """The issuer's discovery document and keys, fetched on first use and kept."""

    def __init__(self, http: httpx.AsyncClient, url: str, public_url: str, client_id: str) -> None:
        self.http = http
        self.url = url.rstrip("/")
        self.public_url = public_url.rstrip("/")
        self.client_id = client_id
        self._config: dict[str, Any] | None = None
        self._keys: jwt.PyJWKSet | None = None
        self._keys_at = 0.0

    async def config(self) -> dict[str, Any]:
        if self._config is None:
            response = await self.http.get(f"{self.url}/.well-known/openid-configuration")
            response.raise_for_status()
            self._config = response.json()
        return self._config

    async def authorization_endpoint(self) -> str:
        endpoint = (await self.config())["authorization_endpoint"]
        if self.public_url and endpoint.startswith(self.url):
            endpoint = self.public_url + endpoint[len(self.url):]
        return endpoint

    async def _jwks(self, refresh: bool = False) -> jwt.PyJWKSet:
        if self._keys is None or (refresh and time.monotonic() - self._keys_at > JWKS_REFRESH_S):
            response = await self.http.get((await self.config())["jwks_uri"])
            response.raise_for_status()
            self._keys = jwt.PyJWKSet.from_dict(response.json())
            self._keys_at = time.monotonic()
        return self._keys

    async def verify_id_token(self, id_token: str) -> dict[str, Any]:
        kid = jwt.get_unverified_header(id_token).get("kid")
        keys = await self._jwks()
        if kid not in {k.key_id for k in keys.keys}:
            keys = await self._jwks(refresh=True)  # the issuer rotated its keys
        key = next((k for k in keys.keys if k.key_id == kid), None)
        if key is None:
            raise jwt.InvalidTokenError("the id token's key is not the issuer's")
        return jwt.decode(
            id_token, key.key, algorithms=["RS256"], audience=self.client_id,
            issuer=(await self.config())["issuer"], leeway=30,
            options={"require": ["exp", "iat", "sub"]},
        )

    def client(self, redirect_uri: str) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.client_id, redirect_uri=redirect_uri, scope="openid",
            code_challenge_method="S256", token_endpoint_auth_method="none",
        )


def _redirect_uri(request: Request) -> str:
    base = request.app.state.settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return f"{base}/auth/callback"


def _safe_next(value: str | None) -> str:
    """Only a path of this console: never another site (an open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else "/"


def _cookie_kw(request: Request, max_age: int) -> dict[str, Any]:
    return {
        "httponly": True, "secure": request.app.state.settings.cookie_secure, "samesite": "lax",
        "max_age": max_age, "path": "/",
    }


@router.get("/login", include_in_schema=False)
async def login(request: Request, next: str | None = None) -> Response:
    issuer: Issuer = request.app.state.issuer
    try:
        endpoint = await issuer.authorization_endpoint()
    except (httpx.HTTPError, KeyError, ValueError):
        return render(request, "auth/error.html", {"message": tr(request, "The sign-in service is not reachable. Try again in a minute.")}, status_code=503)
    verifier = generate_token(64)
    state = secrets.token_urlsafe(24)
    client = issuer.client(_redirect_uri(request))
    url, _ = client.create_authorization_url(
        endpoint, state=state, code_verifier=verifier,
        ui_locales="en" if request.state.lang == "en" else "zh-CN",
    )
    response = RedirectResponse(url, status_code=303)
    sealed = request.app.state.codec.seal({"state": state, "verifier": verifier, "next": _safe_next(next)})
    response.set_cookie(LOGIN_COOKIE, sealed, **_cookie_kw(request, LOGIN_TTL_S))
    return response


@router.get("/auth/callback", include_in_schema=False)
async def callback(request: Request, code: str = "", state: str = "", error: str = "") -> Response:
    codec = request.app.state.codec
    pending = codec.open(request.cookies.get(LOGIN_COOKIE), ttl=LOGIN_TTL_S)
    if error:
        return render(request, "auth/error.html", {"message": tr(request, "Sign-in was refused: {error}", error=error[:100])}, status_code=400)
    if not pending or not code or not state or not secrets.compare_digest(str(pending.get("state", "")), state):
        return render(request, "auth/error.html", {"message": tr(request, "This sign-in link is no longer valid. Sign in again.")}, status_code=400)
    issuer: Issuer = request.app.state.issuer
    client = issuer.client(_redirect_uri(request))
    try:
        async with client:
            token = await client.fetch_token(
                (await issuer.config())["token_endpoint"], grant_type="authorization_code",
                code=code, code_verifier=pending["verifier"],
            )
        claims = await issuer.verify_id_token(token["id_token"])
    except (OAuthError, httpx.HTTPError, jwt.PyJWTError, KeyError, ValueError):
        return render(request, "auth/error.html", {"message": tr(request, "Sign-in failed. Sign in again.")}, status_code=400)
    s = Session(
        user_id=str(claims["sub"]), tenant=str(claims.get("tenant", "")), role=str(claims.get("role", "")),
        name=str(claims.get("name", "")), organisation=str(claims.get("org", "")),
        token=token["access_token"], expires_at=time.time() + int(token.get("expires_in", 900)), csrf=new_csrf(),
    )
    response = RedirectResponse(_safe_next(pending.get("next")), status_code=303)
    response.set_cookie(SESSION_COOKIE, codec.seal_session(s), **_cookie_kw(request, int(s.expires_at - time.time())))
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request, csrf_token: str = Form("")) -> Response:
    session_dep(request)  # signed in (the CSRF check has run)
    response = RedirectResponse("/signed-out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/signed-out", include_in_schema=False)
async def signed_out(request: Request) -> Response:
    return render(request, "auth/signed_out.html")
