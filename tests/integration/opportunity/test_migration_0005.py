"""Migration 0005 on a database with pipelines: a gate stored as
requires_approval asks for a quote approval afterwards (the kind every request
made before kinds had), read back through the repository; downgrade restores it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from opportunity.adapters.orm.opportunities import pipelines
from opportunity.adapters.pipeline_repository import PipelineRepository
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from tests.support.infra import ROOT


def _alembic(url: str, verb: str, revision: str) -> None:
    config = Config(str(ROOT / "services" / "opportunity" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    getattr(command, verb)(config, revision)


def _stage(name: str, approval: bool) -> dict:
    return {
        "name": name,
        "probability": 50,
        "forecast_category": "pipeline",
        "gate": {"required_fields": ["amount"], "required_documents": ["报价单"], "requires_approval": approval},
    }


async def test_a_gate_requiring_an_approval_asks_for_a_quote_after_the_migration(database_url: str) -> None:
    await asyncio.to_thread(_alembic, database_url, "upgrade", "0004")
    now = datetime(2026, 11, 20, tzinfo=UTC)
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.insert(pipelines).values(
                    pipeline_id="p-1",
                    tenant_id="t",
                    name="设备",
                    product_line="注塑机",
                    created_at=now,
                    updated_at=now,
                    stages=[_stage("方案报价", False), _stage("合同签署", True)],
                )
            )
        await asyncio.to_thread(_alembic, database_url, "upgrade", "0005")
        async with AsyncSession(engine) as session:
            pipeline = await PipelineRepository(session).get("t", "p-1")
        assert pipeline is not None
        assert [s.gate.approval_kinds for s in pipeline.stages] == [(), ("quote",)]
        assert pipeline.stages[1].gate.required_documents == ("报价单",)
        async with engine.connect() as conn:
            stored = (await conn.execute(sa.select(pipelines.c.stages))).scalar_one()
        assert [s["gate"]["approval_kinds"] for s in stored] == [[], ["quote"]]
        assert all("requires_approval" not in s["gate"] for s in stored)
        await asyncio.to_thread(_alembic, database_url, "downgrade", "0004")
        async with engine.connect() as conn:
            stored = (await conn.execute(sa.select(pipelines.c.stages))).scalar_one()
        assert [s["gate"]["requires_approval"] for s in stored] == [False, True]
    finally:
        await engine.dispose()
