"""A customer's contacts, its decision chain: what a valid contact is, and
how every change (the first included) becomes a version."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.natural_keys import PHONE_PROBLEM, phone_key

from opportunity.domain.customer import clean_text

PURCHASE_ROLES = ("决策人", "影响者", "使用者", "技术把关", "采购", "财务", "其他")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class ContactVersion:
    version: int
    name: str
    title: str
    phone: str
    email: str
    purchase_role: str
    influence: int
    personality: str
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class Contact:
    contact_id: str
    tenant_id: str
    customer_id: str
    name: str
    title: str
    phone: str
    email: str
    purchase_role: str
    influence: int
    personality: str
    version: int
    created_at: datetime
    updated_at: datetime
    history: tuple[ContactVersion, ...] = field(default=(), compare=False)

    def snapshot(self, by: str, at: datetime) -> ContactVersion:
        return ContactVersion(
            self.version,
            self.name,
            self.title,
            self.phone,
            self.email,
            self.purchase_role,
            self.influence,
            self.personality,
            by,
            at,
        )


CONTACT_FIELDS = ("name", "title", "phone", "email", "purchase_role", "influence", "personality")


def _valid_contact(contact: Contact) -> Contact:
    v = Validator()
    name = clean_text(v, "name", contact.name, 100, required=True)
    title = clean_text(v, "title", contact.title, 100)
    phone = contact.phone.strip()
    if phone:
        e164 = phone_key(phone)
        if e164 is None:
            v.add("phone", PHONE_PROBLEM)
        phone = e164 or phone
    email = contact.email.strip()
    if email and (len(email) > 200 or not EMAIL.match(email)):
        v.add("email", "is not an e-mail address")
    role = contact.purchase_role.strip() or "其他"
    if role not in PURCHASE_ROLES:
        v.add("purchase_role", f"must be one of {', '.join(PURCHASE_ROLES)}")
    if not 1 <= contact.influence <= 5:
        v.add("influence", "must be from 1 to 5")
    personality = clean_text(v, "personality", contact.personality, 500)
    v.check()
    return replace(
        contact, name=name, title=title, phone=phone, email=email, purchase_role=role, personality=personality
    )


def new_contact(
    *,
    contact_id: str,
    tenant_id: str,
    customer_id: str,
    now: datetime,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    purchase_role: str = "",
    influence: int = 0,
    personality: str = "",
) -> Contact:
    contact = Contact(
        contact_id,
        tenant_id,
        customer_id,
        name,
        title,
        phone,
        email,
        purchase_role,
        influence or 3,
        personality,
        1,
        now,
        now,
    )
    return _valid_contact(contact)


def change_contact(contact: Contact, changes: dict, now: datetime) -> Contact | None:
    """The next version, or None when nothing actually changed. The old
    version stays in the history (the caller stores the new snapshot)."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    assert not unknown, unknown
    candidate = _valid_contact(replace(contact, **changes))
    if all(getattr(candidate, f) == getattr(contact, f) for f in CONTACT_FIELDS):
        return None
    return replace(candidate, version=contact.version + 1, updated_at=now)


def contact_from_lead(
    *, contact_id: str, tenant_id: str, customer_id: str, now: datetime, name: str, phone: str
) -> Contact:
    """A converted lead's contact person: with the lead's phone when it is a
    valid one, else without it (a bad phone does not fail a conversion)."""
    try:
        return new_contact(
            contact_id=contact_id, tenant_id=tenant_id, customer_id=customer_id, now=now, name=name, phone=phone
        )
    except InvalidArgument:
        return new_contact(contact_id=contact_id, tenant_id=tenant_id, customer_id=customer_id, now=now, name=name)
