"""The one visibility rule of a lead (Lead.visible_to), as the README's access
rules say: a rep their own and the pool (unowned open leads), a manager the
pool, their own and their reps', admin the tenant, a partner their distributor's."""

from __future__ import annotations

import pytest
from crm_shared import roles
from crm_shared.context import Caller
from lead_routing.domain.lead import LeadScope, intake_owner, list_scope

from tests.unit.lead_routing.factories import lead

TEAM = frozenset({"r1"})


@pytest.mark.parametrize(
    ("fields", "user", "role", "managed", "sees"),
    [
        ({}, "r1", "rep", frozenset(), True),  # the pool
        ({"status": "lost"}, "r1", "rep", frozenset(), False),  # unowned but closed: not the pool any more
        ({"owner_id": "r1", "status": "converted"}, "r1", "rep", frozenset(), True),  # their own, closed too
        ({"owner_id": "r2"}, "r1", "rep", frozenset(), False),
        ({"owner_id": "r1"}, "m1", "manager", TEAM, True),  # a rep of theirs
        ({"owner_id": "r2"}, "m1", "manager", TEAM, False),
        ({"status": "lost"}, "m1", "manager", TEAM, True),  # a manager closes pool leads, and sees them after
        ({"owner_id": "r2"}, "a1", "admin", frozenset(), True),
        ({"created_by": "p1", "owner_id": "r2"}, "p1", "partner", frozenset(), False),  # of no distributor
        ({"created_by": "mgr"}, "p1", "partner", frozenset(), False),  # not even the pool
        ({}, "f1", "finance", frozenset(), True),  # the pool, read-only: finance's routes write nothing here
    ],
)
def test_who_sees_a_lead(fields, user, role, managed, sees) -> None:
    assert lead("L1", **fields).visible_to(user, role, managed) is sees


@pytest.mark.parametrize(
    ("fields", "role", "works"),
    [
        ({"owner_id": "r1"}, "rep", True),
        ({"owner_id": "r2"}, "rep", False),  # a rep touches and reads the explanation of their own leads only
        ({}, "rep", False),
        ({"owner_id": "r2"}, "manager", True),  # a manager or admin: any lead they see
        ({"owner_id": "r2"}, "admin", True),
    ],
)
def test_who_works_on_a_lead(fields, role, works) -> None:
    assert lead("L1", **fields).works_on("r1", role) is works


def test_a_reps_new_lead_is_theirs_anyone_elses_starts_in_the_pool() -> None:
    assert intake_owner("r1", "rep") == "r1"
    assert [intake_owner("u1", role) for role in ("manager", "admin", "partner", "system")] == [None] * 4


def test_every_role_has_a_lead_scope_and_visible_to_is_it() -> None:
    expected = {
        "admin": LeadScope(whole_tenant=True),
        "system": LeadScope(whole_tenant=True),
        "partner": LeadScope(partner_org=""),  # a token naming no distributor: no lead
        "manager": LeadScope(owner_id="u1", team_of="u1", closed_pool=True),
        "rep": LeadScope(owner_id="u1"),
        "finance": LeadScope(owner_id="u1"),  # any other role reads as a rep
        "reviewer": LeadScope(owner_id="u1"),
    }
    assert {role: list_scope(Caller("t1", "u1", role)) for role in roles.ROLES} == expected
    grid = [
        lead("L1", **f) for f in ({}, {"status": "lost"}, {"owner_id": "u1"}, {"owner_id": "r1"}, {"created_by": "u1"})
    ]
    for role in roles.ROLES:
        for x in grid:
            assert x.visible_to("u1", role, TEAM) is list_scope(Caller("t1", "u1", role)).covers(x, TEAM)
