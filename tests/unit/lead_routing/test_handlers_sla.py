"""The first-touch SLA on fakes: a lead untouched past its deadline is
reclaimed, its owner barred, and re-routed to the best other candidate; a
touched one, or one that moved on, is left alone."""

from __future__ import annotations

from datetime import timedelta

from crm_shared.clock import FixedClock
from crm_shared.testing import FakeUnitOfWork
from lead_routing.service_layer.assignment import AssignmentHandlers
from lead_routing.service_layer.ranking import Ranking
from lead_routing.service_layer.rule_book import RuleBook
from lead_routing.service_layer.sla import SlaHandlers

from tests.unit.lead_routing.factories import NOW, assignment, lead, profile
from tests.unit.lead_routing.fakes import unit_of_work

LATER = NOW + timedelta(hours=25)


def sla(uow: FakeUnitOfWork) -> SlaHandlers:
    ranking = Ranking(lambda: uow, RuleBook())
    return SlaHandlers(lambda: uow, AssignmentHandlers(lambda: uow, ranking))


async def test_an_untouched_lead_past_its_deadline_is_reclaimed_and_rerouted() -> None:
    uow = unit_of_work(
        leads=[lead("L1", owner_id="r1")],
        reps=[profile("r1"), profile("r2")],
        assignments=[assignment()],
        clock=FixedClock(LATER),
    )
    assert await sla(uow).sweep_sla() == 1
    [reclaimed] = uow.events("lead.reclaimed")
    assert (reclaimed.rep_id, reclaimed.deadline) == ("r1", "2026-11-24T01:00:00Z")
    assert uow.assignments.barred[("L1", "r1")] == LATER + timedelta(hours=24)
    assert [c.change for c in uow.assignments.changes] == ["reclaim", "reroute"]
    assert "首次跟进截止 2026-11-24 09:00 前未跟进" in uow.assignments.changes[0].reason
    [rerouted] = uow.events("lead.assigned")
    assert (rerouted.rep_id, rerouted.mode) == ("r2", "reroute")  # the barred owner is not a candidate
    assert uow.leads.items()[0].owner_id == "r2"
    old = next(a for a in uow.assignments.items() if a.assignment_id == "A1")
    assert old.end_reason == "reclaimed"


async def test_a_touched_or_closed_lead_is_not_reclaimed() -> None:
    touched = assignment(first_touched_at=NOW + timedelta(hours=1))
    uow = unit_of_work(
        leads=[lead("L1", owner_id="r1")], reps=[profile("r1")], assignments=[touched], clock=FixedClock(LATER)
    )
    assert await sla(uow).sweep_sla() == 0
    assert uow.published == [] and uow.leads.items()[0].owner_id == "r1"

    uow = unit_of_work(
        leads=[lead("L1", owner_id="r1", status="converted")],
        reps=[profile("r1")],
        assignments=[assignment()],
        clock=FixedClock(LATER),
    )
    assert await sla(uow).sweep_sla() == 0
    assert uow.assignments.items()[0].end_reason == "converted" and uow.published == []


async def test_a_touch_before_the_assignment_counts_from_the_assignment() -> None:
    uow = unit_of_work(leads=[lead("L1", owner_id="r1")], reps=[profile("r1")], assignments=[assignment()])
    await sla(uow).activity_logged(uow, "t1", "L1", NOW - timedelta(hours=2))
    [a] = uow.assignments.items()
    assert a.first_touched_at == NOW
    await sla(uow).activity_logged(uow, "t1", "L1", NOW + timedelta(hours=1))
    assert uow.assignments.items()[0].first_touched_at == NOW  # the first touch stays the first
