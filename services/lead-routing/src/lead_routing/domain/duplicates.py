"""Duplicate leads on intake: the same 统一社会信用代码, the same normalised
phone, or a near-identical company name in the same city."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz, process

from lead_routing.domain.address import strip_place_prefix
from lead_routing.domain.lead import Lead, Touch

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


def find_duplicate(new: Lead, candidates: Iterable[Known]) -> Match | None:
    """The strongest match among the tenant's leads, oldest first."""
    return DuplicateIndex(candidates).find(new)


class DuplicateIndex:
    """Leads a new one could duplicate, indexed for the test: by credit code,
    by phone, and per city with each name normalised once, compared with
    rapidfuzz's vectorised scorer. An import keeps one for the whole file and
    adds each lead it stores, instead of reading the city again per row."""

    def __init__(self, known: Iterable[Known] = ()) -> None:
        self._leads: dict[str, Known] = {}
        self._by_code: dict[str, set[str]] = {}
        self._by_phone: dict[str, set[str]] = {}
        self._cities: dict[str, _CityNames] = {}
        for lead in known:
            self.add(lead)

    def __contains__(self, lead_id: str) -> bool:
        return lead_id in self._leads

    def add(self, lead: Known) -> None:
        """A lead to test against from now on; a known one (merged, say) is replaced."""
        if (old := self._leads.get(lead.lead_id)) is not None:
            self._by_code.get(old.credit_code or "", set()).discard(old.lead_id)
            self._by_phone.get(old.phone or "", set()).discard(old.lead_id)
            if old.city:
                self._cities[old.city].drop(old.lead_id)
        self._leads[lead.lead_id] = lead
        if lead.credit_code:
            self._by_code.setdefault(lead.credit_code, set()).add(lead.lead_id)
        if lead.phone:
            self._by_phone.setdefault(lead.phone, set()).add(lead.lead_id)
        if lead.city:
            self._cities.setdefault(lead.city, _CityNames()).add(lead.lead_id, lead.company_name)

    def find(self, new: Lead) -> Match | None:
        """The strongest match: the same credit code, else the same phone, else a
        near-identical name in the same city; the oldest lead of the kind."""
        if new.credit_code and (hit := self._oldest(new, self._by_code.get(new.credit_code, ()))):
            return Match(hit, "credit_code")
        if new.phone and (hit := self._oldest(new, self._by_phone.get(new.phone, ()))):
            return Match(hit, "phone")
        city = self._cities.get(new.city) if new.city else None
        if city and (hit := self._oldest(new, city.similar(new.company_name))):
            return Match(hit, "similar_name")
        return None

    def _oldest(self, new: Lead, ids: Iterable[str]) -> Known | None:
        # Two different credit codes are two companies, whatever else they share.
        fits = (
            c
            for c in map(self._leads.__getitem__, ids)
            if not (c.credit_code and new.credit_code and c.credit_code != new.credit_code)
        )
        return min(fits, key=lambda c: c.created_at, default=None)


class _CityNames:
    """The names of one city's leads, normalised once: the whole name and its
    core (without the places it starts with)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.keys: list[str] = []
        self.cores: list[str] = []
        self.core_ok: list[bool] = []  # the core is long enough to identify a company

    def add(self, lead_id: str, company_name: str) -> None:
        key = name_key(company_name)
        core = strip_place_prefix(key)
        self.ids.append(lead_id)
        self.keys.append(key)
        self.cores.append(core)
        self.core_ok.append(len(core) >= MIN_CORE_NAME)

    def drop(self, lead_id: str) -> None:
        j = self.ids.index(lead_id)
        for column in (self.ids, self.keys, self.cores, self.core_ok):
            del column[j]

    def similar(self, company_name: str) -> list[str]:
        """Leads whose name is this alike: the whole names, or the cores when
        both are long enough to identify a company."""
        key = name_key(company_name)
        core = strip_place_prefix(key)
        alike = _scores(key, self.keys) >= SIMILAR_NAME_SCORE
        if len(core) >= MIN_CORE_NAME:
            alike |= np.array(self.core_ok, dtype=bool) & (_scores(core, self.cores) >= SIMILAR_NAME_SCORE)
        return [self.ids[j] for j in np.flatnonzero(alike)]


def _scores(name: str, names: list[str]) -> np.ndarray:
    return process.cdist([name], names, scorer=fuzz.ratio, score_cutoff=SIMILAR_NAME_SCORE, dtype=np.float32)[0]


def merge(existing: Lead, new: Lead, now: datetime) -> Lead:
    """Fill what the existing lead does not know yet; never overwrite.
    Tags are added to the existing ones; custom values fill missing names.
    The new lead's touches (source, channel, campaign, time, contact) are
    added to the existing ones; typed coordinates replace approximate ones."""

    def keep(name: str) -> object:
        old = getattr(existing, name)
        return old if old not in (None, "") else getattr(new, name)

    # Typed coordinates win over a district's centroid, which wins over a city's.
    coordinates = existing.latitude is not None and _precision(existing) >= _precision(new)
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
        coordinates_source=existing.coordinates_source if coordinates else new.coordinates_source,
        touches=_kept_touches((*existing.all_touches, *new.all_touches)),  # every source keeps its attribution
        industry_tags=tuple(dict.fromkeys((*existing.industry_tags, *new.industry_tags))),
        custom_fields={**new.custom_fields, **existing.custom_fields},
        updated_at=now,
    )


MAX_TOUCHES = 200  # a lead merged again and again (a form resubmitted daily) keeps a bounded history


def _kept_touches(touches: tuple[Touch, ...]) -> tuple[Touch, ...]:
    """All touches up to MAX_TOUCHES; past that the first touch of each source
    and then the latest ones, so no source is ever lost."""
    if len(touches) <= MAX_TOUCHES:
        return touches
    firsts = {t.source: t for t in reversed(touches)}  # the first touch of each source
    keep = set(map(id, firsts.values()))
    for t in reversed(touches):
        if len(keep) >= MAX_TOUCHES:
            break
        keep.add(id(t))
    return tuple(t for t in touches if id(t) in keep)


def _precision(lead: Lead) -> int:
    """How exact a lead's coordinates are: typed 3, a district's centre 2, a city's 1, none 0."""
    if lead.latitude is None:
        return 0
    return {"district": 2, "city": 1}.get(lead.coordinates_source, 3)  # "" on a lead stored before: typed


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
