"""The dev issuer's OpenID provider metadata (/.well-known/openid-configuration)."""

from __future__ import annotations

from typing import Any

from fastapi import Request


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
