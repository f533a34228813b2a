"""SQL of opportunities with their stage history (`stage_stays`) and the
approval decisions recorded on them; the board's sums and the timers' scans.
Every query is scoped by tenant (the timers' scans find the tenants)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.money import join_split_sums, split_sum_columns
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.opportunities import approval_decisions, opportunities, stage_stays
from opportunity.adapters.orm.reps import reps
from opportunity.adapters.rows import in_scope, keyset_page, load, utc
from opportunity.domain.access import Scope
from opportunity.domain.opportunity import ApprovalDecision, ListFilter, Opportunity
from opportunity.domain.pipeline import BoardGroup
from opportunity.domain.stage_history import Stay


def _load(row: sa.Row | dict[str, Any]) -> Opportunity:
    data = utc(dict(row._mapping) if isinstance(row, sa.Row) else row)
    data["flags"] = tuple(data.get("flags") or ())
    return Opportunity(**{k: data[k] for k in Opportunity.__dataclass_fields__})


def _values(opp: Opportunity) -> dict[str, Any]:
    values = asdict(opp)
    values["flags"] = list(opp.flags)
    return values


def _owned(query: sa.Select, tenant_id: str, owner_id: str, team: str, region: str, product_line: str) -> sa.Select:
    """The board's filters: an owner, the owners of a team or region (their rep profiles), a product line."""
    o = opportunities
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
    return query


class OpportunityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _all(self, query: sa.Select) -> list[Opportunity]:
        return [_load(r) for r in (await self.session.execute(query)).all()]

    async def add(self, opportunity: Opportunity) -> None:
        await self.session.execute(sa.insert(opportunities).values(**_values(opportunity)))

    async def get(self, tenant_id: str, opportunity_id: str, *, lock: bool = False) -> Opportunity | None:
        query = sa.select(opportunities).where(
            opportunities.c.tenant_id == tenant_id, opportunities.c.opportunity_id == opportunity_id
        )
        if lock:
            query = query.with_for_update()
        found = await self._all(query)
        return found[0] if found else None

    async def by_lead(self, tenant_id: str, lead_id: str) -> Opportunity | None:
        query = sa.select(opportunities).where(
            opportunities.c.tenant_id == tenant_id, opportunities.c.lead_id == lead_id
        )
        found = await self._all(query.limit(1))
        return found[0] if found else None

    async def list(
        self, scope: Scope, *, lead_id: str, limit: int, after: tuple | None, where: ListFilter | None = None
    ) -> list[Opportunity]:
        if scope.is_empty:
            return []
        query = sa.select(opportunities).where(*in_scope(opportunities, scope))
        if lead_id:
            query = query.where(opportunities.c.lead_id == lead_id)
        if where:
            for column, value in (
                (opportunities.c.pipeline_id, where.pipeline_id),
                (opportunities.c.stage, where.stage),
                (opportunities.c.status, where.status),
                (opportunities.c.customer_id, where.customer_id),
            ):
                if value:
                    query = query.where(column == value)
            query = _owned(query, scope.tenant_id, where.owner_id, where.team, where.region, where.product_line)
        return await self._all(
            keyset_page(query, opportunities.c.created_at, opportunities.c.opportunity_id, after, limit)
        )

    async def save(self, opp: Opportunity, *, before: Opportunity) -> None:
        """Write only what changed from `before` (the version the change was
        made on): a timer or consumer clearing a flag must not write back
        an owner, amount or stage another transaction changed meanwhile."""
        old = _values(before)
        values = {k: v for k, v in _values(opp).items() if old.get(k) != v}
        for key in ("opportunity_id", "tenant_id", "created_at"):
            values.pop(key, None)
        if not values:
            return
        await self.session.execute(
            sa.update(opportunities)
            .where(opportunities.c.tenant_id == opp.tenant_id, opportunities.c.opportunity_id == opp.opportunity_id)
            .values(**values)
        )

    async def of_customers(self, tenant_id: str, customer_ids: list[str]) -> list[str]:
        query = sa.select(opportunities.c.opportunity_id).where(
            opportunities.c.tenant_id == tenant_id, opportunities.c.customer_id.in_(customer_ids)
        )
        return list((await self.session.scalars(query)).all())

    async def move_customers(self, tenant_id: str, customer_ids: list[str], to_owner: str, now: datetime) -> int:
        """The opportunities of customers given to another owner go with them; how many."""
        result = await self.session.execute(
            sa.update(opportunities)
            .where(opportunities.c.tenant_id == tenant_id, opportunities.c.customer_id.in_(customer_ids))
            .values(owner_id=to_owner, updated_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def open_for_customer(self, tenant_id: str, customer_id: str) -> list[Opportunity]:
        return await self._all(
            sa.select(opportunities).where(
                opportunities.c.tenant_id == tenant_id,
                opportunities.c.customer_id == customer_id,
                opportunities.c.status == "open",
            )
        )

    async def occupied_stages(self, tenant_id: str, pipeline_id: str) -> set[str]:
        """The stages of a pipeline that hold open opportunities."""
        query = (
            sa.select(opportunities.c.stage)
            .distinct()
            .where(
                opportunities.c.tenant_id == tenant_id,
                opportunities.c.pipeline_id == pipeline_id,
                opportunities.c.status == "open",
            )
        )
        return set((await self.session.scalars(query)).all())

    # --- stage history ------------------------------------------------------------

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
        return load(Stay, row) if row else None

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
        return [load(Stay, r) for r in (await self.session.execute(query)).all()]

    # --- approval decisions ---------------------------------------------------------

    async def add_decision(self, decision: ApprovalDecision) -> None:
        await self.session.execute(sa.insert(approval_decisions).values(**asdict(decision)))

    async def decision_recorded(self, tenant_id: str, approval_id: str) -> bool:
        query = sa.select(sa.func.count()).where(
            approval_decisions.c.tenant_id == tenant_id, approval_decisions.c.approval_id == approval_id
        )
        return bool(await self.session.scalar(query))

    async def decisions(self, tenant_id: str, ids: set[str]) -> dict[str, list[ApprovalDecision]]:
        if not ids:
            return {}
        query = (
            sa.select(approval_decisions)
            .where(approval_decisions.c.tenant_id == tenant_id, approval_decisions.c.opportunity_id.in_(ids))
            .order_by(approval_decisions.c.decided_at, approval_decisions.c.approval_id)
        )
        found: dict[str, list[ApprovalDecision]] = defaultdict(list)
        for row in (await self.session.execute(query)).all():
            found[row.opportunity_id].append(load(ApprovalDecision, row))
        return found

    # --- the board ------------------------------------------------------------------

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
        query = _owned(query, tenant_id, owner_id, team, region, product_line)
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

    # --- the timers' scans (every tenant) --------------------------------------------

    async def first_touch_overdue(self, now: datetime, limit: int) -> list[Opportunity]:
        return await self._all(
            sa.select(opportunities)
            .where(opportunities.c.first_touch_due_at <= now, opportunities.c.status == "open")
            .order_by(opportunities.c.first_touch_due_at)
            .limit(limit)
        )

    async def contracts_ending(self, first: date, last: date) -> list[Opportunity]:
        return await self._all(
            sa.select(opportunities).where(
                opportunities.c.contract_end_date >= first,
                opportunities.c.contract_end_date <= last,
                opportunities.c.status != "lost",
            )
        )

    async def open_with_customer_follow_up(self) -> list[tuple[Opportunity, datetime | None]]:
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
            out.append((_load(data), as_utc(planned) if planned else None))
        return out
