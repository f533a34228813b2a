"""SQL of pipelines, stage history, tasks, the board and the timers' scans.
Every query is scoped by tenant (the timers' scans find the tenants)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from crm_shared.domain.errors import AlreadyExists
from crm_shared.money import join_split_sums, split_sum_columns
from opportunity.adapters.orm import customers, opportunities, reps
from opportunity.adapters.queries import utc
from opportunity.adapters.orm_pipeline import pipelines, stage_stays, tasks
from opportunity.domain.model import Opportunity
from opportunity.domain.pipeline import BoardGroup, Gate, Pipeline, Stage, Stay
from opportunity.domain.timers import TaskDraft


def load_opportunity(row: sa.Row) -> Opportunity:
    return load_opportunity_mapping(dict(row._mapping))


def load_opportunity_mapping(data: dict[str, Any]) -> Opportunity:
    data = utc(data)
    data["flags"] = tuple(data.get("flags") or ())
    return Opportunity(**{k: data[k] for k in Opportunity.__dataclass_fields__})


def opportunity_values(opp: Opportunity) -> dict[str, Any]:
    values = asdict(opp)
    values["flags"] = list(opp.flags)
    return values


def _stages_json(stages: tuple[Stage, ...]) -> list[dict[str, Any]]:
    return [
        {
            "name": s.name,
            "probability": s.probability,
            "forecast_category": s.forecast_category,
            "gate": {
                "required_fields": list(s.gate.required_fields),
                "required_documents": list(s.gate.required_documents),
                "requires_approval": s.gate.requires_approval,
            },
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
            gate=Gate(
                required_fields=tuple(s["gate"]["required_fields"]),
                required_documents=tuple(s["gate"]["required_documents"]),
                requires_approval=s["gate"]["requires_approval"],
            ),
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

    async def occupied_stages(self, tenant_id: str, pipeline_id: str) -> set[str]:
        query = sa.select(opportunities.c.stage).distinct().where(
            opportunities.c.tenant_id == tenant_id,
            opportunities.c.pipeline_id == pipeline_id,
            opportunities.c.status == "open",
        )
        return set((await self.session.scalars(query)).all())


class PipelineOpportunityRepository:
    """Reads and whole-row writes of opportunities for pipeline work."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, opportunity_id: str, *, lock: bool = False) -> Opportunity | None:
        query = sa.select(opportunities).where(
            opportunities.c.tenant_id == tenant_id, opportunities.c.opportunity_id == opportunity_id
        )
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return load_opportunity(row) if row else None

    async def save(self, opp: Opportunity, *, before: Opportunity) -> None:
        """Write only what changed from `before` (the version the change was
        made on): a timer or consumer clearing a flag must not write back
        an owner, amount or stage another transaction changed meanwhile."""
        old = opportunity_values(before)
        values = {k: v for k, v in opportunity_values(opp).items() if old.get(k) != v}
        for key in ("opportunity_id", "tenant_id", "created_at"):
            values.pop(key, None)
        if not values:
            return
        await self.session.execute(
            sa.update(opportunities)
            .where(opportunities.c.tenant_id == opp.tenant_id, opportunities.c.opportunity_id == opp.opportunity_id)
            .values(**values)
        )

    async def customer_row(self, tenant_id: str, customer_id: str) -> dict[str, Any]:
        row = (
            await self.session.execute(
                sa.select(customers).where(customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id)
            )
        ).first()
        return utc(dict(row._mapping)) if row else {}

    async def add_stay(self, stay: Stay) -> None:
        await self.session.execute(sa.insert(stage_stays).values(**asdict(stay)))

    async def current_stay(self, tenant_id: str, opportunity_id: str) -> Stay | None:
        query = (
            sa.select(stage_stays)
            .where(
                stage_stays.c.tenant_id == tenant_id,
                stage_stays.c.opportunity_id == opportunity_id,
                stage_stays.c.left_at.is_(None),
            )
            .order_by(stage_stays.c.entered_at.desc(), stage_stays.c.stay_id.desc())
            .limit(1)
        )
        row = (await self.session.execute(query)).first()
        return Stay(**utc(dict(row._mapping))) if row else None

    async def end_stay(self, stay: Stay) -> None:
        await self.session.execute(
            sa.update(stage_stays)
            .where(stage_stays.c.stay_id == stay.stay_id)
            .values(left_at=stay.left_at, left_via=stay.left_via, reason=stay.reason)
        )

    async def stays(self, tenant_id: str, opportunity_id: str) -> list[Stay]:
        query = (
            sa.select(stage_stays)
            .where(stage_stays.c.tenant_id == tenant_id, stage_stays.c.opportunity_id == opportunity_id)
            .order_by(stage_stays.c.entered_at, stage_stays.c.stay_id)
        )
        return [Stay(**utc(dict(r._mapping))) for r in (await self.session.execute(query)).all()]

    async def board(
        self,
        tenant_id: str,
        pipeline_id: str,
        *,
        owner_ids: frozenset[str] | None,
        owner_id: str,
        team: str,
        region: str,
        product_line: str,
    ) -> list[BoardGroup]:
        """Count and exact amount sums per (status, stage), within scope and
        filters. The sums are taken in two parts (crm_shared.money), so no
        stored amount, however large, can make SQL overflow."""
        o = opportunities
        query = (
            sa.select(
                o.c.status,
                o.c.stage,
                sa.func.count().label("count"),
                *split_sum_columns(o.c.amount_minor, label="amount"),
                *split_sum_columns(o.c.amount_minor, weight=o.c.probability, label="weighted"),
            )
            .where(o.c.tenant_id == tenant_id, o.c.pipeline_id == pipeline_id)
            .group_by(o.c.status, o.c.stage)
        )
        if owner_ids is not None:
            query = query.where(o.c.owner_id.in_(owner_ids))
        if owner_id:
            query = query.where(o.c.owner_id == owner_id)
        if product_line:
            query = query.where(o.c.product_line == product_line)
        if team or region:
            r = reps
            members = sa.select(r.c.rep_id).where(r.c.tenant_id == tenant_id)
            if team:
                members = members.where(r.c.team == team)
            if region:
                members = members.where(r.c.region == region)
            query = query.where(o.c.owner_id.in_(members))
        return [
            BoardGroup(
                status=r.status,
                stage=r.stage,
                count=int(r.count),
                amount_minor=join_split_sums(r, "amount"),
                weighted_percent_minor=join_split_sums(r, "weighted"),
            )
            for r in (await self.session.execute(query)).all()
        ]

    # -- timers' scans (every tenant) --

    async def first_touch_overdue(self, now: datetime, limit: int) -> list[Opportunity]:
        query = (
            sa.select(opportunities)
            .where(opportunities.c.first_touch_due_at <= now, opportunities.c.status == "open")
            .order_by(opportunities.c.first_touch_due_at)
            .limit(limit)
        )
        return [load_opportunity(r) for r in (await self.session.execute(query)).all()]

    async def contracts_ending(self, first: date, last: date) -> list[Opportunity]:
        query = sa.select(opportunities).where(
            opportunities.c.contract_end_date >= first,
            opportunities.c.contract_end_date <= last,
            opportunities.c.status != "lost",
        )
        return [load_opportunity(r) for r in (await self.session.execute(query)).all()]

    async def dormant_customers(self, silent_since: datetime) -> list[dict[str, Any]]:
        c = customers
        last = sa.func.coalesce(c.c.last_interaction_at, c.c.created_at)
        query = sa.select(c).where(last <= silent_since)
        return [utc(dict(r._mapping)) for r in (await self.session.execute(query)).all()]

    async def open_opportunities_of_customers_with_follow_up(self) -> list[tuple[Opportunity, datetime | None]]:
        """Open opportunities with their customer's planned follow-up, for
        the ones planned or already flagged."""
        o, c = opportunities, customers
        query = (
            sa.select(o, c.c.next_follow_up_at.label("customer_next_follow_up_at"))
            .join(c, c.c.customer_id == o.c.customer_id)
            .where(o.c.status == "open")
            .where(sa.or_(c.c.next_follow_up_at.is_not(None), o.c.flags.cast(sa.String).like('%"follow_up_late"%')))
        )
        out = []
        for row in (await self.session.execute(query)).all():
            data = dict(row._mapping)
            planned = data.pop("customer_next_follow_up_at")
            out.append((load_opportunity_mapping(data), as_utc(planned) if planned else None))
        return out

    async def open_for_customer(self, tenant_id: str, customer_id: str) -> list[Opportunity]:
        query = sa.select(opportunities).where(
            opportunities.c.tenant_id == tenant_id,
            opportunities.c.customer_id == customer_id,
            opportunities.c.status == "open",
        )
        return [load_opportunity(r) for r in (await self.session.execute(query)).all()]

    async def manager_of(self, tenant_id: str, rep_id: str) -> str | None:
        query = sa.select(reps.c.manager_id).where(reps.c.tenant_id == tenant_id, reps.c.rep_id == rep_id)
        manager = await self.session.scalar(query)
        return manager or None


class TaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_unless_exists(self, tenant_id: str, task_id: str, draft: TaskDraft, now: datetime) -> bool:
        """False when a task for this occasion (draft.key) already exists."""
        exists = await self.session.scalar(
            sa.select(sa.func.count()).where(tasks.c.tenant_id == tenant_id, tasks.c.key == draft.key)
        )
        if exists:
            return False
        return await insert_unless_taken(
            self.session,
            sa.insert(tasks).values(
                task_id=task_id,
                tenant_id=tenant_id,
                owner_id=draft.owner_id,
                customer_id=draft.customer_id,
                opportunity_id=draft.opportunity_id,
                rule=draft.rule,
                title=draft.title,
                due_at=draft.due_at,
                state="open",
                created_at=now,
                key=draft.key,
            ),
        )

    async def get(self, tenant_id: str, task_id: str) -> dict[str, Any] | None:
        row = (
            await self.session.execute(
                sa.select(tasks).where(tasks.c.tenant_id == tenant_id, tasks.c.task_id == task_id)
            )
        ).first()
        return utc(dict(row._mapping)) if row else None

    async def complete(self, tenant_id: str, task_id: str, by: str, now: datetime) -> bool:
        result = await self.session.execute(
            sa.update(tasks)
            .where(tasks.c.tenant_id == tenant_id, tasks.c.task_id == task_id, tasks.c.state == "open")
            .values(state="done", completed_at=now, completed_by=by)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def list(
        self,
        tenant_id: str,
        *,
        owner_ids: frozenset[str] | None,
        state: str,
        owner_id: str,
        opportunity_id: str,
        customer_id: str,
        limit: int = 500,
    ) -> list[dict[str, Any]]:
        query = sa.select(tasks).where(tasks.c.tenant_id == tenant_id)
        if owner_ids is not None:
            query = query.where(tasks.c.owner_id.in_(owner_ids))
        for column, value in (
            (tasks.c.state, state),
            (tasks.c.owner_id, owner_id),
            (tasks.c.opportunity_id, opportunity_id),
            (tasks.c.customer_id, customer_id),
        ):
            if value:
                query = query.where(column == value)
        query = query.order_by(tasks.c.due_at, tasks.c.task_id).limit(limit)
        return [utc(dict(r._mapping)) for r in (await self.session.execute(query)).all()]
