"""The one visibility rule of a lead (Lead.visible_to), as the README's access
rules say: a rep their own and the pool (unowned open leads), a manager the
pool, their own and their reps', admin the tenant, a partner what they registered."""

from __future__ import annotations

import pytest

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
        ({"created_by": "p1", "owner_id": "r2"}, "p1", "partner", frozenset(), True),  # what they registered
        ({"created_by": "mgr"}, "p1", "partner", frozenset(), False),  # not even the pool
        ({}, "f1", "finance", frozenset(), True),  # the pool, read-only: finance's routes write nothing here
    ],
)
def test_who_sees_a_lead(fields, user, role, managed, sees) -> None:
    assert lead("L1", **fields).visible_to(user, role, managed) is sees
