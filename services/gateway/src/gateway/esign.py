"""E-signature callbacks. Each tenant has its own account with a provider, so
the secret is per (tenant, provider) (settings esign_secrets, JSON
{"<tenant>": {"<provider>": "<secret>"}}): the callback names its tenant in
X-Esign-Tenant and is signed with that tenant's secret for that provider —
HMAC-SHA256 over `<timestamp>.<raw body>`. One tenant's secret (or a leak of
it) therefore verifies nothing for another tenant, and the body's tenant_id
must be the header's (checked by the route once the body is parsed).

The gateway checks the signature as it checks a user's token — it is the
caller's credential — before anything is parsed: a tenant or provider without
a secret, a missing or wrong signature, or a timestamp outside the tolerance
(a replay) are 401 and reach no service.

Headers: X-Esign-Tenant, X-Esign-Provider, X-Esign-Timestamp (Unix seconds),
X-Esign-Signature (hex digest, optionally prefixed "sha256=")."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from pydantic import SecretStr

TENANT_HEADER = "x-esign-tenant"
PROVIDER_HEADER = "x-esign-provider"
TIMESTAMP_HEADER = "x-esign-timestamp"
SIGNATURE_HEADER = "x-esign-signature"
MAX_TIMESTAMP_DIGITS = 15

# tenant -> provider -> the secret that tenant's account with the provider signs with.
Secrets = Mapping[str, Mapping[str, SecretStr]]


class BadSignature(Exception):
    pass


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(
    secrets: Secrets,
    *,
    tenant: str,
    provider: str,
    timestamp: str,
    given: str,
    body: bytes,
    now: float,
    tolerance_s: int,
) -> None:
    """Raises BadSignature saying why; returns when the callback is signed with the
    tenant's secret for the provider and is fresh."""
    if not tenant:
        raise BadSignature(f"{TENANT_HEADER} is required")
    # Neither header is echoed: the answer must not tell which tenants have a secret.
    secret = secrets.get(tenant, {}).get(provider)
    if secret is None or not secret.get_secret_value():
        raise BadSignature(f"no secret is configured for this {TENANT_HEADER} and {PROVIDER_HEADER}")
    # ASCII digits only: int() would also take "1_800_000_000", "+1800000000", padding and other scripts' digits.
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise BadSignature(f"{TIMESTAMP_HEADER} must be Unix seconds (ASCII digits)")
    # A number too long for a float to hold exactly is far from now anyway (and would overflow the subtraction).
    if len(timestamp) > MAX_TIMESTAMP_DIGITS or abs(now - int(timestamp)) > tolerance_s:
        raise BadSignature(f"{TIMESTAMP_HEADER} is more than {tolerance_s} s from now")
    expected = signature(secret.get_secret_value(), timestamp, body)
    sent = given.removeprefix("sha256=").strip().lower()
    # compare_digest refuses str with non-ASCII characters; a hex digest has none.
    if not (sent.isascii() and hmac.compare_digest(expected, sent)):
        raise BadSignature("the signature does not match")


def check_secrets(value: object) -> object:
    """Settings validation (before parsing): the former provider -> secret form is
    refused by name rather than read as something else."""
    if isinstance(value, Mapping) and any(isinstance(v, str) for v in value.values()):
        raise ValueError(
            'must map each tenant to its providers\' secrets, {"<tenant>": {"<provider>": "<secret>"}}; '
            "a provider -> secret map (one secret for every tenant) is no longer accepted"
        )
    return value


def check_complete(secrets: Secrets) -> None:
    """Settings validation (after parsing): no empty tenant, provider or secret."""
    for tenant, providers in secrets.items():
        if not tenant.strip():
            raise ValueError("a tenant id is empty")
        for provider, secret in providers.items():
            if not provider.strip():
                raise ValueError(f"tenant {tenant!r}: a provider name is empty")
            if not secret.get_secret_value():
                raise ValueError(f"tenant {tenant!r}, provider {provider!r}: the secret is empty")
