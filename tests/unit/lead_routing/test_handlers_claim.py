"""Claim handlers on fakes: refused (daily limit, cool-down, taken, not a
candidate) and allowed, and a claim with compiled rules parses nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, FailedPrecondition, NotFound, PermissionDenied
from crm_shared.testing import FakeUnitOfWork
from lead_routing.domain.rule_set import Route, RuleVersion
from lead_routing.service_layer.assignment import AssignmentHandlers
from lead_routing.service_layer.ranking import Ranking
from lead_routing.service_layer.rule_book import RuleBook

from tests.unit.lead_routing.factories import NOW, lead, profile
from tests.unit.lead_routing.fakes import FakeRules, unit_of_work

R1 = Caller("t1", "r1", "rep")
SEED = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"


def handlers(uow: FakeUnitOfWork, book: RuleBook | None = None) -> AssignmentHandlers:
    return AssignmentHandlers(lambda: uow, Ranking(lambda: uow, book or RuleBook()))


def pool_lead(lead_id: str = "L1", **fields):
    return lead(lead_id, district="柯桥区", city="绍兴市", purchases_6m_minor=6_000_000, **fields)


async def test_a_claim_gives_the_lead_with_its_explanation() -> None:
    uow = unit_of_work(leads=[pool_lead()], reps=[profile("r1", region="柯桥区"), profile("r2")])
    a = await handlers(uow).claim(R1, "L1")
    assert (a.rep_id, a.mode, a.actor_id) == ("r1", "claim", "r1")
    assert uow.leads.items()[0].owner_id == "r1"
    assert (a.explanation.rank, a.explanation.candidates) == (1, 2)
    [assigned] = uow.events("lead.assigned")
    assert (assigned.lead_id, assigned.rep_id, assigned.first_touch_due) == ("L1", "r1", "2026-11-24T01:00:00Z")
    assert [c.change for c in uow.assignments.changes] == ["claim"]
    assert uow.events("notification.requested") == []  # a claimer is not told what they took
    assert uow.committed and uow.reps.locked == ["r1"]


async def test_a_claim_past_the_daily_limit_is_refused_and_changes_nothing() -> None:
    uow = unit_of_work(leads=[pool_lead()], reps=[profile("r1", daily_claim_limit=2)])
    uow.assignments.claims_today = 2
    with pytest.raises(FailedPrecondition) as err:
        await handlers(uow).claim(R1, "L1")
    assert [v.type for v in err.value.violations] == ["daily_claim_limit"]
    assert uow.leads.items()[0].owner_id is None and uow.published == [] and not uow.committed


async def test_a_claim_in_a_cool_down_or_outside_the_route_is_refused() -> None:
    routes = RuleVersion(
        "t1", "routes", 1, "", "mgr", NOW, routes=(Route("east", "华东", target_kind="team", team="华东"),)
    )
    uow = unit_of_work(leads=[pool_lead()], reps=[profile("r1", team="华西")], rules=FakeRules([routes], {"routes": 1}))
    uow.assignments.barred[("L1", "r1")] = NOW + timedelta(hours=3)
    with pytest.raises(FailedPrecondition) as err:
        await handlers(uow).claim(R1, "L1")
    assert [v.type for v in err.value.violations] == ["cooldown", "route"]


async def test_a_lead_someone_owns_or_nobody_may_see_is_not_claimed() -> None:
    uow = unit_of_work(
        leads=[pool_lead("L1", owner_id="r2"), pool_lead("L2", owner_id="r1"), pool_lead("L3", status="lost")],
        reps=[profile("r1"), profile("r2")],
    )
    with pytest.raises(Conflict):
        await handlers(uow).claim(R1, "L1")
    with pytest.raises(FailedPrecondition):
        await handlers(uow).claim(R1, "L2")  # already theirs
    with pytest.raises(NotFound):
        await handlers(uow).claim(R1, "L3")  # not in the pool: a rep does not see it
    with pytest.raises(NotFound):
        await handlers(uow).claim(R1, "L4")


async def test_a_claim_with_rules_already_compiled_parses_nothing() -> None:
    formula = RuleVersion("t1", "formula", 1, "", "mgr", NOW, formula=SEED)
    rules = FakeRules([formula], {"formula": 1})
    book = RuleBook()
    uow = unit_of_work(leads=[pool_lead("L1"), pool_lead("L2")], reps=[profile("r1", region="柯桥区")], rules=rules)
    first = await handlers(uow, book).claim(R1, "L1")
    compiled, reads = book.compiled, rules.reads
    second = await handlers(uow, book).claim(R1, "L2")
    assert (first.score, second.score) == (100.0, 100.0)
    assert (book.compiled, rules.reads) == (compiled, reads)  # no version read, nothing compiled
    rules.active["formula"] = 2  # activated elsewhere: the next use compiles anew
    rules.saved[("t1", "formula", 2)] = RuleVersion("t1", "formula", 2, "", "mgr", NOW, formula="42")
    uow.leads.put(pool_lead("L3"))
    assert (await handlers(uow, book).claim(R1, "L3")).score == 42.0


async def test_a_manager_assigns_only_their_own_reps_and_the_owner_releases() -> None:
    manager = Caller("t1", "m1", "manager")
    uow = unit_of_work(leads=[pool_lead()], reps=[profile("r1", manager_id="m1"), profile("r2", manager_id="m2")])
    with pytest.raises(PermissionDenied):
        await handlers(uow).assign(manager, "L1", "r2")
    a = await handlers(uow).assign(manager, "L1", "r1")
    assert (a.mode, a.actor_id, a.rep_id) == ("manager", "m1", "r1")
    [told] = uow.events("notification.requested")  # given by someone else: the rep is told
    assert (told.recipient_id, told.kind) == ("r1", "lead.assigned")
    with pytest.raises(NotFound):
        await handlers(uow).release(Caller("t1", "r2", "rep"), "L1", "不是我的")
    await handlers(uow).release(R1, "L1", "不在我的区域")
    assert uow.leads.items()[0].owner_id is None
    [released] = uow.events("lead.released")
    assert (released.rep_id, released.reason) == ("r1", "不在我的区域")
    assert [c.change for c in uow.assignments.changes] == ["manager", "release"]
    assert uow.assignments.items()[0].end_reason == "released"
