"""Leads: what a valid lead is and what may happen to it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import phonenumbers
from stdnum.cn import uscc

from crm_shared.domain.errors import FailedPrecondition, Validator

SOURCES = ("展会扫码", "百度爱采购", "抖音本地推", "网站表单", "渠道报备", "导入", "手工录入")
CURRENCIES = ("CNY",)


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
    status: str  # open | converted
    owner_id: str | None
    opportunity_name: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime

    def visible_to(self, user_id: str, role: str) -> bool:
        """Managers see the tenant's leads; reps their own and the pool's;
        partners only what they registered."""
        if role in ("manager", "admin", "system"):
            return True
        if role == "partner":
            return self.created_by == user_id
        return self.owner_id in (None, user_id)

    def convert(self, opportunity_name: str, converter_id: str, now: datetime) -> Lead:
        """A pool lead converted by a rep becomes theirs."""
        if self.status != "open":
            raise FailedPrecondition(f"lead {self.lead_id} is {self.status}, only open leads convert")
        name = opportunity_name.strip() or f"{self.company_name} 商机"
        return replace(
            self, status="converted", opportunity_name=name, owner_id=self.owner_id or converter_id, updated_at=now
        )


def normalise_credit_code(value: str, v: Validator, field: str = "credit_code") -> str | None:
    """统一社会信用代码 validated with python-stdnum; empty means unknown."""
    if not value.strip():
        return None
    code = uscc.compact(value)
    if not uscc.is_valid(code):
        v.add(field, "is not a valid 统一社会信用代码 (18 characters with a correct check digit)")
        return None
    return code


def normalise_phone(value: str, v: Validator, field: str = "phone") -> str | None:
    """Chinese numbers (mobile or landline with area code) to E.164."""
    if not value.strip():
        return None
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        v.add(field, "is not a valid phone number")
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def new_lead(
    *,
    lead_id: str,
    tenant_id: str,
    owner_id: str | None,
    created_by: str,
    now: datetime,
    company_name: str,
    credit_code: str,
    contact_name: str,
    phone: str,
    source: str,
    province: str,
    city: str,
    district: str,
    budget_minor: int | None,
    currency: str,
) -> Lead:
    v = Validator()
    v.require("company_name", company_name)
    if len(company_name) > 200:
        v.add("company_name", "is longer than 200 characters")
    code = normalise_credit_code(credit_code, v)
    e164 = normalise_phone(phone, v)
    if not code and not e164 and not v.violations:
        v.add("phone", "a lead needs a phone number or a 统一社会信用代码 to be followed up")
    if source not in SOURCES:
        v.add("source", f"must be one of {', '.join(SOURCES)}")
    if budget_minor is not None:
        if budget_minor < 0:
            v.add("budget.amount_minor", "must not be negative")
        if currency not in CURRENCIES:
            v.add("budget.currency", f"must be one of {', '.join(CURRENCIES)}")
    v.check()
    return Lead(
        lead_id=lead_id,
        tenant_id=tenant_id,
        company_name=company_name.strip(),
        credit_code=code,
        contact_name=contact_name.strip(),
        phone=e164,
        source=source,
        province=province.strip(),
        city=city.strip(),
        district=district.strip(),
        budget_minor=budget_minor,
        currency=currency or "CNY",
        status="open",
        owner_id=owner_id,
        opportunity_name=None,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )

