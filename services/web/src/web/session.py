"""Browser sessions: who is signed in and the token the console calls the
gateway with, in an encrypted HttpOnly cookie (Fernet). Nothing is kept on
the server, so any replica serves any browser and a restart signs nobody out."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from fastapi import Request

SESSION_COOKIE = "crm_session"
LOGIN_COOKIE = "crm_login"  # state, PKCE verifier and where to go, between /login and /auth/callback
LANG_COOKIE = "crm_lang"
LANGUAGES = ("zh_CN", "en")
# A session ends a minute before its token does, so no page is half-rendered with an expired token.
EXPIRY_MARGIN_S = 60
LOGIN_TTL_S = 600


@dataclass(frozen=True)
class Session:
    user_id: str
    tenant: str
    role: str
    name: str
    organisation: str
    token: str
    expires_at: float
    csrf: str

    @property
    def live(self) -> bool:
        return time.time() < self.expires_at - EXPIRY_MARGIN_S


class NotSignedIn(Exception):
    """Raised by the `session` dependency; answered with a redirect to /login (or HX-Redirect)."""


def load_keys(keys: str, key_path: str) -> MultiFernet:
    """The configured keys (first encrypts), else one generated once into key_path."""
    listed = [k.strip() for k in keys.split(",") if k.strip()]
    if not listed:
        if not key_path:
            raise ValueError("WEB_SESSION_KEYS or WEB_SESSION_KEY_PATH must be set")
        path = Path(key_path)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(Fernet.generate_key())
            path.chmod(0o600)
        listed = [path.read_text().strip()]
    return MultiFernet([Fernet(k) for k in listed])


class SessionCodec:
    def __init__(self, fernet: MultiFernet) -> None:
        self.fernet = fernet

    def seal(self, data: dict[str, Any]) -> str:
        return self.fernet.encrypt(json.dumps(data, separators=(",", ":")).encode()).decode()

    def open(self, value: str | None, ttl: int | None = None) -> dict[str, Any] | None:
        if not value or len(value) > 8192:
            return None
        try:
            return json.loads(self.fernet.decrypt(value.encode(), ttl=ttl))
        except (InvalidToken, ValueError):
            return None

    def session(self, request: Request) -> Session | None:
        data = self.open(request.cookies.get(SESSION_COOKIE))
        if not data:
            return None
        try:
            s = Session(**data)
        except TypeError:
            return None
        return s if s.live else None

    def seal_session(self, s: Session) -> str:
        return self.seal(asdict(s))


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or ""
    asked = asked.replace("-", "_")
    if asked in LANGUAGES:
        return asked
    if asked.lower().startswith("en"):
        return "en"
    return "zh_CN"


def session(request: Request) -> Session:
    """Dependency of every signed-in page."""
    s = request.state.session
    if s is None:
        raise NotSignedIn()
    return s
