"""Migration 0002 carries the one-decision `approvals` table into the
engine's: a decided request is kept as it was (readable by the engine's
repository), a pending one, which has no tasks to go on with, is kept as
voided saying why; the downgrade gives the old table back (empty: the
engine's requests do not fit it)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from approval.adapters.approval_repository import ApprovalRepository
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.infra import ROOT

WHEN = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def _alembic(url: str, action: str, revision: str) -> None:
    config = Config(str(ROOT / "services" / "approval" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    getattr(command, action)(config, revision)


async def test_old_requests_are_carried_into_the_engines_tables(database_url: str) -> None:
    await asyncio.to_thread(_alembic, database_url, "upgrade", "0001")
    engine = create_async_engine(database_url)
    old = sa.table("approvals", *(sa.column(c) for c in (
        "approval_id", "tenant_id", "subject_type", "subject_id", "document_version_id", "reason", "status",
        "requested_by", "decided_by", "comment", "requested_at", "decided_at")))
    async with engine.begin() as conn:
        await conn.execute(sa.insert(old), [
            {"approval_id": "a-approved", "tenant_id": "t", "subject_type": "opportunity", "subject_id": "o-1",
             "document_version_id": None, "reason": "折扣 8%", "status": "approved", "requested_by": "rep-1",
             "decided_by": "mgr-1", "comment": "同意", "requested_at": WHEN, "decided_at": WHEN},
            {"approval_id": "a-pending", "tenant_id": "t", "subject_type": "opportunity", "subject_id": "o-2",
             "document_version_id": "v-1", "reason": "底价以下", "status": "pending", "requested_by": "rep-1",
             "decided_by": None, "comment": "", "requested_at": WHEN, "decided_at": None},
        ])
    try:
        await asyncio.to_thread(_alembic, database_url, "upgrade", "head")
        async with engine.connect() as conn:
            repo = ApprovalRepository(conn)  # type: ignore[arg-type] - reads only
            approved = await repo.get("t", "a-approved")
            pending = await repo.get("t", "a-pending")
            history = await repo.history_of("t", "a-pending")
        assert approved is not None and pending is not None
        assert (approved.status, approved.kind, approved.decided_by, approved.decision_comment, approved.title) == (
            "approved", "quote", "mgr-1", "同意", "折扣 8%")
        assert approved.requested_at == WHEN and approved.policy.stages[0].steps[0].approvers.kind == "manager"
        assert (pending.status, pending.document_version_id) == ("voided", "v-1")
        assert [(h.action, h.actor) for h in history] == [("voided", "system")]
        await asyncio.to_thread(_alembic, database_url, "downgrade", "0001")
        async with engine.connect() as conn:
            assert (await conn.execute(sa.text("SELECT count(*) FROM approvals"))).scalar() == 0
    finally:
        await engine.dispose()
