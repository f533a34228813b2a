"""A converted lead becomes an opportunity in one pass (service_layer/conversion.py), on fakes."""

from __future__ import annotations

from crm.events.v1 import opportunity_pb2
from crm_shared.testing import DEFAULT_NOW
from opportunity.domain.contact import new_contact
from opportunity.domain.customer import Customer
from opportunity.service_layer.conversion import ConvertedLead, lead_converted

from .fakes import fake_uow

TENANT = "t"
CODE = "91330200MA2AFK8X1K"
OTHER_CODE = "91310000MA1FL4RG8T"


def lead(**overrides: object) -> ConvertedLead:
    base: dict[str, object] = {
        "lead_id": "lead-1",
        "company_name": "宁波注塑机厂",
        "credit_code": "9133 0200 ma2a fk8x 1k",
        "phone": "13800138000",
        "province": "浙江省",
        "city": "宁波市",
        "district": "北仑区",
        "owner_id": "rep-1",
        "opportunity_name": "",
        "amount_minor": 5_000_000,
        "currency": "CNY",
        "contact_name": "张总",
        "address": "新碶街道 1 号",
        "latitude": 29.87,
        "longitude": 121.54,
        "industry_tags": ("注塑", "机械"),
    }
    return ConvertedLead(**(base | overrides))  # type: ignore[arg-type]


def existing_customer(**overrides: object) -> Customer:
    base: dict[str, object] = {
        "customer_id": "c-old",
        "tenant_id": TENANT,
        "name": "宁波注塑机械有限公司",
        "credit_code": None,
        "phone": "+8613800138000",
        "province": "浙江省",
        "city": "宁波市",
        "district": "",
        "owner_id": "rep-9",
        "created_at": DEFAULT_NOW,
        "updated_at": DEFAULT_NOW,
    }
    return Customer(**(base | overrides))  # type: ignore[arg-type]


async def test_a_new_customer_is_stored_once_with_the_leads_details_contact_and_opportunity() -> None:
    uow = fake_uow()
    opened = await lead_converted(uow, TENANT, lead())
    assert opened is not None and opened.customer_is_new
    [customer] = uow.customers.items(TENANT)
    assert (customer.credit_code, customer.phone, customer.owner_id) == (CODE, "+8613800138000", "rep-1")
    assert (customer.address, customer.latitude, customer.longitude) == ("新碶街道 1 号", 29.87, 121.54)
    assert (customer.industry, customer.tags) == ("注塑", ["注塑", "机械"])
    [opp] = uow.opportunities.items(TENANT)
    assert (opp.lead_id, opp.owner_id, opp.customer_id, opp.amount_minor) == (
        "lead-1",
        "rep-1",
        customer.customer_id,
        5_000_000,
    )
    assert opp.name == "宁波注塑机厂 商机"
    [contact] = uow.contacts.items(TENANT)
    assert (contact.name, contact.phone, contact.customer_id) == ("张总", "+8613800138000", customer.customer_id)
    [created] = uow.events("opportunity.created")
    assert isinstance(created, opportunity_pb2.OpportunityCreated)
    assert (created.lead_id, created.customer_name) == ("lead-1", "宁波注塑机厂")
    # The consumer commits together with its inbox record, not the handler.
    assert not uow.committed


async def test_a_second_event_about_the_same_lead_changes_nothing() -> None:
    uow = fake_uow()
    await lead_converted(uow, TENANT, lead())
    assert await lead_converted(uow, TENANT, lead(company_name="另一家")) is None
    assert len(uow.opportunities.items()) == len(uow.customers.items()) == len(uow.contacts.items()) == 1
    assert len(uow.published) == 1


async def test_a_customer_found_by_phone_learns_the_code_and_keeps_its_details_and_contacts() -> None:
    uow = fake_uow()
    uow.customers.put(existing_customer(address="老地址"))
    uow.contacts.put(new_contact(contact_id="k-1", tenant_id=TENANT, customer_id="c-old", now=DEFAULT_NOW, name="张总"))
    opened = await lead_converted(uow, TENANT, lead())
    assert opened is not None and not opened.customer_is_new
    [customer] = uow.customers.items(TENANT)
    assert (customer.customer_id, customer.credit_code, customer.address) == ("c-old", CODE, "老地址")
    assert uow.opportunities.items(TENANT)[0].customer_id == "c-old"
    assert len(uow.contacts.items(TENANT)) == 1  # 张总 is already a contact


async def test_the_same_phone_with_another_code_is_another_company() -> None:
    uow = fake_uow()
    uow.customers.put(existing_customer(credit_code=OTHER_CODE))
    opened = await lead_converted(uow, TENANT, lead())
    assert opened is not None and opened.customer_is_new
    assert len(uow.customers.items(TENANT)) == 2


async def test_bad_coordinates_and_an_amount_out_of_bounds_do_not_fail_a_conversion() -> None:
    uow = fake_uow()
    opened = await lead_converted(uow, TENANT, lead(latitude=291.0, longitude=121.54, amount_minor=10**18))
    assert opened is not None
    customer = uow.customers.items(TENANT)[0]
    assert (customer.latitude, customer.longitude) == (None, None)
    opp = uow.opportunities.items(TENANT)[0]
    assert (opp.amount_minor, opp.currency) == (None, "CNY")


async def test_the_contact_of_a_lead_with_a_bad_phone_joins_a_known_customer_without_it() -> None:
    uow = fake_uow()
    uow.customers.put(existing_customer(credit_code=CODE, phone=None))
    assert await lead_converted(uow, TENANT, lead(phone="12", contact_name="李工")) is not None
    [contact] = uow.contacts.items(TENANT)
    assert (contact.name, contact.phone, contact.customer_id) == ("李工", "", "c-old")
