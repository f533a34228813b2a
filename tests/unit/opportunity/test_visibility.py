"""The one visibility rule of each aggregate (README "Access"): reps see what
they own, a manager their own and their team's, admin, system, finance and
reviewers the tenant's, partners nothing, nobody another tenant's."""

from __future__ import annotations

from dataclasses import replace

import pytest
from crm_shared.context import Caller
from crm_shared.testing import DEFAULT_NOW
from opportunity.domain.access import scope_for
from opportunity.domain.customer import Customer
from opportunity.domain.opportunity import open_opportunity
from opportunity.domain.task import Task

TEAM = ["rep-1", "rep-2"]  # the reps whose manager_id is mgr-1

opened = open_opportunity(
    tenant_id="t",
    opportunity_id="o-1",
    customer_id="c-1",
    now=DEFAULT_NOW,
    existing=None,
    customer_name="宁波注塑机厂",
    credit_code="",
    name="二期",
    amount_minor=None,
    currency="CNY",
    owner_id="rep-1",
)
CUSTOMER: Customer = opened.customer
OPPORTUNITY = opened.opportunity
TASK = Task("k-1", "t", "rep-1", "c-1", "o-1", "dormant_30d", "唤醒", DEFAULT_NOW, "open", DEFAULT_NOW, "key")


@pytest.mark.parametrize("record", [CUSTOMER, OPPORTUNITY, TASK], ids=["customer", "opportunity", "task"])
@pytest.mark.parametrize(
    ("user", "role", "sees"),
    [
        ("rep-1", "rep", True),
        ("rep-2", "rep", False),
        ("mgr-1", "manager", True),
        ("mgr-2", "manager", False),
        ("boss", "admin", True),
        ("opportunity", "system", True),
        ("f", "finance", True),
        ("r", "reviewer", True),
        ("dist", "partner", False),
    ],
)
def test_who_sees_a_record_owned_by_a_rep(record, user: str, role: str, sees: bool) -> None:  # type: ignore[no-untyped-def]
    caller = Caller("t", user, role)
    team = TEAM if user == "mgr-1" else []
    assert record.visible_in(scope_for(caller, team)) is sees


@pytest.mark.parametrize("record", [CUSTOMER, OPPORTUNITY, TASK], ids=["customer", "opportunity", "task"])
def test_nobody_sees_another_tenants_record(record) -> None:  # type: ignore[no-untyped-def]
    other = replace(record, tenant_id="other")
    for role in ("rep", "manager", "admin", "system", "finance"):
        assert not other.visible_in(scope_for(Caller("t", "rep-1", role), TEAM))


def test_a_managers_own_record_is_in_their_scope() -> None:
    assert replace(CUSTOMER, owner_id="mgr-1").visible_in(scope_for(Caller("t", "mgr-1", "manager"), TEAM))
