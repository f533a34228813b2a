"""The built-in dev issuer's endpoints; mounted only when GATEWAY_DEV_AUTH=true."""

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from gateway.dev_oidc.codes import OAuthError
from gateway.dev_oidc.discovery import base_url, discovery
from gateway.dev_oidc.pages import bad_request_page, sign_in_page
from gateway.dev_oidc.parameters import (
    NO_STORE,
    BadParameter,
    authorize_request,
    read_form,
    redirect_with,
    single_values,
)
from gateway.entrypoints.schemas import TokenRequest
from gateway.problems import Problem

router = APIRouter()


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"]
    expires_in: int  # seconds


class Jwks(BaseModel):
    keys: list[dict[str, Any]]  # RFC 7517 JSON Web Keys


@router.post("/v1/auth/token", summary="A token for a seeded demo user (password: demo)", response_model=Token)
async def issue_token(body: TokenRequest, request: Request) -> dict:
    issuer = request.app.state.dev_issuer
    return issuer.issue(issuer.login(body.username, body.password))


@router.get("/.well-known/jwks.json", summary="The dev issuer's public keys", response_model=Jwks)
async def get_jwks(request: Request) -> dict:
    return request.app.state.dev_issuer.jwks()


# --- OpenID Connect authorisation code with PKCE (gateway.dev_oidc), the web console's sign-in. Left out of the
# API description: an HTML page and the OAuth token endpoint's own error bodies (RFC 6749 §5.2), not problem+json.


@router.get("/.well-known/openid-configuration", include_in_schema=False)
async def openid_configuration(request: Request) -> JSONResponse:
    return JSONResponse(discovery(base_url(request)))


@router.get("/v1/auth/authorize", include_in_schema=False)
async def authorize_page(request: Request) -> Response:
    try:
        values = single_values(list(request.query_params.multi_items()))
        return sign_in_page(authorize_request(values, _redirect_uris(request)))
    except BadParameter as problem:
        return bad_request_page(problem, request.query_params.get("ui_locales", ""))


@router.post("/v1/auth/authorize", include_in_schema=False)
async def authorize(request: Request) -> Response:
    values: dict[str, str] = {}
    try:
        values = single_values(await read_form(request))
        params = authorize_request(values, _redirect_uris(request))
    except BadParameter as problem:
        return bad_request_page(problem, values.get("ui_locales", ""))
    username = values.get("username", "")
    try:
        user = request.app.state.dev_issuer.login(username, values.get("password", ""))
    except Problem:
        return sign_in_page(params, username=username, wrong=True)
    code = request.app.state.code_flow.mint(user, params)
    query = {"code": code} | ({"state": params.state} if params.state else {})
    return RedirectResponse(redirect_with(params.redirect_uri, query), status_code=303)


@router.post("/v1/auth/oauth/token", include_in_schema=False)
async def oauth_token(request: Request) -> JSONResponse:
    try:
        values = single_values(await read_form(request))
        reply = request.app.state.code_flow.redeem(values, base_url(request))
    except BadParameter as problem:
        return OAuthError("invalid_request", str(problem)).response()
    except OAuthError as refusal:
        return refusal.response()
    return JSONResponse(reply, headers=NO_STORE)


def _redirect_uris(request: Request) -> frozenset[str]:
    return request.app.state.settings.dev_redirect_uri_set
