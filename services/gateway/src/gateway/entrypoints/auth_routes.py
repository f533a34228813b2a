"""The built-in dev issuer's endpoints; mounted only when GATEWAY_DEV_AUTH=true."""

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from gateway.entrypoints.schemas import TokenRequest

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
