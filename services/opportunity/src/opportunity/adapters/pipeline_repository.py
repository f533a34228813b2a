"""SQL of pipelines (stages with their gates stored as JSON). Every query is
scoped by tenant."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from crm_shared.db import insert_unless_taken
from crm_shared.domain.errors import AlreadyExists
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.opportunities import pipelines
from opportunity.adapters.rows import utc
from opportunity.domain.gate import gate_from
from opportunity.domain.pipeline import Pipeline, Stage


def _stages_json(stages: tuple[Stage, ...]) -> list[dict[str, Any]]:
    return [
        {
            "name": s.name,
            "probability": s.probability,
            "forecast_category": s.forecast_category,
            "gate": {
                "required_fields": list(s.gate.required_fields),
                "required_documents": list(s.gate.required_documents),
                "approval_kinds": list(s.gate.approval_kinds),
            },
            "max_days": s.max_days,
            "playbook": list(s.playbook),
        }
        for s in stages
    ]


def _load_pipeline(row: sa.Row) -> Pipeline:
    data = utc(dict(row._mapping))
    data["stages"] = tuple(
        Stage(
            name=s["name"],
            probability=s["probability"],
            forecast_category=s["forecast_category"],
            # Rows written before migration 0005 said only requires_approval.
            gate=gate_from(
                s["gate"]["required_fields"],
                s["gate"]["required_documents"],
                s["gate"].get("approval_kinds", ()),
                s["gate"].get("requires_approval", False),
            ),
            # Rows written before migration 0012 have no allowed days.
            max_days=s.get("max_days"),
            # Rows written before the stage playbook recommend nothing.
            playbook=tuple(s.get("playbook", ())),
        )
        for s in data["stages"]
    )
    return Pipeline(**data)


class PipelineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, pipeline: Pipeline) -> None:
        values = asdict(pipeline) | {"stages": _stages_json(pipeline.stages)}
        if not await insert_unless_taken(self.session, sa.insert(pipelines).values(**values)):
            raise AlreadyExists(f"a pipeline named {pipeline.name} already exists in this tenant")

    async def update(self, pipeline: Pipeline) -> None:
        try:
            async with self.session.begin_nested():
                await self.session.execute(
                    sa.update(pipelines)
                    .where(pipelines.c.tenant_id == pipeline.tenant_id, pipelines.c.pipeline_id == pipeline.pipeline_id)
                    .values(
                        name=pipeline.name,
                        product_line=pipeline.product_line,
                        stages=_stages_json(pipeline.stages),
                        updated_at=pipeline.updated_at,
                    )
                )
        except IntegrityError as exc:
            raise AlreadyExists(f"a pipeline named {pipeline.name} already exists in this tenant") from exc

    async def get(self, tenant_id: str, pipeline_id: str) -> Pipeline | None:
        row = (
            await self.session.execute(
                sa.select(pipelines).where(pipelines.c.tenant_id == tenant_id, pipelines.c.pipeline_id == pipeline_id)
            )
        ).first()
        return _load_pipeline(row) if row else None

    async def list(self, tenant_id: str) -> list[Pipeline]:
        query = sa.select(pipelines).where(pipelines.c.tenant_id == tenant_id).order_by(pipelines.c.name)
        return [_load_pipeline(r) for r in (await self.session.execute(query)).all()]
