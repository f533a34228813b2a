"""Duplicate leads on intake: the same 统一社会信用代码, the same normalised
phone, or a near-identical company name in the same city."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from rapidfuzz import fuzz

from lead_routing.domain.address import strip_place_prefix
from lead_routing.domain.model import Lead

# Two names this alike (0-100, after dropping legal forms) are one company.
SIMILAR_NAME_SCORE = 90.0
# Without the places it starts with, a name still needs this many characters
# to identify a company ("恒盛纺织" does, "注塑机" does not).
MIN_CORE_NAME = 4
_LEGAL_FORMS = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|公司|分厂|厂)$")
_NOISE = re.compile(r"[\s()（）·.,，、\-]")


def name_key(name: str) -> str:
    """Company names as people type them: no spaces, brackets or legal form."""
    key = _NOISE.sub("", name)
    while (stripped := _LEGAL_FORMS.sub("", key)) != key and stripped:
        key = stripped
    return key


class Known(Protocol):
    """What the duplicate test reads of a lead already there (a Lead, or just these columns)."""

    @property
    def lead_id(self) -> str: ...
    @property
    def company_name(self) -> str: ...
    @property
    def credit_code(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def city(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class KnownLead:
    """Just the columns the duplicate test reads, for the thousands of leads a city can hold."""

    lead_id: str
    company_name: str
    credit_code: str | None
    phone: str | None
    city: str
    created_at: datetime


@dataclass(frozen=True)
class Match:
    lead: Known
    matched_by: str  # credit_code | phone | similar_name


def find_duplicate(new: Lead, candidates: list[Known]) -> Match | None:
    """The strongest match among the tenant's leads, oldest first."""
    # Two different credit codes are two companies, whatever else they share.
    ordered = sorted(
        (c for c in candidates if not (c.credit_code and new.credit_code and c.credit_code != new.credit_code)),
        key=lambda c: c.created_at,
    )
    if new.credit_code:
        for c in ordered:
            if c.credit_code == new.credit_code:
                return Match(c, "credit_code")
    if new.phone:
        for c in ordered:
            if c.phone == new.phone:
                return Match(c, "phone")
    if new.city:
        key = name_key(new.company_name)
        core = strip_place_prefix(key)
        for c in ordered:
            if c.city != new.city:
                continue
            other = name_key(c.company_name)
            other_core = strip_place_prefix(other)
            if fuzz.ratio(key, other) >= SIMILAR_NAME_SCORE or (
                min(len(core), len(other_core)) >= MIN_CORE_NAME and fuzz.ratio(core, other_core) >= SIMILAR_NAME_SCORE
            ):
                return Match(c, "similar_name")
    return None


def merge(existing: Lead, new: Lead, now: datetime) -> Lead:
    """Fill what the existing lead does not know yet; never overwrite.
    Tags are added to the existing ones; custom values fill missing names."""

    def keep(name: str) -> object:
        old = getattr(existing, name)
        return old if old not in (None, "") else getattr(new, name)

    coordinates = existing.latitude is not None
    if not (existing.city or existing.district):
        place = (new.province, new.city, new.district, new.adcode)
    elif not existing.district and new.district and new.city == existing.city:
        place = (existing.province, existing.city, new.district, new.adcode)
    else:
        place = (existing.province, existing.city, existing.district, existing.adcode)
    return replace(
        existing,
        **{name: keep(name) for name in _FILLED},
        province=place[0],
        city=place[1],
        district=place[2],
        adcode=place[3],
        latitude=existing.latitude if coordinates else new.latitude,
        longitude=existing.longitude if coordinates else new.longitude,
        industry_tags=tuple(dict.fromkeys((*existing.industry_tags, *new.industry_tags))),
        custom_fields={**new.custom_fields, **existing.custom_fields},
        updated_at=now,
    )


_FILLED = (
    "credit_code",
    "phone",
    "contact_name",
    "address",
    "budget_minor",
    "annual_revenue_minor",
    "purchases_6m_minor",
    "orders_3m",
    "budget_attribution",
    "content_preference",
)
