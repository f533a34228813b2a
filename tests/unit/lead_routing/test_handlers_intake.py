"""Intake handlers on fakes: a duplicate merges into the open lead it matches,
a closed one is history, a rep at capacity stores nothing."""

from __future__ import annotations

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition
from crm_shared.testing import FakeUnitOfWork
from lead_routing.domain.lead import LeadData
from lead_routing.service_layer.intake import IntakeHandlers

from tests.unit.lead_routing.factories import lead, profile
from tests.unit.lead_routing.fakes import unit_of_work

MANAGER = Caller("t1", "mgr", "manager")
PHONE = "+8613805741234"


def handlers(uow: FakeUnitOfWork) -> IntakeHandlers:
    return IntakeHandlers(lambda: uow)


async def test_a_lead_with_the_phone_of_an_open_one_is_merged_into_it() -> None:
    uow = unit_of_work(leads=[lead("L1", company_name="海天注塑", phone=PHONE, city="宁波市")])
    done = await handlers(uow).ingest(
        MANAGER, LeadData(company_name="宁波海天", phone="13805741234", source="展会扫码")
    )
    assert done.merged and done.match.matched_by == "phone" and done.lead.lead_id == "L1"
    assert [x.lead_id for x in uow.leads.items()] == ["L1"]  # nothing new stored
    assert uow.leads.items()[0].sources == ("手工录入", "展会扫码")
    [merged] = uow.events("lead.merged")
    assert (merged.lead_id, merged.matched_by, merged.source) == ("L1", "phone", "展会扫码")
    assert uow.events("lead.created") == [] and uow.committed


async def test_a_duplicate_of_a_closed_lead_is_a_new_lead_that_names_it() -> None:
    uow = unit_of_work(leads=[lead("L1", company_name="海天注塑", phone=PHONE, status="lost")])
    done = await handlers(uow).ingest(MANAGER, LeadData(company_name="海天注塑", phone="13805741234"))
    assert not done.merged and done.match.lead.lead_id == "L1" and done.lead.lead_id != "L1"
    assert len(uow.leads.items()) == 2
    [created] = uow.events("lead.created")
    assert created.lead_id == done.lead.lead_id and created.source == "手工录入"


async def test_a_reps_own_lead_is_theirs_unless_they_are_at_capacity() -> None:
    rep = Caller("t1", "r1", "rep")
    uow = unit_of_work(reps=[profile("r1", capacity=1)])
    done = await handlers(uow).ingest(rep, LeadData(company_name="绍兴纺机", phone="13805741235"))
    assert done.lead.owner_id == "r1" and [c.change for c in uow.assignments.changes] == ["intake"]
    with pytest.raises(FailedPrecondition) as err:
        await handlers(uow).ingest(rep, LeadData(company_name="杭州电机", phone="13805741236"))
    assert [v.type for v in err.value.violations] == ["capacity"]
    assert "r1" in uow.reps.locked  # the rep's row is locked before their leads are counted
