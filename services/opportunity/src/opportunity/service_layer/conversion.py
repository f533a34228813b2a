"""A converted lead (`lead.converted`) becomes an opportunity, in one pass:
the customer it joins (by credit code, else by phone unless both carry
different codes, else a new one with the lead's address, coordinates and
industry), the opportunity owned by the lead's owner, and the lead's contact
person on the customer. A second event about the same lead changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace

from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from crm_shared.natural_keys import credit_code_key, phone_key

from opportunity.domain.contact import contact_from_lead
from opportunity.domain.customer import match_customer, with_lead_details
from opportunity.domain.opportunity import Opened, expected_amount, open_opportunity
from opportunity.service_layer.common import store_opened
from opportunity.service_layer.uow import OpportunityUnitOfWork

log = get_logger("opportunity.conversion")
# Contacts added on behalf of lead-routing name it as their author.
LEAD_ROUTING = "lead-routing"


@dataclass(frozen=True)
class ConvertedLead:
    lead_id: str
    company_name: str
    credit_code: str
    phone: str
    province: str
    city: str
    district: str
    owner_id: str
    opportunity_name: str
    amount_minor: int | None
    currency: str
    contact_name: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    industry_tags: tuple[str, ...] = ()
    partner_org_id: str = ""
    registration_id: str = ""
    partner_name: str = ""


async def lead_converted(uow: OpportunityUnitOfWork, tenant_id: str, lead: ConvertedLead) -> Opened | None:
    """The customer (new or attached) and opportunity made; None when the
    lead was converted before. The consumer's unit of work commits."""
    # The inbox stops a redelivered event; this stops a second event about
    # the same lead (the unique (tenant, lead) index backs it up).
    if await uow.opportunities.by_lead(tenant_id, lead.lead_id):
        log.info("lead already converted, ignored", lead_id=lead.lead_id)
        return None
    now = uow.clock.now()
    code = credit_code_key(lead.credit_code)
    by_phone = await uow.customers.by_phone(tenant_id, phone_key(lead.phone))
    by_code = await uow.customers.by_credit_code(tenant_id, code)
    existing = match_customer(by_code, by_phone, code)
    if existing and existing not in (by_code, by_phone):  # matched by phone and learnt its code
        await uow.customers.set_credit_code(existing, now)
    amount = expected_amount(lead.amount_minor)
    if amount != lead.amount_minor:
        log.warning("expected amount of a converted lead out of bounds, dropped", lead_id=lead.lead_id)
    opened = open_opportunity(
        tenant_id=tenant_id,
        opportunity_id=new_id(),
        customer_id=new_id(),
        now=now,
        existing=existing,
        customer_name=lead.company_name,
        credit_code=lead.credit_code,
        phone=lead.phone,
        province=lead.province,
        city=lead.city,
        district=lead.district,
        name=lead.opportunity_name or f"{lead.company_name} 商机",
        amount_minor=amount,
        currency=lead.currency if amount is not None else "CNY",
        owner_id=lead.owner_id,
        lead_id=lead.lead_id,
        partner_org_id=lead.partner_org_id,
        registration_id=lead.registration_id,
        partner_name=lead.partner_name,
    )
    if opened.customer_is_new:
        opened = replace(
            opened,
            customer=with_lead_details(
                opened.customer,
                address=lead.address,
                latitude=lead.latitude,
                longitude=lead.longitude,
                industry_tags=lead.industry_tags,
            ),
        )
    await store_opened(uow, opened)
    customer = opened.customer
    name = lead.contact_name.strip()[:100]
    if not name:
        return opened
    known = [] if opened.customer_is_new else await uow.contacts.for_customer(tenant_id, customer.customer_id)
    if not any(c.name == name for c in known):
        contact = contact_from_lead(
            contact_id=new_id(),
            tenant_id=tenant_id,
            customer_id=customer.customer_id,
            now=now,
            name=name,
            phone=lead.phone,
        )
        await uow.contacts.add(contact, LEAD_ROUTING)
    return opened
