"""The subject access rule (no I/O): the same scope as opportunity's own reads."""

from __future__ import annotations

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument
from opportunity.domain.subject_access import SubjectAccess, decide, validate_query


@pytest.mark.parametrize(
    ("user", "team", "expected"),
    [
        (Caller("t", "rep-1", "rep"), (), (True, True, True)),
        (Caller("t", "rep-2", "rep"), (), (True, False, False)),
        (Caller("t", "mgr-1", "manager"), ("rep-1",), (True, True, True)),
        (Caller("t", "mgr-2", "manager"), ("rep-2",), (True, False, False)),
        (Caller("t", "fin-1", "finance"), (), (True, True, False)),
        (Caller("t", "rev-1", "reviewer"), (), (True, True, False)),
        (Caller("t", "admin", "admin"), (), (True, True, True)),
        (Caller("t", "p-1", "partner"), (), (True, False, False)),
    ],
)
def test_access_to_an_opportunity_owned_by_rep_1(user: Caller, team: tuple[str, ...], expected) -> None:
    assert decide(user, "rep-1", team) == SubjectAccess(*expected)


def test_a_subject_not_in_the_tenant_is_nothing_to_anyone() -> None:
    assert decide(Caller("t", "admin", "admin"), None) == SubjectAccess(False, False, False)


def test_a_service_asks_only_about_its_own_tenant_and_known_roles_and_types() -> None:
    asker = Caller("t", "approval", "system")
    validate_query(asker, "t", "rep-1", "rep", "customer")
    with pytest.raises(InvalidArgument) as err:
        validate_query(asker, "other", "", "boss", "lead")
    assert {v.field for v in err.value.violations} == {"tenant_id", "user_id", "role", "subject_type"}
