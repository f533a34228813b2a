"""Use cases of plan templates: finance and admins list, add, replace and
remove the tenant's templates by region; contract_signed asks
`with_template_terms` for the terms of a contract signed without any."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound
from crm_shared.ids import new_id

from finance_reconciliation.domain.access import RECORDERS
from finance_reconciliation.domain.contract import FinanceContract
from finance_reconciliation.domain.opportunity import Opportunity
from finance_reconciliation.domain.plan_template import (
    PlanTemplate,
    TemplateTerm,
    choose,
    contract_terms,
    validated,
)
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]


@dataclass(frozen=True)
class TemplateInput:
    region: str
    name: str
    terms: Sequence[TemplateTerm]


async def with_template_terms(
    uow: FinanceUnitOfWork, contract: FinanceContract, opportunity: Opportunity | None
) -> FinanceContract:
    """The contract as it is planned: its own terms, else the template of its
    opportunity's region (domain/plan_template.choose); unchanged when none fits."""
    if contract.terms:
        return contract
    templates = await uow.plan_templates.for_tenant(contract.tenant_id)
    province, region = (opportunity.province, opportunity.region) if opportunity else ("", "")
    template = choose(templates, province, region)
    return replace(contract, terms=contract_terms(template)) if template else contract


class PlanTemplateHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def listed(self, caller: Caller) -> list[PlanTemplate]:
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            return await uow.plan_templates.for_tenant(caller.tenant_id)

    async def create(self, caller: Caller, given: TemplateInput) -> PlanTemplate:
        """One per region (AlreadyExists): with regions being the provinces, the 大区 and the default, that
        bounds a tenant's templates too."""
        caller.require_role(*RECORDERS)
        region, name, terms = validated(given.region, given.name, given.terms)
        async with self.uow() as uow:
            template = PlanTemplate(
                new_id(), caller.tenant_id, region, name, terms, caller.user_id, uow.clock.now()
            )
            await uow.plan_templates.add(template)
            await uow.commit()
        return template

    async def replace(self, caller: Caller, template_id: str, given: TemplateInput) -> PlanTemplate:
        caller.require_role(*RECORDERS)
        region, name, terms = validated(given.region, given.name, given.terms)
        async with self.uow() as uow:
            template = PlanTemplate(
                template_id.strip(), caller.tenant_id, region, name, terms, caller.user_id, uow.clock.now()
            )
            if not await uow.plan_templates.replace(template):
                raise NotFound(f"plan template {template_id} not found")
            await uow.commit()
        return template

    async def delete(self, caller: Caller, template_id: str) -> None:
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            if not await uow.plan_templates.delete(caller.tenant_id, template_id.strip()):
                raise NotFound(f"plan template {template_id} not found")
            await uow.commit()
