"""All SQL of the gateway: the idempotency store."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import Database
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from gateway.adapters.orm import idempotency_keys as t
from gateway.idempotency import KeyScope, Record
from gateway.problems import Problem


def _where(scope: KeyScope) -> sa.ColumnElement[bool]:
    return sa.and_(t.c.tenant_id == scope.tenant_id, t.c.user_id == scope.user_id, t.c.key == scope.key)


class SqlIdempotencyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, scope: KeyScope, fp: str, now: datetime) -> Record | None:
        row = {"tenant_id": scope.tenant_id, "user_id": scope.user_id, "key": scope.key}
        try:
            async with self.db.engine.begin() as conn:
                await conn.execute(sa.insert(t).values(**row, fingerprint=fp, created_at=now))
            return None
        except IntegrityError:
            pass
        except SQLAlchemyError as exc:
            raise _unavailable() from exc
        try:
            async with self.db.engine.connect() as conn:
                found = (await conn.execute(sa.select(t).where(_where(scope)))).mappings().first()
        except SQLAlchemyError as exc:
            raise _unavailable() from exc
        if found is None:
            # Released between our insert and select: behave as "still running"
            # for one poll; the caller tries to claim again.
            return Record(fingerprint=fp, created_at=now)
        return Record(
            fingerprint=found["fingerprint"],
            created_at=as_utc(found["created_at"]),
            status_code=found["status_code"],
            content_type=found["content_type"] or "",
            body=found["body"] or b"",
        )

    async def take_over(self, scope: KeyScope, old: Record, fp: str, now: datetime) -> bool:
        async with self.db.engine.begin() as conn:
            result = await conn.execute(
                sa.update(t)
                .where(_where(scope), t.c.created_at == old.created_at)
                .values(fingerprint=fp, created_at=now, status_code=None, content_type=None, body=None)
                .values(completed_at=None)
            )
        return result.rowcount == 1

    async def complete(self, scope: KeyScope, status_code: int, content_type: str, body: bytes, now: datetime) -> None:
        async with self.db.engine.begin() as conn:
            await conn.execute(
                sa.update(t)
                .where(_where(scope))
                .values(status_code=status_code, content_type=content_type, body=body, completed_at=now)
            )

    async def release(self, scope: KeyScope) -> None:
        async with self.db.engine.begin() as conn:
            await conn.execute(sa.delete(t).where(_where(scope), t.c.status_code.is_(None)))


def _unavailable() -> Problem:
    return Problem(503, "the idempotency store is unavailable; retry later", slug="idempotency-store-unavailable")
