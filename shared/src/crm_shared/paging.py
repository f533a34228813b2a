"""Opaque page tokens for keyset pagination over (created_at, id)."""

from __future__ import annotations

import base64
import json
from datetime import datetime

from crm_shared.domain.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


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
        return datetime.fromisoformat(created), str(row_id)
    except Exception as exc:
        raise InvalidArgument.field("page_token", "is not a token this API issued") from exc
