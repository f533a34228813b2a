"""E-signature callbacks: the provider signs each one with HMAC-SHA256 over
`<timestamp>.<raw body>` using the secret it shares with us (settings
esign_secrets, one per provider). The gateway checks it as it checks a
user's token — the signature is the caller's credential — before anything
is parsed: an unknown provider, a missing or wrong signature, or a
timestamp outside the tolerance (a replay) are 401 and reach no service.

Headers: X-Esign-Provider, X-Esign-Timestamp (Unix seconds),
X-Esign-Signature (hex digest, optionally prefixed "sha256=")."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from pydantic import SecretStr

PROVIDER_HEADER = "x-esign-provider"
TIMESTAMP_HEADER = "x-esign-timestamp"
SIGNATURE_HEADER = "x-esign-signature"


class BadSignature(Exception):
    pass


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(
    secrets: Mapping[str, SecretStr],
    *,
    provider: str,
    timestamp: str,
    given: str,
    body: bytes,
    now: float,
    tolerance_s: int,
) -> None:
    """Raises BadSignature saying why; returns when the callback is the provider's and fresh."""
    secret = secrets.get(provider)
    if secret is None or not secret.get_secret_value():
        raise BadSignature("unknown e-signature provider")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise BadSignature(f"{TIMESTAMP_HEADER} must be Unix seconds") from None
    if abs(now - sent_at) > tolerance_s:
        raise BadSignature(f"{TIMESTAMP_HEADER} is more than {tolerance_s} s from now")
    expected = signature(secret.get_secret_value(), timestamp, body)
    if not hmac.compare_digest(expected, given.removeprefix("sha256=").strip().lower()):
        raise BadSignature("the signature does not match")
