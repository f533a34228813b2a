"""Concurrent intakes stored together (group commit) decide exactly as one at
a time would; a tenant's own field types are kept between intakes and read
again when an intake names a field they do not know."""

from __future__ import annotations

import asyncio

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, FailedPrecondition, InvalidArgument
from lead_routing.domain.lead import LeadData
from lead_routing.service_layer.intake import Ingested, IntakeHandlers

from tests.unit.lead_routing.factories import lead, profile
from tests.unit.lead_routing.fakes import unit_of_work

MANAGER = Caller("t1", "mgr", "manager")

# Repeats among themselves and with the stored lead L1: by phone, by credit code, by name in a city.
INTAKES = [
    LeadData(company_name="宁波海天", phone="13805741234", source="展会扫码"),  # L1's phone
    LeadData(company_name="绍兴纺机", phone="13805741235"),
    LeadData(company_name="绍兴纺机厂", phone="13805741235", source="官网表单"),  # the one before
    LeadData(company_name="杭州电机", credit_code="91330200MA2AFK8X1K", phone="13805741236"),
    LeadData(company_name="杭州电机公司", credit_code="91330200MA2AFK8X1K", phone="13805741237"),
    LeadData(company_name="温州阀门制造有限公司", phone="13805741238", city="温州市"),
    LeadData(company_name="温州阀门制造有限责任公司", phone="13805741239", city="温州市"),
    LeadData(company_name="嘉兴丝绸", phone="13805741240"),
]


def _stored():
    return [lead("L1", company_name="海天注塑", phone="+8613805741234", city="宁波市")]


def _shape(done: list[Ingested | BaseException], events) -> list[tuple]:
    """Outcomes with lead ids replaced by the position of the intake that made them."""
    names: dict[str, str] = {"L1": "L1"}
    out: list[tuple] = []
    for n, d in enumerate(done):
        if isinstance(d, BaseException):
            out.append((type(d).__name__,))
            continue
        names.setdefault(d.lead.lead_id, f"#{n}")
        match = names.get(d.match.lead.lead_id, "?") if d.match else ""
        out.append(
            (names[d.lead.lead_id], d.merged, match, d.match.matched_by if d.match else "", tuple(d.lead.sources))
        )
    out += [(type_, names.get(aggregate, "?")) for type_, _, aggregate, _ in events]
    return out


async def test_intakes_arriving_together_are_stored_in_one_unit_of_work_as_one_at_a_time_would() -> None:
    one_by_one = unit_of_work(leads=_stored())
    single = IntakeHandlers(lambda: one_by_one)
    serial = [await single.ingest(MANAGER, cmd) for cmd in INTAKES]

    together = unit_of_work(leads=_stored())
    group = IntakeHandlers(lambda: together)
    concurrent = await asyncio.gather(*(group.ingest(MANAGER, cmd) for cmd in INTAKES))

    assert together.commits == 1 and one_by_one.commits == len(INTAKES)
    assert _shape(concurrent, together.published) == _shape(serial, one_by_one.published)
    merged = [(d.merged, d.match.matched_by if d.match else "") for d in concurrent]
    assert merged == [
        (True, "phone"),
        (False, ""),
        (True, "phone"),
        (False, ""),
        (True, "credit_code"),
        (False, ""),
        (True, "similar_name"),
        (False, ""),
    ]
    assert sorted(x.company_name for x in together.leads.items()) == sorted(
        x.company_name for x in one_by_one.leads.items()
    )


async def test_an_intake_the_rules_refuse_is_refused_alone_and_the_others_of_its_group_stored() -> None:
    rep = Caller("t1", "r1", "rep")
    uow = unit_of_work(reps=[profile("r1", capacity=1)])
    handlers = IntakeHandlers(lambda: uow)
    done = await asyncio.gather(
        handlers.ingest(rep, LeadData(company_name="绍兴纺机", phone="13805741235")),
        handlers.ingest(rep, LeadData(company_name="杭州电机", phone="13805741236")),  # over capacity
        handlers.ingest(MANAGER, LeadData(company_name=" ", phone="")),  # invalid
        handlers.ingest(MANAGER, LeadData(company_name="嘉兴丝绸", phone="13805741240")),
        return_exceptions=True,
    )
    assert isinstance(done[1], FailedPrecondition) and [v.type for v in done[1].violations] == ["capacity"]
    assert isinstance(done[2], InvalidArgument)
    assert sorted(x.company_name for x in uow.leads.items()) == ["嘉兴丝绸", "绍兴纺机"]
    assert [e.company_name for e in uow.events("lead.created")] == ["绍兴纺机", "嘉兴丝绸"]
    assert [c.owner_id for c in uow.assignments.changes] == ["r1"] and uow.commits == 1


async def test_when_the_database_refuses_a_group_together_each_intake_is_stored_alone() -> None:
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
    handlers = IntakeHandlers(lambda: uow)
    done = await asyncio.gather(
        *(
            handlers.ingest(MANAGER, LeadData(company_name=name, phone=f"1380574123{n}"))
            for n, name in enumerate(["甲公司", refused, "丙公司"])
        ),
        return_exceptions=True,
    )
    assert isinstance(done[1], Conflict) and not isinstance(done[0], BaseException)
    assert sorted(x.company_name for x in uow.leads.items()) == ["丙公司", "甲公司"]


class _CountingLeads:
    """Counts the reads of the tenant's field types."""

    def __init__(self, leads) -> None:
        self.reads = 0
        self._read = leads.custom_field_types

        async def read(tenant_id: str) -> dict[str, str]:
            self.reads += 1
            return await self._read(tenant_id)

        leads.custom_field_types = read


async def test_field_types_are_kept_and_read_again_for_a_field_they_do_not_know() -> None:
    uow = unit_of_work()
    uow.leads.custom = {"开模数": "number"}
    counting = _CountingLeads(uow.leads)
    handlers = IntakeHandlers(lambda: uow)

    await handlers.ingest(MANAGER, LeadData(company_name="甲公司", phone="13805741231"))
    assert counting.reads == 0  # no field named: nothing to read
    first = await handlers.ingest(
        MANAGER, LeadData(company_name="乙公司", phone="13805741232", custom_fields={"开模数": "12"})
    )
    second = await handlers.ingest(
        MANAGER, LeadData(company_name="丙公司", phone="13805741233", custom_fields={"开模数": 3})
    )
    assert (first.lead.custom_fields, second.lead.custom_fields) == ({"开模数": 12}, {"开模数": 3})
    assert counting.reads == 1

    uow.leads.custom["壁厚"] = "text"  # defined since, e.g. through another replica
    third = await handlers.ingest(
        MANAGER, LeadData(company_name="丁公司", phone="13805741234", custom_fields={"壁厚": "2mm"})
    )
    assert third.lead.custom_fields == {"壁厚": "2mm"} and counting.reads == 2

    with pytest.raises(InvalidArgument) as err:
        await handlers.ingest(
            MANAGER, LeadData(company_name="戊公司", phone="13805741235", custom_fields={"颜色": "红"})
        )
    assert [v.field for v in err.value.violations] == ["custom_fields.颜色"]
    assert counting.reads == 3  # an unknown name is read again, never taken from what was kept


async def test_an_intake_within_another_use_cases_unit_of_work_follows_the_same_rules() -> None:
    uow = unit_of_work(leads=_stored(), reps=[profile("r1", capacity=0)])
    handlers = IntakeHandlers(lambda: uow)
    async with uow:
        done = await handlers.ingest_within(uow, MANAGER, LeadData(company_name="宁波海天", phone="13805741234"))
        with pytest.raises(FailedPrecondition):
            await handlers.ingest_within(
                uow, Caller("t1", "r1", "rep"), LeadData(company_name="乙", phone="13805741299")
            )
    assert done.merged and done.lead.lead_id == "L1" and uow.commits == 0  # the caller commits
    assert [e.lead_id for e in uow.events("lead.merged")] == ["L1"] and len(uow.leads.items()) == 1
