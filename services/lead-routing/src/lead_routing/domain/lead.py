"""Leads: what a valid lead is and what may happen to it."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from crm_shared import limits, roles
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, PermissionDenied, Validator, Violation
from crm_shared.money import check_amount
from crm_shared.natural_keys import normalise_credit_code, normalise_phone

from lead_routing.domain.address import Place, centroid, resolve
from lead_routing.domain.fields import MAX_TEXT, check_custom_values, normalise_tags

SOURCES = ("展会扫码", "百度爱采购", "抖音本地推", "官网表单", "伙伴报备", "导入", "手工录入")
# Names the channels went by before; kept so old forms and files still load.
SOURCE_ALIASES = {"网站表单": "官网表单", "渠道报备": "伙伴报备", "合作伙伴报备": "伙伴报备"}
PARTNER_SOURCE = "伙伴报备"
CURRENCIES = ("CNY",)
STATUSES = ("open", "converted", "lost")


COORDINATES_TYPED = "typed"
APPROXIMATE = ("district", "city")  # a division's centroid, finest first
MAX_ATTRIBUTION = limits.MAX_ATTRIBUTION  # characters of a touch's channel or campaign


@dataclass(frozen=True)
class Touch:
    """One intake of a lead (multi-touch attribution): its source tag, the
    channel and campaign it named, when, who entered it, and the contact it
    gave. The first intake is the first touch; each duplicate merged into the
    lead adds one."""

    source: str
    at: datetime
    channel: str = ""
    campaign: str = ""
    created_by: str = ""
    contact_name: str = ""
    phone: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "source": self.source,
            "at": self.at.isoformat(),
            "channel": self.channel,
            "campaign": self.campaign,
            "created_by": self.created_by,
            "contact_name": self.contact_name,
            "phone": self.phone,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Touch:
        at = datetime.fromisoformat(str(data["at"]))
        return cls(
            source=str(data.get("source", "")),
            at=at if at.tzinfo else at.replace(tzinfo=UTC),
            **{k: str(data.get(k) or "") for k in ("channel", "campaign", "created_by", "contact_name", "phone")},
        )


@dataclass(frozen=True)
class LeadData:
    """What a caller says about a lead, before validation."""

    company_name: str
    credit_code: str = ""
    contact_name: str = ""
    phone: str = ""
    source: str = ""
    address: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    latitude: float | None = None
    longitude: float | None = None
    industry_tags: tuple[str, ...] = ()
    budget_minor: int | None = None
    currency: str = "CNY"
    annual_revenue_minor: int | None = None
    annual_revenue_currency: str = "CNY"
    purchases_6m_minor: int | None = None
    purchases_6m_currency: str = "CNY"
    orders_3m: int | None = None
    budget_attribution: str = ""
    content_preference: str = ""
    custom_fields: Mapping[str, Any] = field(default_factory=dict)
    channel: str = ""
    campaign: str = ""


@dataclass(frozen=True)
class Lead:
    lead_id: str
    tenant_id: str
    company_name: str
    credit_code: str | None
    contact_name: str
    phone: str | None
    source: str
    province: str
    city: str
    district: str
    budget_minor: int | None
    currency: str
    status: str  # open | converted | lost
    owner_id: str | None
    opportunity_name: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    address: str = ""
    adcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    industry_tags: tuple[str, ...] = ()
    annual_revenue_minor: int | None = None
    purchases_6m_minor: int | None = None
    orders_3m: int | None = None
    budget_attribution: str = ""
    content_preference: str = ""
    custom_fields: Mapping[str, Any] = field(default_factory=dict)
    lost_reason: str | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    touches: tuple[Touch, ...] = ()
    coordinates_source: str = ""  # COORDINATES_TYPED, one of APPROXIMATE, or "" (none)
    # The distributor whose approved registration protects this customer ("" = none;
    # lead_routing.domain.protection sets and clears it), and its name for the reps' view.
    partner_org_id: str = ""
    partner_name: str = ""
    registration_id: str = ""  # the registration that made or matched it; kept after a lapse
    # The distributor whose partner user typed this lead in (伙伴报备), "" for anyone else's:
    # it is that distributor's lead, whichever of its users reads it.
    entered_for: str = ""
    protected_until: datetime | None = None

    @property
    def partner_protected(self) -> bool:
        """Whether a distributor holds this customer: from approval until the protection
        lapses (a converted lead keeps its partner: the deal is that distributor's)."""
        return bool(self.partner_org_id)

    @property
    def all_touches(self) -> tuple[Touch, ...]:
        """Every intake, first first; a lead stored before touches were kept
        has its own source and time as its one touch."""
        if self.touches:
            return self.touches
        return (Touch(self.source, self.created_at, created_by=self.created_by),)

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct sources of the touches, in the order they first came."""
        return tuple(dict.fromkeys(t.source for t in self.all_touches))

    def as_seen_by(self, user_id: str, role: str, colleagues: Collection[str] = ()) -> Lead:
        """The lead as this caller may read it: a partner sees only the touches
        they or `colleagues` (their distributor's users) entered, not the other
        channels' contacts and sources."""
        if role != "partner":
            return self
        ours = {user_id, *colleagues}
        return replace(self, touches=tuple(t for t in self.all_touches if t.created_by in ours))

    @property
    def coordinates_approximate(self) -> bool:
        return self.coordinates_source in APPROXIMATE

    @property
    def division(self) -> str:
        """行政区划: the finest division known."""
        return self.district or self.city

    def visible_to(
        self, user_id: str, role: str, managed: frozenset[str] = frozenset(), organisation: str = ""
    ) -> bool:
        """Whether the lead is in the caller's `lead_scope`; `managed` is the
        team of a manager (the reps whose manager they are), `organisation` a partner's distributor."""
        return lead_scope(user_id, role, organisation).covers(self, managed)

    def works_on(self, user_id: str, role: str) -> bool:
        """Whether the caller may record the first touch or read why the owner
        is who it is, of a lead they see: a rep of their own leads only."""
        return role != roles.REP or self.owner_id == user_id

    def convert(self, opportunity_name: str, converter_id: str, now: datetime, *, role: str) -> Lead:
        """A pool lead converted by a manager or admin becomes theirs. A rep
        converting a pool lead is refused: a rep takes a pool lead by claiming
        it, where the daily claim limit, capacity, the route's candidates and
        any cool-down apply."""
        self._require_open()
        if role == roles.REP and self.owner_id is None:
            raise FailedPrecondition(
                f"lead {self.lead_id} is in the pool; claim it before converting it",
                [Violation("lead", self.lead_id, "is in the pool: claim it first (POST /v1/leads/{id}/claim)")],
            )
        name = opportunity_name.strip() or f"{self.company_name} 商机"
        return replace(
            self,
            status="converted",
            opportunity_name=name,
            owner_id=self.owner_id or converter_id,
            closed_by=converter_id,
            closed_at=now,
            updated_at=now,
        )

    def lose(self, reason: str, actor_id: str, now: datetime, *, role: str) -> Lead:
        """A rep marks only their own lead lost; a manager or admin any they see."""
        if role == roles.REP and self.owner_id != actor_id:
            raise PermissionDenied("only the lead's owner, a manager or an admin marks it lost")
        reason = reason.strip()
        v = Validator()
        v.require("reason", reason, "say why the lead was lost")
        if len(reason) > 500:
            v.add("reason", "is longer than 500 characters")
        v.check()
        self._require_open()
        return replace(self, status="lost", lost_reason=reason, closed_by=actor_id, closed_at=now, updated_at=now)

    def _require_open(self) -> None:
        if self.status != "open":
            raise FailedPrecondition(f"lead {self.lead_id} is {self.status}, only open leads can be closed")


# What each role reads of a tenant's leads: the whole tenant; what their
# organisation registered; the pool (closed pool leads too), their own and their team's; or,
# any other role, as a rep: their own and the pool (unowned open leads).
TENANT, REGISTERED, TEAM, OWN = "tenant", "registered", "team", "own"
LEAD_READS = {roles.ADMIN: TENANT, roles.SYSTEM: TENANT, roles.PARTNER: REGISTERED, roles.MANAGER: TEAM}


@dataclass(frozen=True)
class LeadScope:
    """Which of a tenant's leads a caller reads: every one (`whole_tenant`);
    a partner's: those of their distributor `partner_org` (its approved
    registrations hold them, or its users typed them in as 伙伴报备); or those
    owned by `owner_id` or, with `team_of`, by a rep that manager manages, and
    the unowned ones that are open (the pool), closed ones too with `closed_pool`."""

    whole_tenant: bool = False
    partner_org: str | None = None  # a partner's scope ("" names no distributor: no lead)
    owner_id: str | None = None
    team_of: str | None = None
    closed_pool: bool = False

    def team_needed(self, lead: Lead) -> str | None:
        """The manager whose team `covers` needs to decide this lead; None when the team does not matter."""
        return self.team_of if lead.owner_id not in (None, self.owner_id) else None

    def covers(self, lead: Lead, managed: frozenset[str] = frozenset()) -> bool:
        if self.whole_tenant:
            return True
        if self.partner_org is not None:
            if not self.partner_org:
                return False
            # A lead that came of a registration is the distributor's only while it holds it (not after a lapse).
            held = lead.partner_org_id == self.partner_org
            return held or (not lead.registration_id and lead.entered_for == self.partner_org)
        if lead.owner_id is None:
            return lead.status == "open" or self.closed_pool
        return lead.owner_id == self.owner_id or (self.team_of is not None and lead.owner_id in managed)


def lead_scope(user_id: str, role: str, organisation: str = "") -> LeadScope:
    reads = LEAD_READS.get(role, OWN)
    if reads == TENANT:
        return LeadScope(whole_tenant=True)
    if reads == REGISTERED:
        return LeadScope(partner_org=organisation)
    team = reads == TEAM
    return LeadScope(owner_id=user_id, team_of=user_id if team else None, closed_pool=team)


def list_scope(caller: Caller) -> LeadScope:
    """The leads a caller lists: the ones `Lead.visible_to` shows them."""
    return lead_scope(caller.user_id, caller.role, caller.organisation)


def intake_owner(user_id: str, role: str) -> str | None:
    """A rep's new lead is theirs; anyone else's starts in the pool."""
    return user_id if role == roles.REP else None


def intake_source(given: str, role: str) -> str:
    """What a partner enters is a partner registration; a lead without a source was typed in by hand."""
    if role == "partner":
        return PARTNER_SOURCE
    return given if given.strip() else "手工录入"


def normalise_source(value: str, v: Validator) -> str:
    source = SOURCE_ALIASES.get(value.strip(), value.strip())
    if source not in SOURCES:
        v.add("source", f"{value!r} is not a source tag; use one of {', '.join(SOURCES)}")
    return source


def _money(amount: int | None, currency: str, v: Validator, field: str) -> None:
    """The one money rule (crm_shared.money): not negative, at most 10^15 分, an accepted currency."""
    check_amount(v, field, amount, currency, currencies=CURRENCIES)


def _coordinates(lat: float | None, lng: float | None, v: Validator) -> None:
    if (lat is None) != (lng is None):
        v.add("latitude" if lat is None else "longitude", "give latitude and longitude together")
    if lat is not None and not (math.isfinite(lat) and -90 <= lat <= 90):
        v.add("latitude", "must be between -90 and 90")
    if lng is not None and not (math.isfinite(lng) and -180 <= lng <= 180):
        v.add("longitude", "must be between -180 and 180")


def new_lead(
    *,
    lead_id: str,
    tenant_id: str,
    owner_id: str | None,
    created_by: str,
    now: datetime,
    data: LeadData,
    custom_types: Mapping[str, str] | None = None,
    place: Place | None = None,
    entered_for: str = "",
) -> Lead:
    """A validated lead; every problem is reported at once, by field.
    `place` is the resolved address when the caller resolved it already;
    `entered_for` the distributor of the partner user entering it."""
    v = Validator()
    company_name = data.company_name.strip()
    v.require("company_name", company_name)
    if len(company_name) > MAX_TEXT:
        v.add("company_name", f"is longer than {MAX_TEXT} characters")
    if len(data.contact_name.strip()) > 100:
        v.add("contact_name", "is longer than 100 characters")
    code = normalise_credit_code(data.credit_code, v)
    e164 = normalise_phone(data.phone, v)
    if not code and not e164 and not v.violations:
        v.add("phone", "a lead needs a phone number or a 统一社会信用代码 to be followed up")
    source = normalise_source(data.source, v)
    if len(data.address) > 500:
        v.add("address", "is longer than 500 characters")
    _coordinates(data.latitude, data.longitude, v)
    tags = normalise_tags(list(data.industry_tags), v, "industry_tags")
    _money(data.budget_minor, data.currency, v, "budget")
    _money(data.annual_revenue_minor, data.annual_revenue_currency, v, "annual_revenue")
    _money(data.purchases_6m_minor, data.purchases_6m_currency, v, "purchases_6m")
    if data.orders_3m is not None and not 0 <= data.orders_3m <= 1_000_000:
        v.add("orders_3m", "must be between 0 and 1000000")
    for name in ("budget_attribution", "content_preference"):
        if len(getattr(data, name).strip()) > 100:
            v.add(name, "is longer than 100 characters")
    custom = check_custom_values(data.custom_fields, custom_types or {}, v)
    for name in ("channel", "campaign"):
        if len(getattr(data, name).strip()) > MAX_ATTRIBUTION:
            v.add(name, f"is longer than {MAX_ATTRIBUTION} characters")
    v.check()

    given = "".join(x.strip() for x in (data.province, data.city, data.district, data.address))
    if place is None:
        place = resolve(given) if given else Place()
    latitude, longitude, coordinates_source = data.latitude, data.longitude, COORDINATES_TYPED
    if latitude is None:
        # No coordinates typed: the district's centroid, else the city's (approximate).
        found = centroid(place.adcode) if place.adcode else None
        latitude, longitude, coordinates_source = found or (None, None, "")
    return Lead(
        lead_id=lead_id,
        tenant_id=tenant_id,
        company_name=company_name,
        credit_code=code,
        contact_name=data.contact_name.strip(),
        phone=e164,
        source=source,
        # A place the table does not know keeps the parts as given.
        province=place.province or data.province.strip(),
        city=place.city or data.city.strip(),
        district=place.district or data.district.strip(),
        adcode=place.adcode,
        address=data.address.strip(),
        latitude=latitude,
        longitude=longitude,
        coordinates_source=coordinates_source,
        industry_tags=tags,
        budget_minor=data.budget_minor,
        currency=data.currency or "CNY",
        annual_revenue_minor=data.annual_revenue_minor,
        purchases_6m_minor=data.purchases_6m_minor,
        orders_3m=data.orders_3m,
        budget_attribution=data.budget_attribution.strip(),
        content_preference=data.content_preference.strip(),
        custom_fields=custom,
        status="open",
        owner_id=owner_id,
        opportunity_name=None,
        created_by=created_by,
        created_at=now,
        updated_at=now,
        entered_for=entered_for,
        touches=(
            Touch(
                source=source,
                at=now,
                channel=data.channel.strip(),
                campaign=data.campaign.strip(),
                created_by=created_by,
                contact_name=data.contact_name.strip(),
                phone=e164 or "",
            ),
        ),
    )
