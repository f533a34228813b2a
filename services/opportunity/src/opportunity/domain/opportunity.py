"""Customers, opportunities and the approval decisions recorded on them:
what is valid and which customer a new opportunity joins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import phonenumbers
from stdnum.cn import uscc

from crm_shared.domain.errors import PermissionDenied, Validator
from crm_shared.money import ACCEPTED_CURRENCIES, check_amount

FIRST_STAGE = "初步接触"
CURRENCIES = ACCEPTED_CURRENCIES
DECISIONS = ("approved", "rejected")
CREATE_ROLES = ("rep", "manager", "admin")
MAX_NAME = 200
# A new opportunity must see an activity within this long (seed 002).
FIRST_TOUCH_WITHIN = timedelta(hours=24)
STATUSES = ("open", "won", "lost")


@dataclass(frozen=True)
class Customer:
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


@dataclass(frozen=True)
class Opportunity:
    opportunity_id: str
    tenant_id: str
    customer_id: str
    name: str
    stage: str
    amount_minor: int | None
    currency: str
    owner_id: str
    lead_id: str | None
    created_at: datetime
    updated_at: datetime
    # Pipeline placement and what stage gates and the board ask for (0003).
    pipeline_id: str | None = None
    probability: int | None = None
    forecast_category: str = ""
    status: str = "open"
    expected_close_date: date | None = None
    contract_end_date: date | None = None
    product_line: str = ""
    decision_maker: str = ""
    # Red flags the timers set and activities clear.
    flags: tuple[str, ...] | list[str] = ()
    close_reason: str = ""
    closed_at: datetime | None = None
    stage_entered_at: datetime | None = None
    # The stored deadline of the "no activity within 24 h" timer; cleared by
    # the first activity, or once the timer has fired.
    first_touch_due_at: datetime | None = None

    @property
    def red(self) -> bool:
        return bool(self.flags)

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class ApprovalDecision:
    tenant_id: str
    approval_id: str
    opportunity_id: str
    decision: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class OpportunityView:
    """An opportunity as callers see it: with its customer and decisions."""

    opportunity: Opportunity
    customer: Customer
    approvals: tuple[ApprovalDecision, ...] = ()


@dataclass(frozen=True)
class Opened:
    """The outcome of opening an opportunity: its customer, new or attached."""

    customer: Customer
    customer_is_new: bool
    opportunity: Opportunity


def credit_code_key(value: str) -> str | None:
    """The canonical 统一社会信用代码, or None when it is not a valid one."""
    code = uscc.compact(value) if value.strip() else ""
    return code if code and uscc.is_valid(code) else None


def phone_key(value: str) -> str | None:
    """A Chinese number (mobile, or landline with area code) as E.164, or None."""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if phonenumbers.is_valid_number(
        number
    ) else None


def _normalised(value: str, key: Callable[[str], str | None], v: Validator, field: str, problem: str) -> str | None:
    """Empty means unknown; anything else must normalise."""
    if not value.strip():
        return None
    normal = key(value)
    if normal is None:
        v.add(field, problem)
    return normal


def resolve_owner(requested: str, user_id: str, role: str) -> str:
    """Empty means the caller; a rep may not hand an opportunity to someone else."""
    owner = requested.strip() or user_id
    if role == "rep" and owner != user_id:
        raise PermissionDenied("a rep may only create opportunities they own")
    return owner


def match_customer(by_code: Customer | None, by_phone: Customer | None, credit_code: str | None) -> Customer | None:
    """The same credit code is the same company. The same phone is too,
    unless both sides carry (different) codes; a code learnt this way is kept."""
    if by_code:
        return by_code
    if by_phone is None or (credit_code and by_phone.credit_code):
        return None
    return replace(by_phone, credit_code=credit_code) if credit_code else by_phone


def open_opportunity(
    *,
    tenant_id: str,
    opportunity_id: str,
    customer_id: str,
    now: datetime,
    existing: Customer | None,
    customer_name: str,
    credit_code: str,
    name: str,
    amount_minor: int | None,
    currency: str,
    owner_id: str,
    phone: str = "",
    province: str = "",
    city: str = "",
    district: str = "",
    lead_id: str | None = None,
) -> Opened:
    """Validate everything at once (every bad field named), then build the
    opportunity in its first stage, on `existing` or on a new customer."""
    v = Validator()
    customer = existing
    if existing is None:
        v.require("customer_name", customer_name)
        if len(customer_name.strip()) > MAX_NAME:
            v.add("customer_name", f"is longer than {MAX_NAME} characters")
        code = _normalised(
            credit_code, credit_code_key, v, "customer_credit_code",
            "is not a valid 统一社会信用代码 (18 characters with a correct check digit)",
        )
        e164 = _normalised(phone, phone_key, v, "customer_phone", "is not a valid phone number")
        customer = Customer(
            customer_id=customer_id,
            tenant_id=tenant_id,
            name=customer_name.strip(),
            credit_code=code,
            phone=e164,
            province=province.strip(),
            city=city.strip(),
            district=district.strip(),
            owner_id=owner_id,
            created_at=now,
            updated_at=now,
        )
    v.require("name", name)
    if len(name.strip()) > MAX_NAME:
        v.add("name", f"is longer than {MAX_NAME} characters")
    check_amount(v, "amount", amount_minor, currency)
    if amount_minor is None and currency not in CURRENCIES:
        v.add("amount.currency", f"must be one of {', '.join(CURRENCIES)}")
    v.require("owner_id", owner_id)
    v.check()
    assert customer is not None
    opportunity = Opportunity(
        opportunity_id=opportunity_id,
        tenant_id=tenant_id,
        customer_id=customer.customer_id,
        name=name.strip(),
        stage=FIRST_STAGE,
        amount_minor=amount_minor,
        currency=currency,
        owner_id=owner_id,
        lead_id=lead_id or None,
        created_at=now,
        updated_at=now,
        stage_entered_at=now,
        first_touch_due_at=now + FIRST_TOUCH_WITHIN,
    )
    return Opened(customer=customer, customer_is_new=existing is None, opportunity=opportunity)


def record_decision(
    opportunity: Opportunity, *, approval_id: str, decision: str, decided_by: str, decided_at: datetime
) -> ApprovalDecision:
    v = Validator()
    v.require("approval_id", approval_id)
    if decision not in DECISIONS:
        v.add("decision", f"must be one of {', '.join(DECISIONS)}")
    v.check()
    return ApprovalDecision(
        tenant_id=opportunity.tenant_id,
        approval_id=approval_id,
        opportunity_id=opportunity.opportunity_id,
        decision=decision,
        decided_by=decided_by,
        decided_at=decided_at,
    )
