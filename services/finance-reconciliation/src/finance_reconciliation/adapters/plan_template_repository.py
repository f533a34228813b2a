"""SQL of the tenant's plan templates. One template per tenant and region:
the unique key settles two finance users adding one region at once."""

from __future__ import annotations

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.domain.errors import AlreadyExists
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.plans import plan_templates
from finance_reconciliation.domain.plan_template import PlanTemplate, TemplateTerm


def _template(row: sa.Row) -> PlanTemplate:
    return PlanTemplate(
        template_id=row.template_id,
        tenant_id=row.tenant_id,
        region=row.region,
        name=row.name,
        terms=tuple(TemplateTerm(t["name"], t["trigger"], t["days"], t["percent_bp"]) for t in row.terms),
        updated_by=row.updated_by,
        updated_at=as_utc(row.updated_at),
    )


def _values(template: PlanTemplate) -> dict:
    return {
        "region": template.region,
        "name": template.name,
        "terms": [
            {"name": t.name, "trigger": t.trigger, "days": t.days, "percent_bp": t.percent_bp} for t in template.terms
        ],
        "updated_by": template.updated_by,
        "updated_at": template.updated_at,
    }


def _taken(template: PlanTemplate) -> AlreadyExists:
    where = f"region {template.region}" if template.region else "the tenant default"
    return AlreadyExists(f"{where} already has a plan template; replace that one")


class PlanTemplateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_tenant(self, tenant_id: str) -> list[PlanTemplate]:
        query = (
            sa.select(plan_templates)
            .where(plan_templates.c.tenant_id == tenant_id)
            .order_by(plan_templates.c.region, plan_templates.c.template_id)
        )
        return [_template(r) for r in (await self.session.execute(query)).all()]

    async def get(self, tenant_id: str, template_id: str) -> PlanTemplate | None:
        query = sa.select(plan_templates).where(
            plan_templates.c.tenant_id == tenant_id, plan_templates.c.template_id == template_id
        )
        row = (await self.session.execute(query)).first()
        return _template(row) if row else None

    async def add(self, template: PlanTemplate) -> None:
        values = {"template_id": template.template_id, "tenant_id": template.tenant_id, **_values(template)}
        try:
            async with self.session.begin_nested():
                await self.session.execute(sa.insert(plan_templates).values(**values))
        except IntegrityError as exc:
            raise _taken(template) from exc

    async def replace(self, template: PlanTemplate) -> bool:
        """False when no such template (another tenant's, or deleted meanwhile)."""
        try:
            async with self.session.begin_nested():
                result = await self.session.execute(
                    sa.update(plan_templates)
                    .where(
                        plan_templates.c.tenant_id == template.tenant_id,
                        plan_templates.c.template_id == template.template_id,
                    )
                    .values(**_values(template))
                )
        except IntegrityError as exc:
            raise _taken(template) from exc
        return result.rowcount == 1

    async def delete(self, tenant_id: str, template_id: str) -> bool:
        result = await self.session.execute(
            sa.delete(plan_templates).where(
                plan_templates.c.tenant_id == tenant_id, plan_templates.c.template_id == template_id
            )
        )
        return result.rowcount == 1
