"""Plan templates in a real, migrated database (SQLite, and PostgreSQL when
TEST_DATABASE_URL names one): one per tenant and region, a refused write
changing nothing (the unit of work stays usable after the unique key
refuses), tenants apart, and the terms a contract without any is planned by."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from crm_shared.context import Caller
from crm_shared.db import Database
from crm_shared.domain.errors import AlreadyExists, InvalidArgument, NotFound, PermissionDenied
from finance_reconciliation.domain.contract import FinanceContract, Term
from finance_reconciliation.domain.opportunity import Opportunity
from finance_reconciliation.domain.plan_template import TemplateTerm
from finance_reconciliation.service_layer.plan_templates import PlanTemplateHandlers, TemplateInput, with_template_terms
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

FINANCE = Caller("tenant-a", "fin-1", "finance")
OTHER_TENANT = Caller("tenant-b", "fin-9", "finance")
EAST = TemplateInput("华东", "华东 分期", [TemplateTerm("预付款", "advance", 7, 3000), TemplateTerm("尾款", "on_delivery", 30, 7000)])
SOUTH = TemplateInput("华南", "华南 预付", [TemplateTerm("全额预付", "advance", 0, 10_000)])


@pytest.fixture
def db(finance_db: Database) -> Database:
    return finance_db


@pytest.fixture
def handlers(db: Database) -> PlanTemplateHandlers:
    return PlanTemplateHandlers(lambda: FinanceUnitOfWork(db))


def contract(terms: tuple[Term, ...] = ()) -> FinanceContract:
    return FinanceContract(
        tenant_id="tenant-a", contract_id="c1", version_id="v1", signed_version_id="s1", label="V1.0",
        opportunity_id="o1", customer_id="cu1", total_minor=100, currency="CNY", equipment=(), terms=terms,
        signed_on=date(2026, 12, 1), warranty_months=None,
    )


def placed(province: str, region: str) -> Opportunity:
    return Opportunity("o1", "tenant-a", "客户", "rep-1", None, "CNY", province=province, region=region)


async def test_one_template_per_region_and_tenant(handlers: PlanTemplateHandlers, db: Database) -> None:
    east = await handlers.create(FINANCE, EAST)
    with pytest.raises(AlreadyExists):
        await handlers.create(FINANCE, EAST)
    south = await handlers.create(FINANCE, SOUTH)
    # Another tenant's 华东 is its own, and it sees none of tenant-a's.
    await handlers.create(OTHER_TENANT, EAST)
    assert [t.region for t in await handlers.listed(OTHER_TENANT)] == ["华东"]
    with pytest.raises(NotFound):
        await handlers.replace(OTHER_TENANT, south.template_id, SOUTH)
    with pytest.raises(NotFound):
        await handlers.delete(OTHER_TENANT, east.template_id)

    # Replacing onto a region that has a template is refused and changes nothing.
    with pytest.raises(AlreadyExists):
        await handlers.replace(FINANCE, south.template_id, EAST)
    with pytest.raises(InvalidArgument):
        await handlers.replace(FINANCE, south.template_id, TemplateInput("华南", "x", [TemplateTerm("a", "advance", 0, 1)]))
    stored = {t.region: t for t in await handlers.listed(FINANCE)}
    assert stored["华南"].terms == tuple(SOUTH.terms) and stored["华东"].terms == tuple(EAST.terms)

    renamed = await handlers.replace(FINANCE, south.template_id, TemplateInput("广东", "广东 预付", SOUTH.terms))
    assert [(t.region, t.name) for t in await handlers.listed(FINANCE)] == [("华东", "华东 分期"), ("广东省", "广东 预付")]
    await handlers.delete(FINANCE, renamed.template_id)
    assert [t.region for t in await handlers.listed(FINANCE)] == ["华东"]
    for role in ("rep", "manager", "reviewer", "partner"):
        with pytest.raises(PermissionDenied):
            await handlers.listed(Caller("tenant-a", "u", role))
        with pytest.raises(PermissionDenied):
            await handlers.create(Caller("tenant-a", "u", role), SOUTH)


async def test_the_terms_a_contract_is_planned_by(handlers: PlanTemplateHandlers, db: Database) -> None:
    await handlers.create(FINANCE, EAST)
    await handlers.create(FINANCE, TemplateInput("", "默认", [TemplateTerm("全款", "advance", 10, 10_000)]))
    own = (Term("合同款", "advance", 0, percent_bp=10_000),)
    async with FinanceUnitOfWork(db) as uow:
        assert (await with_template_terms(uow, contract(own), placed("浙江省", "华东"))).terms == own
        east = await with_template_terms(uow, contract(), placed("浙江省", "华东"))
        assert [(t.name, t.trigger, t.days, t.percent_bp) for t in east.terms] == [
            ("预付款", "advance", 7, 3000), ("尾款", "on_delivery", 30, 7000)]
        assert [t.name for t in (await with_template_terms(uow, contract(), placed("四川省", "西南"))).terms] == ["全款"]
        assert [t.name for t in (await with_template_terms(uow, contract(), None)).terms] == ["全款"]
        other = await with_template_terms(uow, replace(contract(), tenant_id="tenant-b"), placed("浙江省", "华东"))
        assert other.terms == ()  # tenant-b has no template: the built-in plan
