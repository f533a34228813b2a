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


def _csv(*rows: str) -> bytes:
    return ("公司名称,电话,地址\n" + "\n".join(rows) + "\n").encode()


async def test_an_import_stores_its_rows_together_and_merges_a_repeated_company_once() -> None:
    uow = unit_of_work(leads=[lead("L1", company_name="海天注塑", phone=PHONE, city="宁波市")])
    file = _csv(
        "绍兴纺机,13805741235,浙江省绍兴市柯桥区1号",
        "宁波海天,13805741234,",  # the open lead's phone: merged into L1
        "杭州电机,13805741236,",
        "海天注塑机,13805741234,",  # again: merged into L1 once more, on top of the first merge
        "绍兴纺机有限公司,13900000000,浙江省绍兴市柯桥区2号",  # the first row's company: merged into it
    )
    _, report = await handlers(uow).import_leads(MANAGER, "leads.csv", file)
    assert [r.outcome for r in report.rows] == ["accepted", "merged", "accepted", "merged", "merged"]
    first = report.rows[0].lead_id
    assert [r.matched_lead_id for r in report.rows] == ["", "L1", "", "L1", first]
    stored = {x.lead_id: x for x in uow.leads.items()}
    assert len(stored) == 3 and stored[first].phone == "+8613805741235"
    assert len(stored["L1"].all_touches) == 3  # its own and both rows'
    assert [e.lead_id for e in uow.events("lead.merged")] == ["L1", "L1", first]
    assert len(uow.events("lead.created")) == 2 and uow.committed


async def test_a_reps_import_counts_each_new_lead_against_their_capacity() -> None:
    rep = Caller("t1", "r1", "rep")
    uow = unit_of_work(reps=[profile("r1", capacity=2)])
    file = _csv("甲公司,13805741231,", "乙公司,13805741232,", "丙公司,13805741233,")
    _, report = await handlers(uow).import_leads(rep, "leads.csv", file)
    assert [r.outcome for r in report.rows] == ["accepted", "accepted", "rejected"]
    assert "capacity 2" in report.rows[2].errors[0].description
    assert [c.change for c in uow.assignments.changes] == ["intake", "intake"]
    assert "r1" in uow.reps.locked


async def test_when_the_database_refuses_the_rows_together_each_is_stored_alone() -> None:
    from crm_shared.domain.errors import Conflict

    uow = unit_of_work()
    refused = "拒收公司"

    async def add_many(new) -> None:
        if any(x.company_name == refused for x in new):
            raise Conflict("could not be stored")
        for x in new:
            await uow.leads.add(x)

    plain_add = uow.leads.add

    async def add(x) -> None:
        if x.company_name == refused:
            raise Conflict("could not be stored")
        await plain_add(x)

    uow.leads.add_many, uow.leads.add = add_many, add
    file = _csv("甲公司,13805741231,", f"{refused},13805741232,", "丙公司,13805741233,")
    _, report = await handlers(uow).import_leads(MANAGER, "leads.csv", file)
    assert [r.outcome for r in report.rows] == ["accepted", "rejected", "accepted"]
    assert sorted(x.company_name for x in uow.leads.items()) == ["丙公司", "甲公司"]
    # Only the fake keeps what a rolled-back batch recorded; the stored rows' events are there once each.
    created = [e.company_name for e in uow.events("lead.created")]
    assert created.count("甲公司") == 1 and created.count("丙公司") == 1 and refused not in created
