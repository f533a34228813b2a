"""The e-signature callback's signature check (gateway/esign.py) and its
secrets setting (GATEWAY_ESIGN_SECRETS, one secret per tenant and provider)."""

from __future__ import annotations

import json

import pytest
from gateway import esign
from gateway.config import Settings
from pydantic import SecretStr, ValidationError

SECRETS = {
    "demo": {"fadada": SecretStr("s3cret"), "esign": SecretStr("demo-esign")},
    "other": {"fadada": SecretStr("other-s3cret")},
}
BODY = b'{"tenant_id": "demo", "provider_document_id": "FDD-1"}'
NOW = 1_800_000_000


def check(**overrides: object) -> None:
    given = {
        "tenant": "demo",
        "provider": "fadada",
        "timestamp": str(NOW),
        "given": "sha256=" + esign.signature("s3cret", str(NOW), BODY),
        "body": BODY,
        "now": NOW + 10,
        "tolerance_s": 300,
    } | overrides
    esign.verify(SECRETS, **given)  # type: ignore[arg-type]


def test_the_tenants_signature_for_the_provider_over_timestamp_and_body_passes() -> None:
    check()
    check(given=esign.signature("s3cret", str(NOW), BODY).upper())  # hex in either case, prefix optional
    check(provider="esign", given=esign.signature("demo-esign", str(NOW), BODY))


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"provider": "docusign"}, "no secret is configured"),
        ({"tenant": "acme"}, "no secret is configured"),  # a tenant without a secret for any provider
        ({"tenant": "other", "provider": "esign"}, "no secret is configured"),  # the provider is another tenant's
        ({"tenant": ""}, "x-esign-tenant is required"),
        # Another tenant's secret, for the same provider, signs nothing in this tenant...
        ({"given": esign.signature("other-s3cret", str(NOW), BODY)}, "does not match"),
        # ...nor does naming that tenant make this tenant's signature pass there.
        ({"tenant": "other"}, "does not match"),
        ({"given": esign.signature("demo-esign", str(NOW), BODY)}, "does not match"),  # another provider's
        ({"body": BODY + b" "}, "does not match"),
        ({"timestamp": str(NOW - 1)}, "does not match"),  # the timestamp is signed too
        ({"now": NOW + 301}, "from now"),
        ({"now": NOW - 301}, "from now"),
        ({"timestamp": "yesterday"}, "Unix seconds"),
        ({"given": ""}, "does not match"),
    ],
)
def test_anything_else_is_refused_saying_why(overrides: dict, why: str) -> None:
    with pytest.raises(esign.BadSignature, match=why):
        check(**overrides)


@pytest.mark.parametrize(
    ("timestamp", "why"),
    [
        ("", "x-esign-timestamp must be Unix seconds"),
        ("1_800_000_000", "x-esign-timestamp must be Unix seconds"),
        ("+1800000000", "x-esign-timestamp must be Unix seconds"),
        ("-1800000000", "x-esign-timestamp must be Unix seconds"),
        ("１８０００００００００", "x-esign-timestamp must be Unix seconds"),  # full-width digits
        ("1.8e9", "x-esign-timestamp must be Unix seconds"),
        ("9" * 400, "x-esign-timestamp is more than 300 s from now"),  # past what a float holds
        ("9" * 5000, "x-esign-timestamp is more than 300 s from now"),  # past int()'s digit limit
    ],
)
def test_a_timestamp_a_client_can_send_is_refused_naming_the_header(timestamp: str, why: str) -> None:
    # Signed with the tenant's secret and checked at the route's float now: each refused, none raising anything else.
    with pytest.raises(esign.BadSignature, match=why):
        check(timestamp=timestamp, given=esign.signature("s3cret", timestamp, BODY), now=NOW + 10.5)


@pytest.mark.parametrize("given", ["é" * 64, "sha256=" + "中" * 64, "\x00" * 64])
def test_a_signature_of_other_characters_does_not_match(given: str) -> None:
    with pytest.raises(esign.BadSignature, match="does not match"):
        check(given=given)


def test_a_refusal_does_not_tell_which_tenants_have_a_secret() -> None:
    with pytest.raises(esign.BadSignature) as unknown_tenant:
        check(tenant="acme")
    with pytest.raises(esign.BadSignature) as unknown_provider:
        check(provider="docusign")
    assert str(unknown_tenant.value) == str(unknown_provider.value)
    assert "acme" not in str(unknown_tenant.value)


def test_the_secrets_load_from_one_json_value_keyed_by_tenant_then_provider(monkeypatch) -> None:
    # What a Kubernetes Secret's key holds, given to the gateway as GATEWAY_ESIGN_SECRETS.
    secrets = {"demo": {"fadada": "demo-fdd", "esign": "demo-esign"}, "acme": {"fadada": "acme-fdd"}}
    monkeypatch.setenv("GATEWAY_ESIGN_SECRETS", json.dumps(secrets))
    loaded = Settings(dev_auth=True).esign_secrets
    assert {t: {p: s.get_secret_value() for p, s in ps.items()} for t, ps in loaded.items()} == secrets
    assert "demo-fdd" not in repr(loaded)  # secrets stay out of logs and tracebacks


@pytest.mark.parametrize(
    ("value", "why"),
    [
        # The former provider -> secret form (one secret for every tenant) stops the process saying so.
        ({"fadada": "one-secret-for-all"}, "provider -> secret map"),
        ({"demo": {"fadada": ""}}, "secret is empty"),
        ({"demo": {"": "s3cret"}}, "provider name is empty"),
        ({" ": {"fadada": "s3cret"}}, "tenant id is empty"),
        ({"demo": ["fadada"]}, "esign_secrets"),
    ],
)
def test_a_malformed_secrets_value_stops_the_gateway_naming_it(monkeypatch, value: object, why: str) -> None:
    monkeypatch.setenv("GATEWAY_ESIGN_SECRETS", json.dumps(value))
    with pytest.raises(ValidationError, match=why) as refused:
        Settings(dev_auth=True)
    assert "esign_secrets" in str(refused.value)
    assert "one-secret-for-all" not in str(refused.value)
