"""The customer master: what a valid customer, contact and private note is,
how contacts and notes keep their history, and who may own a customer."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from crm_shared.context import Caller
from crm_shared.domain.errors import PermissionDenied, Validator
from opportunity.domain.model import credit_code_key, phone_key

VALUE_TIERS = ("战略", "重点", "普通")
PURCHASE_ROLES = ("决策人", "影响者", "使用者", "技术把关", "采购", "财务", "其他")
MAX_NAME = 200
MAX_TAGS = 20
MAX_TAG = 50
MAX_NOTE = 10_000
# A follow-up moved more often than this is flagged on the customer.
FOLLOW_UP_MOVES_FLAG = 3
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Location:
    province: str = ""
    city: str = ""
    district: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class CustomerRecord:
    """A customer with everything the master keeps (the `customers` row)."""

    customer_id: str
    tenant_id: str
    name: str
    credit_code: str | None
    phone: str | None
    province: str
    city: str
    district: str
    address: str
    latitude: float | None
    longitude: float | None
    industry: str
    size_tier: str
    cooperation_stage: str
    value_tier: str
    tags: list[str]
    owner_id: str
    created_at: datetime
    updated_at: datetime
    last_interaction_at: datetime | None = None
    purchase_total_minor: int = 0
    service_request_count: int = 0
    next_follow_up_at: datetime | None = None
    follow_up_moves: int = 0
    activity_seq: int = 0

    @property
    def follow_up_flagged(self) -> bool:
        return self.follow_up_moves > FOLLOW_UP_MOVES_FLAG

    @property
    def location(self) -> Location:
        return Location(self.province, self.city, self.district, self.address, self.latitude, self.longitude)


@dataclass(frozen=True)
class LocationChange:
    """Parts of a location to change; None keeps a part as it is (an
    update naming only the address must not blank the province, city,
    district and coordinates). Coordinates change together."""

    province: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    clear_coordinates: bool = False

    def applied_to(self, current: Location) -> Location:
        keep = lambda new, old: old if new is None else new  # noqa: E731
        coordinates_given = self.latitude is not None or self.longitude is not None
        return Location(
            province=keep(self.province, current.province),
            city=keep(self.city, current.city),
            district=keep(self.district, current.district),
            address=keep(self.address, current.address),
            latitude=None if self.clear_coordinates else (self.latitude if coordinates_given else current.latitude),
            longitude=None if self.clear_coordinates else (self.longitude if coordinates_given else current.longitude),
        )


@dataclass(frozen=True)
class CustomerFields:
    """What a caller may type in (never the dynamic attributes)."""

    name: str | None = None
    credit_code: str | None = None
    phone: str | None = None
    location: Location | LocationChange | None = None
    industry: str | None = None
    size_tier: str | None = None
    cooperation_stage: str | None = None
    value_tier: str | None = None
    tags: list[str] | None = None


def _text(v: Validator, name: str, value: str, limit: int, required: bool = False) -> str:
    value = value.strip()
    if required:
        v.require(name, value)
    if len(value) > limit:
        v.add(name, f"is longer than {limit} characters")
    return value


def _location(v: Validator, loc: Location) -> Location:
    for name in ("province", "city", "district"):
        _text(v, f"location.{name}", getattr(loc, name), 50)
    _text(v, "location.address", loc.address, 300)
    if (loc.latitude is None) != (loc.longitude is None):
        v.add("location", "latitude and longitude come together")
    if loc.latitude is not None and not -90 <= loc.latitude <= 90:
        v.add("location.latitude", "must be between -90 and 90")
    if loc.longitude is not None and not -180 <= loc.longitude <= 180:
        v.add("location.longitude", "must be between -180 and 180")
    return Location(
        loc.province.strip(), loc.city.strip(), loc.district.strip(), loc.address.strip(), loc.latitude, loc.longitude
    )


def _tags(v: Validator, tags: Iterable[str]) -> list[str]:
    out: list[str] = []
    for tag in (t.strip() for t in tags):
        if not tag:
            continue
        if len(tag) > MAX_TAG:
            v.add("tags", f"a tag is longer than {MAX_TAG} characters")
        elif tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        v.add("tags", f"at most {MAX_TAGS} tags")
    return out


def _apply(v: Validator, base: CustomerRecord, f: CustomerFields, *, creating: bool) -> CustomerRecord:
    changes: dict = {}
    if f.name is not None or creating:
        changes["name"] = _text(v, "name", f.name or "", MAX_NAME, required=True)
    if f.credit_code is not None or creating:
        raw = (f.credit_code or "").strip()
        if creating and not raw:
            v.add("credit_code", "is required (统一社会信用代码)")
        elif raw:
            code = credit_code_key(raw)
            if code is None:
                v.add("credit_code", "is not a valid 统一社会信用代码 (18 characters with a correct check digit)")
            changes["credit_code"] = code
    if f.phone is not None:
        raw = f.phone.strip()
        e164 = phone_key(raw) if raw else None
        if raw and e164 is None:
            v.add("phone", "is not a valid phone number")
        changes["phone"] = e164
    if f.location is not None:
        if isinstance(f.location, LocationChange):
            change = f.location
            if change.clear_coordinates and (change.latitude is not None or change.longitude is not None):
                v.add("clear_coordinates", "cannot be set together with location.latitude/longitude")
            loc = _location(v, change.applied_to(base.location))
        else:
            loc = _location(v, f.location)
        changes |= dict(
            province=loc.province, city=loc.city, district=loc.district, address=loc.address,
            latitude=loc.latitude, longitude=loc.longitude,
        )
    for name in ("industry", "size_tier", "cooperation_stage"):
        value = getattr(f, name)
        if value is not None:
            changes[name] = _text(v, name, value, 100 if name == "industry" else 50)
    if f.value_tier is not None:
        tier = f.value_tier.strip() or "普通"
        if tier not in VALUE_TIERS:
            v.add("value_tier", f"must be one of {', '.join(VALUE_TIERS)}")
        changes["value_tier"] = tier
    if f.tags is not None:
        changes["tags"] = _tags(v, f.tags)
    return replace(base, **changes)


def new_customer(
    *, customer_id: str, tenant_id: str, owner_id: str, now: datetime, fields: CustomerFields
) -> CustomerRecord:
    v = Validator()
    v.require("owner_id", owner_id)
    blank = CustomerRecord(
        customer_id=customer_id, tenant_id=tenant_id, name="", credit_code=None, phone=None,
        province="", city="", district="", address="", latitude=None, longitude=None,
        industry="", size_tier="", cooperation_stage="", value_tier="普通", tags=[],
        owner_id=owner_id, created_at=now, updated_at=now,
    )
    customer = _apply(v, blank, replace(fields, value_tier=fields.value_tier or "普通"), creating=True)
    v.check()
    return customer


def update_customer(customer: CustomerRecord, fields: CustomerFields, now: datetime) -> CustomerRecord:
    v = Validator()
    updated = _apply(v, customer, fields, creating=False)
    v.check()
    return replace(updated, updated_at=now)


def resolve_owner(caller: Caller, requested: str, team: Iterable[str]) -> str:
    """Empty means the caller. A rep owns what they create; a manager may
    give it to a rep of theirs; admin to anyone."""
    owner = requested.strip() or caller.user_id
    if caller.role == "rep" and owner != caller.user_id:
        raise PermissionDenied("a rep may only create customers they own")
    if caller.role == "manager" and owner != caller.user_id and owner not in set(team):
        raise PermissionDenied(f"{owner} is not a rep of this manager")
    return owner


# --- contacts ---------------------------------------------------------------


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
            self.version, self.name, self.title, self.phone, self.email, self.purchase_role,
            self.influence, self.personality, by, at,
        )


CONTACT_FIELDS = ("name", "title", "phone", "email", "purchase_role", "influence", "personality")


def _valid_contact(contact: Contact) -> Contact:
    v = Validator()
    name = _text(v, "name", contact.name, 100, required=True)
    title = _text(v, "title", contact.title, 100)
    phone = contact.phone.strip()
    if phone:
        e164 = phone_key(phone)
        if e164 is None:
            v.add("phone", "is not a valid phone number")
        phone = e164 or phone
    email = contact.email.strip()
    if email and (len(email) > 200 or not EMAIL.match(email)):
        v.add("email", "is not an e-mail address")
    role = contact.purchase_role.strip() or "其他"
    if role not in PURCHASE_ROLES:
        v.add("purchase_role", f"must be one of {', '.join(PURCHASE_ROLES)}")
    if not 1 <= contact.influence <= 5:
        v.add("influence", "must be from 1 to 5")
    personality = _text(v, "personality", contact.personality, 500)
    v.check()
    return replace(
        contact, name=name, title=title, phone=phone, email=email, purchase_role=role, personality=personality
    )


def new_contact(
    *, contact_id: str, tenant_id: str, customer_id: str, now: datetime, name: str, title: str = "",
    phone: str = "", email: str = "", purchase_role: str = "", influence: int = 0, personality: str = "",
) -> Contact:
    contact = Contact(
        contact_id, tenant_id, customer_id, name, title, phone, email, purchase_role,
        influence or 3, personality, 1, now, now,
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


# --- private notes ----------------------------------------------------------


@dataclass(frozen=True)
class NoteVersion:
    version: int
    text: str
    edited_by: str
    edited_at: datetime


@dataclass(frozen=True)
class Note:
    note_id: str
    tenant_id: str
    customer_id: str
    author_id: str
    owner_id: str
    text: str
    version: int
    created_at: datetime
    updated_at: datetime
    history: tuple[NoteVersion, ...] = field(default=(), compare=False)


def _note_text(text: str) -> str:
    v = Validator()
    text = _text(v, "text", text, MAX_NOTE, required=True)
    v.check()
    return text


def new_note(*, note_id: str, tenant_id: str, customer_id: str, author_id: str, text: str, now: datetime) -> Note:
    return Note(note_id, tenant_id, customer_id, author_id, author_id, _note_text(text), 1, now, now)


def edit_note(note: Note, caller: Caller, text: str, now: datetime) -> Note:
    if caller.user_id != note.author_id:
        raise PermissionDenied("only the author edits a private note")
    return replace(note, text=_note_text(text), version=note.version + 1, updated_at=now)
