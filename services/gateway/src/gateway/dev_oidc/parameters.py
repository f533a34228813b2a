"""Reading and checking the parameters of the dev issuer's authorisation and token requests."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import Request

from gateway.problems import Problem

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
