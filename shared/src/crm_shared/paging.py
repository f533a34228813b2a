"""Opaque page tokens for keyset pagination over (created_at, id)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

from crm_shared.domain.errors import InvalidArgument
from crm_shared.text import refused_character

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_TOKEN_ID = 200


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
        if not isinstance(row_id, str) or len(row_id) > MAX_TOKEN_ID or refused_character(row_id):
            raise ValueError("not an id")
        return at, row_id
    except Exception as exc:
        raise InvalidArgument.field("page_token", "is not a token this API issued") from exc
