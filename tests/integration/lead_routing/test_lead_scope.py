"""Listing leads applies the domain's scope: for every role, the leads the
repository lists under `list_scope` are exactly the ones `Lead.visible_to`
shows that caller, the manager's team read from the reps table."""

from __future__ import annotations

from crm_shared import roles
from crm_shared.context import Caller
from lead_routing.adapters.lead_repository import LeadRepository
from lead_routing.adapters.rep_repository import RepRepository
from lead_routing.domain.lead import list_scope
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from tests.support.infra import migrate
from tests.unit.lead_routing.factories import lead, profile

LEADS = [
    lead("pool"),
    lead("lost-pool", status="lost"),
    lead("r1", owner_id="r1"),
    lead("r1-won", owner_id="r1", status="converted"),
    lead("r2", owner_id="r2"),
    lead("m1", owner_id="m1"),
    # typed in by partner p1 for their distributor d1, and by p1's colleague p2
    lead("p1-registered", created_by="p1", entered_for="d1", owner_id="r2"),
    lead("p1-pool", created_by="p1", entered_for="d1"),
    lead("d1-typed", created_by="p2", entered_for="d1", owner_id="r2"),
    # a registration of p1's colleague p2, protected for their distributor d1
    lead("d1-protected", created_by="p2", partner_org_id="d1", registration_id="R1"),
    # p1's registration that lapsed: back in the pool, no longer the distributor's
    lead("p1-lapsed", created_by="p1", registration_id="R2"),
    lead("d2-protected", created_by="q1", partner_org_id="d2", registration_id="R3"),
]
TEAM = frozenset({"r1"})  # m1 manages r1, not r2


async def test_the_listed_leads_are_the_visible_ones_for_every_role(database_url: str) -> None:
    await migrate("lead-routing", database_url)
    engine = create_async_engine(database_url)
    listed, visible = {}, {}
    try:
        async with AsyncSession(engine) as session:
            repo = LeadRepository(session)
            for x in LEADS:
                await repo.add(x)
            await RepRepository(session).add(profile("r1", manager_id="m1"))
            await RepRepository(session).add(profile("r2", manager_id="m2"))
            for role in (*roles.ROLES, "unknown"):
                for user in ("r1", "m1", "p1", "x"):
                    org = "d1" if user == "p1" else ""
                    scope = list_scope(Caller("t1", user, role, organisation=org))
                    found = await repo.list("t1", scope, status="", limit=100, after=None)
                    listed[role, user] = {x.lead_id for x in found}
                    managed = TEAM if user == "m1" else frozenset()
                    visible[role, user] = {x.lead_id for x in LEADS if x.visible_to(user, role, managed, org)}
    finally:
        await engine.dispose()
    assert listed == visible
    assert listed["manager", "m1"] == {
        "pool",
        "lost-pool",
        "r1",
        "r1-won",
        "m1",
        "p1-pool",
        "d1-protected",
        "p1-lapsed",
        "d2-protected",
    }
    assert listed["rep", "r1"] == {"pool", "r1", "r1-won", "p1-pool", "d1-protected", "p1-lapsed", "d2-protected"}
    # a partner: their distributor's protected leads and what its users typed in (any colleague's)
    assert listed["partner", "p1"] == {"p1-registered", "p1-pool", "d1-typed", "d1-protected"}
