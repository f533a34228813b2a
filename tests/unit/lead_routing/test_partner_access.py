"""Who may see a partner's registration or promotion application, as
lead-routing answers approval and document-versioning (domain/partner_access.py)."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument
from lead_routing.domain.distributor import Distributor, Territory
from lead_routing.domain.partner_access import NOT_THEIRS, NOTHING, READ, READ_WRITE, decide, validate_query

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
HZ = Distributor(
    tenant_id="t-1",
    distributor_id="dist-hz",
    name="杭州机电",
    credit_code="",
    territory=Territory(),
    tier="金牌",
    contract_starts=date(2026, 1, 1),
    contract_ends=date(2027, 12, 31),
    users=("zhaolei", "qianyi"),
    channel_manager_id="wangqiang",
    active=True,
    version=1,
    updated_by="admin",
    created_at=NOW,
    updated_at=NOW,
)


def user(user_id: str, role: str, organisation: str = "") -> Caller:
    return Caller("t-1", user_id, role, organisation=organisation)


@pytest.mark.parametrize(
    ("who", "registration", "application"),
    [
        (user("admin", "admin"), READ_WRITE, READ_WRITE),
        (user("wangqiang", "manager"), READ_WRITE, READ_WRITE),  # the distributor's channel manager
        (user("lisi", "manager"), READ, NOT_THEIRS),  # other managers see partner protection only
        (user("zhaolei", "partner", "dist-hz"), READ, READ_WRITE),  # their own organisation's
        (user("qianyi", "partner", "dist-hz"), READ, READ_WRITE),  # a colleague's registration too
        (user("sunli", "partner", "dist-nb"), NOT_THEIRS, NOT_THEIRS),  # another distributor's
        (user("sunli", "partner", "dist-hz"), NOT_THEIRS, NOT_THEIRS),  # a token naming an org they are not in
        (user("zhaolei", "partner"), NOT_THEIRS, NOT_THEIRS),  # no organisation on the token
        (user("rep-1", "rep"), NOT_THEIRS, NOT_THEIRS),
        (user("fin-1", "finance"), NOT_THEIRS, NOT_THEIRS),
        (user("rev-1", "reviewer"), NOT_THEIRS, NOT_THEIRS),
    ],
)
def test_who_sees_a_registration_and_an_application(who: Caller, registration, application) -> None:
    assert decide(who, "registration", "dist-hz", HZ, NOW) == registration
    assert decide(who, "promotion_application", "dist-hz", HZ, NOW) == application


def test_a_partner_of_a_distributor_out_of_contract_or_inactive_sees_nothing() -> None:
    zhaolei = user("zhaolei", "partner", "dist-hz")
    assert decide(zhaolei, "registration", "dist-hz", replace(HZ, active=False), NOW) == NOT_THEIRS
    assert decide(zhaolei, "registration", "dist-hz", replace(HZ, contract_ends=date(2026, 11, 30)), NOW) == NOT_THEIRS
    # The distributor is gone: managers still read the registration, its channel manager is nobody.
    assert decide(user("wangqiang", "manager"), "registration", "dist-hz", None, NOW) == READ


def test_an_unknown_subject_does_not_exist_for_anyone() -> None:
    assert decide(user("admin", "admin"), "registration", None, None, NOW) == NOTHING


def test_a_service_asks_about_its_own_tenant_and_the_portals_subjects_only() -> None:
    asker = Caller("t-1", "approval", "system")
    validate_query(asker, "t-1", "zhaolei", "partner", "registration")
    for tenant, role, subject_type, field in (
        ("t-2", "partner", "registration", "tenant_id"),
        ("t-1", "boss", "registration", "role"),
        ("t-1", "partner", "opportunity", "subject_type"),
    ):
        with pytest.raises(InvalidArgument) as refused:
            validate_query(asker, tenant, "zhaolei", role, subject_type)
        assert refused.value.violations[0].field == field
