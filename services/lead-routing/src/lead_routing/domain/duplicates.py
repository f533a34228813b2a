"""Duplicate leads on intake: the same 统一社会信用代码, the same normalised
phone, or a near-identical company name in the same city."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
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


WHOLE, CORE = "k", "c"  # which of a name's forms a bigram is of


def name_forms(company_name: str) -> list[tuple[str, str]]:
    """The forms of a name the similar-name test compares: (WHOLE, its key),
    and (CORE, the key without its leading places) when that core is long
    enough to identify a company."""
    key = name_key(company_name)
    core = strip_place_prefix(key)
    return [(WHOLE, key), *([(CORE, core)] if len(core) >= MIN_CORE_NAME else [])]


def name_grams(form: str) -> frozenset[str]:
    """The distinct character bigrams of a name's form; one shorter than two
    characters is its own gram. Bigrams, not trigrams: Chinese names are
    short, and a four-character name would share too few trigrams to bound."""
    if len(form) < 2:
        return frozenset((form,))
    return frozenset(form[i : i + 2] for i in range(len(form) - 1))


def indexed_grams(company_name: str) -> list[tuple[str, str]]:
    """What a lead's name is found by: (form kind, bigram) for each form."""
    return [(kind, gram) for kind, form in name_forms(company_name) for gram in name_grams(form)]


@dataclass(frozen=True)
class NameProbe:
    """Leads whose `kind` form shares at least `min_shared` of `grams` are the
    only ones that can be SIMILAR_NAME_SCORE alike to `name`; the others need
    not be read."""

    kind: str
    name: str
    grams: frozenset[str]
    min_shared: int


def name_probes(company_name: str) -> list[NameProbe]:
    """What to look up for a new lead's name: its whole key against the
    others' keys and, when long enough, its core against their cores (as
    the test compares them)."""
    out = []
    for kind, form in name_forms(company_name):
        grams = name_grams(form)
        if len(form) < 2:
            out.append(NameProbe(kind, form, grams, 1))  # only the same name is that alike
            continue
        repeats = (len(form) - 1) - len(grams)  # bigrams occurring twice or more count once here
        out.append(NameProbe(kind, form, grams, max(1, _shared_bigrams(len(form)) - repeats)))
    return out


@cache
def _shared_bigrams(length: int) -> int:
    """The fewest bigrams (counted with repeats) a name of `length` (>= 2)
    characters shares with any name SIMILAR_NAME_SCORE alike. fuzz.ratio is
    100 * (1 - d / (la + lb)) with d the insertions and deletions from one to
    the other, and each of those breaks at most two bigrams (the q-gram
    lemma), so they share at least max(la, lb) - 1 - 2 * d."""
    least = length - 1
    for other in range(1, 2 * length + 2):
        most_edits = math.floor((length + other) * (100 - SIMILAR_NAME_SCORE) / 100 + 1e-9)
        if abs(length - other) <= most_edits:
            least = min(least, max(length, other) - 1 - 2 * most_edits)
    return least  # >= 1 for every length (0.6 * length - 1 at worst), checked in the unit tests


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
    core (without the places it starts with), and which leads hold each
    character bigram of them, so a name is compared only with the names
    sharing enough of its bigrams (name_probes) instead of the whole city."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.keys: list[str] = []
        self.cores: list[str] = []
        self.alive: list[bool] = []
        self.slot: dict[str, int] = {}
        self.postings: dict[tuple[str, str], list[int]] = {}  # (kind, bigram) -> slots

    def add(self, lead_id: str, company_name: str) -> None:
        j = len(self.ids)
        forms = name_forms(company_name)
        key = forms[0][1]
        self.ids.append(lead_id)
        self.keys.append(key)
        self.cores.append(forms[1][1] if len(forms) > 1 else strip_place_prefix(key))
        self.alive.append(True)
        self.slot[lead_id] = j
        for kind, form in forms:
            for gram in name_grams(form):
                self.postings.setdefault((kind, gram), []).append(j)

    def drop(self, lead_id: str) -> None:
        self.alive[self.slot.pop(lead_id)] = False

    def similar(self, company_name: str) -> list[str]:
        """Leads whose name is this alike: the whole names, or the cores when
        both are long enough to identify a company."""
        found: set[int] = set()
        for probe in name_probes(company_name):
            # A name sharing min_shared of the probe's bigrams misses at most
            # len(grams) - min_shared of them, so it holds one of any
            # len(grams) - min_shared + 1: read the postings of the rarest that many.
            lists = sorted((self.postings.get((probe.kind, g), ()) for g in probe.grams), key=len)
            near = sorted(j for j in set().union(*lists[: len(lists) - probe.min_shared + 1]) if self.alive[j])
            names = self.keys if probe.kind == WHOLE else self.cores
            if near:
                alike = _scores(probe.name, [names[j] for j in near]) >= SIMILAR_NAME_SCORE
                found.update(near[i] for i in np.flatnonzero(alike))
        return [self.ids[j] for j in sorted(found)]


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
