"""Row helpers every repository of this service shares: times as UTC (SQLite
hands them back naive), rows as domain dataclasses, scope and keyset paging."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc

from opportunity.domain.access import Scope


def utc(data: dict[str, Any]) -> dict[str, Any]:
    """SQLite hands datetimes back naive; everything stored is UTC."""
    return {k: as_utc(v) if isinstance(v, datetime) else v for k, v in data.items()}


def load(cls: type, row: sa.Row) -> Any:
    """A domain dataclass from a row (columns the class does not name are ignored)."""
    names = {f.name for f in fields(cls)}
    return cls(**utc({k: v for k, v in row._mapping.items() if k in names}))


def columns(cls: type, obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The column values of a domain dataclass (fields named in `skip` left out)."""
    return {f.name: getattr(obj, f.name) for f in fields(cls) if f.name not in skip}


def in_scope(table: sa.Table, scope: Scope) -> list[sa.ColumnElement[bool]]:
    """The rows of `table` (with tenant_id and owner_id) the scope covers."""
    conditions: list[sa.ColumnElement[bool]] = [table.c.tenant_id == scope.tenant_id]
    if scope.owner_ids is not None:
        conditions.append(table.c.owner_id.in_(sorted(scope.owner_ids)))
    return conditions


def keyset_page(query: sa.Select, created: sa.Column, row_id: sa.Column, after: tuple | None, limit: int) -> sa.Select:
    """Oldest first, from after the (created, id) page token."""
    if after:
        at, last_id = after
        query = query.where(
            sa.tuple_(created, row_id) > sa.tuple_(sa.literal(at, sa.DateTime(timezone=True)), sa.literal(last_id))
        )
    return query.order_by(created, row_id).limit(limit)
