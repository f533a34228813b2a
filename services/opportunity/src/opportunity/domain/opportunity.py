"""The Opportunity: what a valid one is when it opens (on a known or a new
customer), which details change and how, and the approval decisions recorded
on it. Stage moves, gates and closing are domain/pipeline.py's."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from crm_shared import roles
from crm_shared.domain.errors import Validator
from crm_shared.money import ACCEPTED_CURRENCIES, MAX_AMOUNT_MINOR, check_amount
from crm_shared.natural_keys import normalise_credit_code, normalise_phone

from opportunity.domain.access import Scope
from opportunity.domain.customer import Customer

FIRST_STAGE = "初步接触"
CURRENCIES = ACCEPTED_CURRENCIES
DECISIONS = ("approved", "rejected")
CREATE_ROLES = roles.OPPORTUNITY_CREATORS
MAX_NAME = 200
# A new opportunity must see an activity within this long (seed 002).
FIRST_TOUCH_WITHIN = timedelta(hours=24)
STATUSES = ("open", "won", "lost")


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
    # The distributor whose approved registration (报备) protected the customer when
    # the lead converted ("" = none), and that registration: set once, never changed.
    partner_org_id: str = ""
    registration_id: str = ""
    partner_name: str = ""

    @property
    def partner_protected(self) -> bool:
        return bool(self.partner_org_id)

    @property
    def red(self) -> bool:
        return bool(self.flags)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def visible_in(self, scope: Scope) -> bool:
        """The one visibility rule of an opportunity: its owner is in the caller's scope."""
        return scope.covers(self.tenant_id, self.owner_id)


@dataclass(frozen=True)
class ApprovalDecision:
    tenant_id: str
    approval_id: str
    opportunity_id: str
    decision: str
    decided_by: str
    decided_at: datetime
    kind: str = ""


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
    partner_org_id: str = "",
    registration_id: str = "",
    partner_name: str = "",
) -> Opened:
    """Validate everything at once (every bad field named), then build the
    opportunity in its first stage, on `existing` or on a new customer."""
    v = Validator()
    customer = existing
    if existing is None:
        v.require("customer_name", customer_name)
        if len(customer_name.strip()) > MAX_NAME:
            v.add("customer_name", f"is longer than {MAX_NAME} characters")
        code = normalise_credit_code(credit_code, v, "customer_credit_code")
        e164 = normalise_phone(phone, v, "customer_phone")
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
        partner_org_id=partner_org_id.strip(),
        registration_id=registration_id.strip() if partner_org_id.strip() else "",
        partner_name=partner_name.strip()[:MAX_NAME] if partner_org_id.strip() else "",
    )
    return Opened(customer=customer, customer_is_new=existing is None, opportunity=opportunity)


def expected_amount(amount_minor: int | None) -> int | None:
    """What a converted lead expected, as an opportunity's amount: an
    expectation out of bounds is no amount (the lead still converts)."""
    if amount_minor is not None and not 0 <= amount_minor <= MAX_AMOUNT_MINOR:
        return None
    return amount_minor


def record_decision(
    opportunity: Opportunity, *, approval_id: str, decision: str, decided_by: str, decided_at: datetime, kind: str = ""
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
        kind=kind,
    )


@dataclass(frozen=True)
class Details:
    """Fields to change on an opportunity; None leaves one as it is."""

    name: str | None = None
    amount_minor: int | None = None
    currency: str | None = None
    expected_close_date: str | None = None
    contract_end_date: str | None = None
    product_line: str | None = None
    decision_maker: str | None = None


def _date(v: Validator, name: str, value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        v.add(name, "must be a date as YYYY-MM-DD")
        return None


def apply_details(opp: Opportunity, d: Details, now: datetime) -> Opportunity:
    """Every bad field named at once; only the given fields change."""
    v = Validator()
    changes: dict[str, object] = {}
    if d.name is not None:
        v.require("name", d.name)
        if len(d.name.strip()) > MAX_NAME:
            v.add("name", f"is longer than {MAX_NAME} characters")
        changes["name"] = d.name.strip()
    if d.amount_minor is not None:
        check_amount(v, "amount", d.amount_minor, d.currency or "CNY")
        changes["amount_minor"] = d.amount_minor
    for name in ("expected_close_date", "contract_end_date"):
        value = getattr(d, name)
        if value is not None:
            changes[name] = _date(v, name, value)
    for name in ("product_line", "decision_maker"):
        value = getattr(d, name)
        if value is not None:
            if len(value.strip()) > MAX_NAME:
                v.add(name, f"is longer than {MAX_NAME} characters")
            changes[name] = value.strip()
    v.check()
    return replace(opp, updated_at=now, **changes) if changes else opp


@dataclass(frozen=True)
class ListFilter:
    """What a list of opportunities may be narrowed to (empty: any), as the board is."""

    pipeline_id: str = ""
    stage: str = ""
    status: str = ""
    owner_id: str = ""
    team: str = ""
    region: str = ""
    product_line: str = ""
    customer_id: str = ""
