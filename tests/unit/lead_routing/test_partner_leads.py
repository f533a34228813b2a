"""A partner's leads on fakes: they are their distributor's (what its users
typed in), read only while the distributor is current — deactivated, its
users read and enter nothing, whatever their token says, until it is
active again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound, PermissionDenied
from crm_shared.testing import FakeUnitOfWork
from lead_routing.domain.distributor import DistributorInput, distributor
from lead_routing.domain.lead import LeadData, Touch
from lead_routing.service_layer.distributors import DistributorHandlers
from lead_routing.service_layer.intake import IntakeHandlers
from lead_routing.service_layer.leads import LeadHandlers

from tests.unit.lead_routing.factories import lead
from tests.unit.lead_routing.fakes import unit_of_work

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
ZHAOLEI = Caller("t1", "zhaolei", "partner", organisation="dist-hz")
SUNLI = Caller("t1", "sunli", "partner", organisation="dist-nb")


def dist(distributor_id: str, *users: str, active: bool = True):
    cmd = DistributorInput(
        distributor_id=distributor_id, name=distributor_id, users=users, channel_manager_id="wangqiang", active=active
    )
    return distributor(cmd, tenant_id="t1", actor_id="admin", now=NOW, existing=None)


def world() -> FakeUnitOfWork:
    typed = lead(
        "L1",
        created_by="qianwu",
        source="伙伴报备",
        entered_for="dist-hz",
        touches=(Touch("伙伴报备", NOW, created_by="qianwu"), Touch("展会扫码", NOW, created_by="mgr")),
    )
    return unit_of_work(
        leads=[typed],
        distributors=[dist("dist-hz", "zhaolei", "qianwu"), dist("dist-nb", "sunli")],
        clock=FixedClock(NOW),
    )


def set_active(uow: FakeUnitOfWork, active: bool) -> None:
    uow.distributors.put(replace(dist("dist-hz", "zhaolei", "qianwu"), active=active))


async def test_a_lead_a_colleague_typed_in_is_the_distributors_with_their_touches_only() -> None:
    uow = world()
    seen = await LeadHandlers(lambda: uow).get(ZHAOLEI, "L1")
    assert [t.created_by for t in seen.touches] == ["qianwu"]  # not the manufacturer's channel
    with pytest.raises(NotFound):
        await LeadHandlers(lambda: uow).get(SUNLI, "L1")


async def test_a_partners_intake_carries_their_distributor_from_the_caller() -> None:
    uow = world()
    done = await IntakeHandlers(lambda: uow).ingest(ZHAOLEI, LeadData(company_name="杭州新客", phone="13805741299"))
    stored = await uow.leads.get("t1", done.lead.lead_id)
    assert (stored.entered_for, stored.created_by, stored.source) == ("dist-hz", "zhaolei", "伙伴报备")
    assert stored.visible_to("qianwu", "partner", organisation="dist-hz")
    assert not stored.visible_to("sunli", "partner", organisation="dist-nb")
    manager = await IntakeHandlers(lambda: uow).ingest(
        Caller("t1", "mgr", "manager"), LeadData(company_name="宁波新客", phone="13805741298")
    )
    assert (await uow.leads.get("t1", manager.lead.lead_id)).entered_for == ""


async def test_a_deactivated_distributors_users_read_and_enter_nothing_until_it_is_active_again() -> None:
    uow = world()
    leads, intake, distributors = (
        LeadHandlers(lambda: uow),
        IntakeHandlers(lambda: uow),
        DistributorHandlers(lambda: uow),
    )
    assert (await leads.get(ZHAOLEI, "L1")).lead_id == "L1"
    set_active(uow, False)
    calls = (
        lambda: leads.get(ZHAOLEI, "L1"),
        lambda: leads.get(ZHAOLEI, "no-such-lead"),  # the same answer: nothing about the id
        lambda: leads.list_fields(ZHAOLEI),
        lambda: intake.ingest(ZHAOLEI, LeadData(company_name="杭州又一家", phone="13805741297")),
        lambda: distributors.get(ZHAOLEI, "dist-hz"),
        lambda: distributors.own(ZHAOLEI),
    )
    for call in calls:
        with pytest.raises(PermissionDenied, match="not a user of an active distributor"):
            await call()
    assert [x.lead_id for x in uow.leads.items()] == ["L1"]  # the refused intake stored nothing
    assert (await leads.get(Caller("t1", "admin", "admin"), "L1")).lead_id == "L1"  # not the manufacturer's
    set_active(uow, True)
    assert (await leads.get(ZHAOLEI, "L1")).lead_id == "L1"
    assert (await distributors.get(ZHAOLEI, "dist-hz")).distributor.distributor_id == "dist-hz"
