"""Keyset tokens over any sort key: what encode_key writes decode_key reads
back; anything else is INVALID_ARGUMENT naming page_token."""

import base64
import json

import pytest
from crm_shared.domain.errors import InvalidArgument
from crm_shared.paging import decode_key, decode_token, encode_key, encode_token


def raw(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def test_a_key_round_trips() -> None:
    token = encode_key([92.5, "华东机电", 3], "lead-1")
    assert decode_key(token, 3) == ((92.5, "华东机电", 3), "lead-1")
    assert decode_key("", 3) is None


@pytest.mark.parametrize(
    "token",
    [
        "not base64!",
        raw([[1], "x"]),  # arity 1, asked 2
        raw([[1, 2], 3]),  # id not text
        raw([[True, 2], "x"]),  # booleans are not sort keys
        raw([[2**63, 2], "x"]),  # past BIGINT
        raw([[[1], 2], "x"]),  # nested
        raw([["a\x00", 2], "x"]),  # control character
        raw([["a" * 1001, 2], "x"]),
        raw([[1, 2], "x" * 201]),
        raw({"a": 1}),
        base64.urlsafe_b64encode(b'[[NaN, 1], "x"]').decode(),
    ],
)
def test_a_made_up_key_token_is_refused(token: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        decode_key(token, 2)
    assert [v.field for v in err.value.violations] == ["page_token"]


def test_encode_key_refuses_non_finite_numbers() -> None:
    with pytest.raises(ValueError):
        encode_key([float("inf")], "x")


def test_created_at_tokens_still_work() -> None:
    from datetime import UTC, datetime

    at = datetime(2026, 3, 1, tzinfo=UTC)
    assert decode_token(encode_token(at, "c-1")) == (at, "c-1")
