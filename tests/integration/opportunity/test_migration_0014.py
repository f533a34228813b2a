"""Migration 0014 on a database with a high-intent episode: the episode, whose
rep was told as it entered, reads back as notified (at its entry), so the
tool-pack sweep never sends it again; an episode entered afterwards is pending
until the sweep sends it; downgrade drops the mark."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from opportunity.adapters.intent_repository import IntentRepository
from opportunity.adapters.orm.intent import high_intents
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from tests.support.infra import ROOT

ENTERED = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def _alembic(url: str, verb: str, revision: str) -> None:
    config = Config(str(ROOT / "services" / "opportunity" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    getattr(command, verb)(config, revision)


async def test_episodes_entered_before_the_sweep_read_as_notified(database_url: str) -> None:
    await asyncio.to_thread(_alembic, database_url, "upgrade", "0012")
    engine = create_async_engine(database_url)
    try:
        # The table as 0011 made it (without notified_at).
        before = sa.table(
            "high_intents", *(sa.column(c.name, c.type) for c in high_intents.c if c.name != "notified_at")
        )
        async with engine.begin() as conn:
            await conn.execute(
                sa.insert(before).values(
                    intent_id="i-1",
                    tenant_id="t",
                    customer_id="c-1",
                    opportunity_id="o-1",
                    owner_id="zhangwei",
                    entered_at=ENTERED,
                    signals=[],
                    tool_pack=[{"document_id": "d-1", "title": "竞品对比话术", "tags": ["高意向"]}],
                    proposal_due_at=ENTERED,
                    proposal_state="running",
                )
            )
        await asyncio.to_thread(_alembic, database_url, "upgrade", "0014")
        async with AsyncSession(engine) as session:
            repo = IntentRepository(session)
            old = await repo.get("t", "i-1")
            assert old is not None and old.notified_at == ENTERED
            assert [e.title for e in old.tool_pack] == ["竞品对比话术"]
            assert await repo.unnotified(10) == []
            new = replace(old, intent_id="i-2", customer_id="c-2", notified_at=None, tool_pack=())
            assert await repo.add_unless_taken(new)
            assert [i.intent_id for i in await repo.unnotified(10)] == ["i-2"]
            await session.commit()
        await asyncio.to_thread(_alembic, database_url, "downgrade", "0012")
        async with engine.connect() as conn:
            columns = await conn.run_sync(lambda c: {col["name"] for col in sa.inspect(c).get_columns("high_intents")})
        assert "notified_at" not in columns and "tool_pack" in columns
    finally:
        await engine.dispose()
