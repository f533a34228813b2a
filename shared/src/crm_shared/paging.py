"""Opaque page tokens for keyset pagination: over (created_at, id) with
encode_token/decode_token, or over any sort key with encode_key/decode_key
(e.g. (score, id) or (name, id)); the row id always breaks ties.

    token = encode_key([lead.score, lead.name], lead.lead_id)
    after = decode_key(request.page_token, arity=2)  # ((score, name), id) or None

A token the API did not issue is INVALID_ARGUMENT naming page_token before
any query runs."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime

from crm_shared.domain.errors import InvalidArgument
from crm_shared.text import refused_character

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_TOKEN_ID = 200
MAX_TOKEN_TEXT = 1000  # characters of one text value of a sort key
# A sort key's integer fits every database's BIGINT.
MIN_TOKEN_INT, MAX_TOKEN_INT = -(2**63), 2**63 - 1
# Characters of a whole page token: room for a keyset key of a few values and an id, base64-encoded.
MAX_TOKEN_LENGTH = 2000

KeyValue = str | int | float


def page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidArgument.field("page_size", "must not be negative")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def encode_token(created_at: datetime, row_id: str) -> str:
    raw = json.dumps([created_at.isoformat(), row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_token(token: str) -> tuple[datetime, str] | None:
    if not token:
        return None
    try:
        created, row_id = json.loads(base64.urlsafe_b64decode(token.encode()))
        # What encode_token writes: a time within the range of every database
        # and a text id; a made-up token never reaches a query.
        at = datetime.fromisoformat(created)
        if at.tzinfo is not None:
            at.astimezone(UTC)  # OverflowError past year 9999 or before year 1 in UTC
        _check_id(row_id)
        return at, row_id
    except Exception as exc:
        raise InvalidArgument.field("page_token", "is not a token this API issued") from exc


def encode_key(values: Sequence[KeyValue], row_id: str) -> str:
    """A token for the page after the row whose sort key is `values`."""
    raw = json.dumps([list(values), row_id], ensure_ascii=False, allow_nan=False).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_key(token: str, arity: int) -> tuple[tuple[KeyValue, ...], str] | None:
    """The sort key (`arity` values) and id a token was made from; None for no token."""
    if not token:
        return None
    try:
        values, row_id = json.loads(base64.urlsafe_b64decode(token.encode()))
        if not isinstance(values, list) or len(values) != arity or not all(map(_key_value, values)):
            raise ValueError("not a sort key")
        _check_id(row_id)
        return tuple(values), row_id
    except Exception as exc:
        raise InvalidArgument.field("page_token", "is not a token this API issued") from exc


def _key_value(value: object) -> bool:
    """What encode_key writes, and what every database compares without failing."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return MIN_TOKEN_INT <= value <= MAX_TOKEN_INT
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str) and len(value) <= MAX_TOKEN_TEXT and refused_character(value) is None


def _check_id(row_id: object) -> None:
    if not isinstance(row_id, str) or len(row_id) > MAX_TOKEN_ID or refused_character(row_id):
        raise ValueError("not an id")
