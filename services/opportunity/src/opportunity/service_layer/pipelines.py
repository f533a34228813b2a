"""Use cases of pipelines: define, redefine (never dropping a stage that
still holds open opportunities), read, and the board of one within the
caller's scope."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crm_shared.context import Caller
from crm_shared.ids import new_id

from opportunity.domain import pipeline as rules
from opportunity.domain.pipeline import Pipeline, Stage
from opportunity.service_layer.common import find_pipeline, scope_of
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]


@dataclass(frozen=True)
class BoardColumn:
    stage: str
    forecast_category: str
    count: int
    amount_minor: int
    weighted_minor: int


@dataclass(frozen=True)
class Board:
    pipeline_id: str
    columns: list[BoardColumn]
    won_count: int
    won_amount_minor: int
    lost_count: int


class PipelineHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def create(self, caller: Caller, name: str, product_line: str, stages: Sequence[Stage]) -> Pipeline:
        caller.require_role(*rules.PIPELINE_EDITORS)
        async with self.uow() as uow:
            pipeline = rules.define_pipeline(
                pipeline_id=new_id(),
                tenant_id=caller.tenant_id,
                name=name,
                product_line=product_line,
                stages=stages,
                now=uow.clock.now(),
            )
            await uow.pipelines.add(pipeline)
            await uow.commit()
        return pipeline

    async def update(
        self, caller: Caller, pipeline_id: str, name: str, product_line: str, stages: Sequence[Stage]
    ) -> Pipeline:
        caller.require_role(*rules.PIPELINE_EDITORS)
        async with self.uow() as uow:
            current = await find_pipeline(uow, caller.tenant_id, pipeline_id)
            updated = rules.define_pipeline(
                pipeline_id=current.pipeline_id,
                tenant_id=current.tenant_id,
                name=name,
                product_line=product_line,
                stages=stages,
                now=uow.clock.now(),
                created_at=current.created_at,
            )
            rules.check_stages_kept(updated, await uow.opportunities.occupied_stages(caller.tenant_id, pipeline_id))
            await uow.pipelines.update(updated)
            await uow.commit()
        return updated

    async def get(self, caller: Caller, pipeline_id: str) -> Pipeline:
        caller.require_role(*rules.PIPELINE_READERS)
        async with self.uow() as uow:
            return await find_pipeline(uow, caller.tenant_id, pipeline_id)

    async def list(self, caller: Caller) -> list[Pipeline]:
        caller.require_role(*rules.PIPELINE_READERS)
        async with self.uow() as uow:
            return await uow.pipelines.list(caller.tenant_id)

    async def board(
        self, caller: Caller, pipeline_id: str, *, owner_id: str, team: str, region: str, product_line: str
    ) -> Board:
        """Open opportunities per stage, won and lost across stages, within the caller's scope."""
        caller.require_role(*rules.PIPELINE_READERS)
        async with self.uow() as uow:
            pipeline = await find_pipeline(uow, caller.tenant_id, pipeline_id)
            scope = await scope_of(uow, caller)
            groups = await uow.opportunities.board(
                caller.tenant_id,
                pipeline.pipeline_id,
                owner_ids=scope.owner_ids,
                owner_id=owner_id.strip(),
                team=team.strip(),
                region=region.strip(),
                product_line=product_line.strip(),
            )
        totals = rules.board_totals(pipeline, groups)
        return Board(
            pipeline_id=pipeline.pipeline_id,
            columns=[
                BoardColumn(stage.name, stage.forecast_category, count, amount, weighted)
                for stage, count, amount, weighted in totals.columns
            ],
            won_count=totals.won_count,
            won_amount_minor=totals.won_amount_minor,
            lost_count=totals.lost_count,
        )
