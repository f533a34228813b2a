"""Duplicate leads on intake: the same 统一社会信用代码, the same normalised
phone, or a near-identical company name in the same city."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from rapidfuzz import fuzz

from lead_routing.domain.model import Lead

# Two names this alike (0-100, after dropping legal forms) are one company.
SIMILAR_NAME_SCORE = 90.0
_LEGAL_FORMS = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|公司|分厂|厂)$")
_NOISE = re.compile(r"[\s()（）·.,，、\-]")


def name_key(name: str) -> str:
    """Company names as people type them: no spaces, brackets or legal form."""
    key = _NOISE.sub("", name)
    while (stripped := _LEGAL_FORMS.sub("", key)) != key and stripped:
        key = stripped
    return key


@dataclass(frozen=True)
class Match:
    lead: Lead
    matched_by: str  # credit_code | phone | similar_name


def find_duplicate(new: Lead, candidates: list[Lead]) -> Match | None:
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
        for c in ordered:
            if c.city == new.city and fuzz.ratio(key, name_key(c.company_name)) >= SIMILAR_NAME_SCORE:
                return Match(c, "similar_name")
    return None


def merge(existing: Lead, new: Lead, now: datetime) -> Lead:
    """Fill what the existing lead does not know yet; never overwrite."""
    return replace(
        existing,
        credit_code=existing.credit_code or new.credit_code,
        phone=existing.phone or new.phone,
        contact_name=existing.contact_name or new.contact_name,
        province=existing.province or new.province,
        city=existing.city or new.city,
        district=existing.district or new.district,
        budget_minor=existing.budget_minor if existing.budget_minor is not None else new.budget_minor,
        updated_at=now,
    )
