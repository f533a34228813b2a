"""The built-in dev issuer's endpoints; mounted only when GATEWAY_DEV_AUTH=true."""

from fastapi import APIRouter, Request

from gateway.entrypoints.schemas import TokenRequest

router = APIRouter(tags=["auth (dev)"])


@router.post("/v1/auth/token", summary="A token for a seeded demo user (password: demo)")
async def issue_token(body: TokenRequest, request: Request) -> dict:
    issuer = request.app.state.dev_issuer
    return issuer.issue(issuer.login(body.username, body.password))


@router.get("/.well-known/jwks.json", summary="The dev issuer's public keys")
async def jwks(request: Request) -> dict:
    return request.app.state.dev_issuer.jwks()
