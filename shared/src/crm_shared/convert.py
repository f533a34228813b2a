"""Small translations between protobuf well-known types and Python values,
used by every service's entrypoints."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from crm.common.v1.common_pb2 import Money


def timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value.astimezone(UTC))
    return ts


def from_timestamp(value: Timestamp, present: bool) -> datetime | None:
    return value.ToDatetime(tzinfo=UTC) if present else None


def money(amount_minor: int | None, currency: str = "CNY") -> Money | None:
    return None if amount_minor is None else Money(amount_minor=amount_minor, currency=currency)
