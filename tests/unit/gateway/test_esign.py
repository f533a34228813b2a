"""The e-signature callback's signature check (gateway/esign.py)."""

from __future__ import annotations

import pytest
from gateway import esign
from pydantic import SecretStr

SECRETS = {"fadada": SecretStr("s3cret")}
BODY = b'{"provider_document_id": "FDD-1"}'
NOW = 1_800_000_000


def check(**overrides: object) -> None:
    given = {
        "provider": "fadada",
        "timestamp": str(NOW),
        "given": "sha256=" + esign.signature("s3cret", str(NOW), BODY),
        "body": BODY,
        "now": NOW + 10,
        "tolerance_s": 300,
    } | overrides
    esign.verify(SECRETS, **given)  # type: ignore[arg-type]


def test_the_providers_signature_over_timestamp_and_body_passes() -> None:
    check()
    check(given=esign.signature("s3cret", str(NOW), BODY).upper())  # hex in either case, prefix optional


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"provider": "docusign"}, "unknown"),
        ({"given": esign.signature("other", str(NOW), BODY)}, "does not match"),
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
