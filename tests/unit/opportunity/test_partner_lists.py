"""A partner's sales lists (customers, opportunities, tasks): lead-routing is
asked first whether they still act for a current distributor; refused, or
lead-routing away, the store is never read (service_layer/customers.py,
opportunities.py, tasks.py, on fakes)."""

from __future__ import annotations

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import PermissionDenied, Unavailable
from crm_shared.testing import FakePartnerCheck
from opportunity.service_layer.customers import CustomerHandlers
from opportunity.service_layer.opportunities import OpportunityHandlers
from opportunity.service_layer.tasks import TaskHandlers

from .fakes import FakeGates, FakeLocks, fake_uow

PARTNER = Caller("t", "zhaolei", "partner", organisation="dist-hz")


class Reached(Exception):
    """The handler opened its unit of work."""


def no_store():  # type: ignore[no-untyped-def]
    raise Reached


def lists(partners: FakePartnerCheck, uow=no_store):  # type: ignore[no-untyped-def]
    """Each sales list, called as `caller`."""
    customers, tasks = CustomerHandlers(uow, partners), TaskHandlers(uow, partners)
    opportunities = OpportunityHandlers(uow, FakeGates(), FakeLocks(), partners)
    return [
        lambda c: customers.list(c),
        lambda c: opportunities.list(c, lead_id="", size=0, token=""),
        lambda c: tasks.list(c, state="", owner_id="", opportunity_id="", customer_id=""),
    ]


async def test_a_partner_lead_routing_refuses_is_refused_before_anything_is_read() -> None:
    refused = FakePartnerCheck(refused={"zhaolei"})
    for listing in lists(refused):
        with pytest.raises(PermissionDenied, match="not a user of an active distributor"):
            await listing(PARTNER)
    assert refused.asked == ["zhaolei"] * 3


async def test_lead_routing_away_answers_a_partner_nothing() -> None:
    for listing in lists(FakePartnerCheck(away=True)):
        with pytest.raises(Unavailable):
            await listing(PARTNER)


async def test_an_admitted_partner_goes_on_to_their_empty_scope() -> None:
    for listing in lists(FakePartnerCheck()):
        with pytest.raises(Reached):
            await listing(PARTNER)
    uow = fake_uow()
    assert (
        await TaskHandlers(lambda: uow, FakePartnerCheck()).list(
            PARTNER, state="", owner_id="", opportunity_id="", customer_id=""
        )
        == []
    )
