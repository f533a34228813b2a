"""crm_shared.subject_access asks the service owning a subject type: lead-routing
for the partner portal's registrations and promotion applications, opportunity
for the rest; a service not told where the owner is changes nothing (503)."""

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import Unavailable
from crm_shared.subject_access import SubjectAccess, owner_of


def test_each_subject_type_is_asked_of_its_owner() -> None:
    assert owner_of("registration") == owner_of("promotion_application") == "lead-routing"
    assert owner_of("opportunity") == owner_of("customer") == "opportunity"


async def test_a_partner_subject_without_lead_routings_address_is_unavailable_and_names_the_setting() -> None:
    access = SubjectAccess("127.0.0.1:1", "approval", 1.0)
    with pytest.raises(Unavailable) as err:
        await access.require(Caller("t", "wangqiang", "manager"), "registration", "r-1")
    assert "LEAD_ROUTING_ADDR" in err.value.message and "nothing was changed" in err.value.message
    # A service acting for the tenant is not asked about (as for opportunities).
    await access.require(Caller("t", "lead-routing", "system"), "registration", "r-1", write=True)
    await access.close()
