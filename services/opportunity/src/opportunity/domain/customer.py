"""The customer master's Customer (the `customers` row, one type for every
use): what a valid customer is, which customer a new opportunity or a
converted lead joins, and what a lead tells a new customer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from crm_shared.domain.errors import Validator
from crm_shared.limits import MAX_CUSTOMER_TAGS
from crm_shared.natural_keys import CREDIT_CODE_PROBLEM, credit_code_key, phone_key

from opportunity.domain.access import Scope

VALUE_TIERS = ("战略", "重点", "普通")
DEFAULT_VALUE_TIER = "普通"
MAX_NAME = 200
MAX_TAGS = MAX_CUSTOMER_TAGS
MAX_TAG = 50
# A follow-up moved more often than this is flagged on the customer.
FOLLOW_UP_MOVES_FLAG = 3


@dataclass(frozen=True)
class Location:
    province: str = ""
    city: str = ""
    district: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class CustomerCandidate:
    """What another service's duplicate test reads of a customer (FindCustomers)."""

    customer_id: str
    name: str
    credit_code: str | None
    phone: str | None
    city: str
    created_at: datetime


@dataclass(frozen=True)
class Customer:
    """A customer with everything the master keeps (the `customers` row)."""

    customer_id: str
    tenant_id: str
    name: str
    credit_code: str | None
    phone: str | None
    province: str
    city: str
    district: str
    owner_id: str
    created_at: datetime
    updated_at: datetime
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    industry: str = ""
    size_tier: str = ""
    cooperation_stage: str = ""
    value_tier: str = DEFAULT_VALUE_TIER
    tags: list[str] = field(default_factory=list)
    # Dynamic attributes: written only from activities and events.
    last_interaction_at: datetime | None = None
    purchase_total_minor: int = 0
    service_request_count: int = 0
    next_follow_up_at: datetime | None = None
    follow_up_moves: int = 0
    # The last place taken in the customer's activity chain.
    activity_seq: int = 0

    @property
    def follow_up_flagged(self) -> bool:
        return self.follow_up_moves > FOLLOW_UP_MOVES_FLAG

    def visible_in(self, scope: Scope) -> bool:
        """The one visibility rule of a customer: its owner is in the caller's scope."""
        return scope.covers(self.tenant_id, self.owner_id)

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
        keep = lambda new, old: old if new is None else new
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


def clean_text(v: Validator, name: str, value: str, limit: int, required: bool = False) -> str:
    value = value.strip()
    if required:
        v.require(name, value)
    if len(value) > limit:
        v.add(name, f"is longer than {limit} characters")
    return value


def _location(v: Validator, loc: Location) -> Location:
    for name in ("province", "city", "district"):
        clean_text(v, f"location.{name}", getattr(loc, name), 50)
    clean_text(v, "location.address", loc.address, 300)
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


def _apply(v: Validator, base: Customer, f: CustomerFields, *, creating: bool) -> Customer:
    changes: dict = {}
    if f.name is not None or creating:
        changes["name"] = clean_text(v, "name", f.name or "", MAX_NAME, required=True)
    if f.credit_code is not None or creating:
        raw = (f.credit_code or "").strip()
        if creating and not raw:
            v.add("credit_code", "is required (统一社会信用代码)")
        elif raw:
            code = credit_code_key(raw)
            if code is None:
                v.add("credit_code", CREDIT_CODE_PROBLEM)
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
        changes |= {
            "province": loc.province,
            "city": loc.city,
            "district": loc.district,
            "address": loc.address,
            "latitude": loc.latitude,
            "longitude": loc.longitude,
        }
    for name in ("industry", "size_tier", "cooperation_stage"):
        value = getattr(f, name)
        if value is not None:
            changes[name] = clean_text(v, name, value, 100 if name == "industry" else 50)
    if f.value_tier is not None:
        tier = f.value_tier.strip() or DEFAULT_VALUE_TIER
        if tier not in VALUE_TIERS:
            v.add("value_tier", f"must be one of {', '.join(VALUE_TIERS)}")
        changes["value_tier"] = tier
    if f.tags is not None:
        changes["tags"] = _tags(v, f.tags)
    return replace(base, **changes)


def new_customer(*, customer_id: str, tenant_id: str, owner_id: str, now: datetime, fields: CustomerFields) -> Customer:
    v = Validator()
    v.require("owner_id", owner_id)
    blank = Customer(
        customer_id=customer_id,
        tenant_id=tenant_id,
        name="",
        credit_code=None,
        phone=None,
        province="",
        city="",
        district="",
        owner_id=owner_id,
        created_at=now,
        updated_at=now,
    )
    customer = _apply(v, blank, replace(fields, value_tier=fields.value_tier or DEFAULT_VALUE_TIER), creating=True)
    v.check()
    return customer


def update_customer(customer: Customer, fields: CustomerFields, now: datetime) -> Customer:
    v = Validator()
    updated = _apply(v, customer, fields, creating=False)
    v.check()
    return replace(updated, updated_at=now)


def match_customer(by_code: Customer | None, by_phone: Customer | None, credit_code: str | None) -> Customer | None:
    """The same credit code is the same company. The same phone is too,
    unless both sides carry (different) codes; a code learnt this way is kept."""
    if by_code:
        return by_code
    if by_phone is None or (credit_code and by_phone.credit_code):
        return None
    return replace(by_phone, credit_code=credit_code) if credit_code else by_phone


def valid_coordinates(latitude: float | None, longitude: float | None) -> tuple[float | None, float | None]:
    """Coordinates from elsewhere (a lead) are kept only as a valid pair, else dropped."""
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


def with_lead_details(
    customer: Customer, *, address: str, latitude: float | None, longitude: float | None, industry_tags: Iterable[str]
) -> Customer:
    """A customer made from a lead takes the lead's address, coordinates and
    industry tags, cut to what the master keeps (nothing here fails a conversion)."""
    tags = [t.strip()[:MAX_TAG] for t in industry_tags if t.strip()][:MAX_TAGS]
    lat, lng = valid_coordinates(latitude, longitude)
    return replace(
        customer,
        address=address.strip()[:300],
        latitude=lat,
        longitude=lng,
        industry=tags[0][:100] if tags else "",
        tags=tags,
    )
