"""A distributor's deal registration (报备): the end customer and the expected
deal a partner registers, what the conflict check found, and what the partner
was told. Protection (approval, window, lapse) moves it on through
domain/protection.py over the same dataclass.

The partner sees `outcome`, `status`, `decision`, `decision_comment` and the
protection dates, never `conflicts` (another distributor's or the
manufacturer's data); the manufacturer sees everything."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict as ConflictError
from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.money import check_amount
from crm_shared.natural_keys import normalise_credit_code, normalise_phone

from lead_routing.domain.address import resolve

# status
PENDING = "pending"  # no conflict: waiting for the channel manager's approval
UNDER_REVIEW = "under_review"  # a conflict the approver must weigh (the manufacturer's own customer, territory)
CLASH = "clash"  # 撞单: another distributor registered the customer first, inside the check window
REFUSED = "refused"  # another distributor holds the customer (or a clash went to the other)
APPROVED = "approved"
REJECTED = "rejected"
LAPSED = "lapsed"
CONVERTED = "converted"
STATUSES = (PENDING, UNDER_REVIEW, CLASH, REFUSED, APPROVED, REJECTED, LAPSED, CONVERTED)
# Registrations that still hold (or may come to hold) their customer: others conflict with them.
ACTIVE = (PENDING, UNDER_REVIEW, CLASH, APPROVED)
# Waiting for an approval to be submitted or decided.
AWAITING_APPROVAL = (PENDING, UNDER_REVIEW)

# outcome: what the partner was told at once
NO_CONFLICT = "no_conflict"
OUTCOME_UNDER_REVIEW = "under_review"
OUTCOME_REFUSED = "refused"
OUTCOMES = (NO_CONFLICT, OUTCOME_UNDER_REVIEW, OUTCOME_REFUSED)

# conflict kinds and what matched
LEAD, CUSTOMER, REGISTRATION, TERRITORY = "lead", "customer", "registration", "territory"
MATCHED_BY = ("credit_code", "phone", "similar_name", "territory")

# Bounds of what a partner types.
MAX_NAME = 200
MAX_TEXT = 100
MAX_MODELS = 50
MAX_QUANTITY = 1_000_000
MAX_COMMENT = 1000


@dataclass(frozen=True)
class Conflict:
    """What the check found; internal (the manufacturer's view only)."""

    kind: str  # lead | customer | registration | territory
    matched_by: str  # credit_code | phone | similar_name | territory
    object_id: str = ""  # the lead, customer or registration id ("" for territory)
    detail: str = ""  # e.g. the matched company name, the other distributor

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "matched_by": self.matched_by, "object_id": self.object_id, "detail": self.detail}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Conflict:
        return cls(data["kind"], data["matched_by"], data.get("object_id", ""), data.get("detail", ""))


@dataclass(frozen=True)
class Registration:
    registration_id: str
    tenant_id: str
    distributor_id: str
    registered_by: str  # the partner user
    company_name: str
    credit_code: str
    phone: str
    province: str
    city: str
    district: str
    industry: str
    contact_name: str
    contact_phone: str
    product_line: str
    models: tuple[str, ...]
    quantity: int
    expected_amount: int  # 分
    currency: str
    expected_close_date: date | None
    status: str
    outcome: str
    conflicts: tuple[Conflict, ...]
    created_at: datetime
    updated_at: datetime
    version: int = 1
    approval_id: str = ""
    decision: str = ""
    decision_comment: str = ""  # the public comment only
    lead_id: str = ""  # the protected lead, once approved
    protected_from: datetime | None = None
    protected_until: datetime | None = None
    extension_approval_id: str = ""
    extensions: int = 0
    reminders_sent: tuple[int, ...] = ()  # days-before reminders already sent

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def awaits_submission(self) -> bool:
        """An approval is owed and not submitted yet."""
        return self.status in AWAITING_APPROVAL and not self.approval_id

    def protects(self, now: datetime) -> bool:
        """Holds its customer against every other distributor."""
        return self.status == APPROVED and (self.protected_until is None or self.protected_until > now)

    def submitted(self, approval_id: str, now: datetime) -> Registration:
        return replace(self, approval_id=approval_id, updated_at=now)

    def refused(self, comment: str, now: datetime) -> Registration:
        if self.status not in (PENDING, UNDER_REVIEW, CLASH):
            raise ConflictError(f"registration {self.registration_id} is {self.status}: it cannot be refused")
        return replace(self, status=REFUSED, decision="refused", decision_comment=comment, updated_at=now)

    def goes_on(self, comment: str, now: datetime) -> Registration:
        """Won its clash: on to the approval, under review when the check found more than the clash."""
        if self.status not in (PENDING, UNDER_REVIEW, CLASH):
            raise ConflictError(f"registration {self.registration_id} is {self.status}: it cannot go on")
        others = any(c.kind != REGISTRATION for c in self.conflicts)
        status = self.status if self.status != CLASH else (UNDER_REVIEW if others else PENDING)
        return replace(self, status=status, decision_comment=comment, updated_at=now)


# clash status
CLASH_OPEN, CLASH_DECIDED = "open", "decided"


@dataclass(frozen=True)
class Clash:
    """撞单: two distributors' registrations of one customer inside the check
    window, for the channel manager to decide side by side. `first` registered
    first; the decision names the one that goes on."""

    clash_id: str
    tenant_id: str
    first_registration_id: str
    second_registration_id: str
    first_distributor_id: str
    second_distributor_id: str
    matched_by: str
    status: str
    created_at: datetime
    winner_registration_id: str = ""
    decided_by: str = ""
    decided_at: datetime | None = None
    comment: str = ""
    version: int = 1

    @property
    def registration_ids(self) -> tuple[str, str]:
        return self.first_registration_id, self.second_registration_id

    @property
    def distributor_ids(self) -> tuple[str, str]:
        return self.first_distributor_id, self.second_distributor_id

    def decide(self, winner_registration_id: str, by: str, comment: str, now: datetime) -> Clash:
        if self.status != CLASH_OPEN:
            raise ConflictError(f"clash {self.clash_id} is already decided")
        if winner_registration_id not in self.registration_ids:
            raise InvalidArgument.field("winner_registration_id", "must be one of the clash's two registrations")
        return replace(
            self,
            status=CLASH_DECIDED,
            winner_registration_id=winner_registration_id,
            decided_by=by,
            decided_at=now,
            comment=comment,
        )


@dataclass(frozen=True)
class RegistrationInput:
    """What a partner types (the gateway's body)."""

    company_name: str
    credit_code: str = ""
    phone: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    industry: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    product_line: str = ""
    models: tuple[str, ...] = ()
    quantity: int = 0
    expected_amount: int | None = None  # 分
    currency: str = "CNY"
    expected_close_date: str = ""  # YYYY-MM-DD or ""


def registration(
    cmd: RegistrationInput,
    *,
    registration_id: str,
    tenant_id: str,
    distributor_id: str,
    registered_by: str,
    now: datetime,
) -> Registration:
    """A valid registration from what the partner typed (every problem by
    field), before the check: keys normalised as lead intake does (credit
    code, E.164 phone, the place resolved to its 行政区划 names), so the
    duplicate rule compares like with like."""
    v = Validator()
    name = cmd.company_name.strip()
    v.require("company_name", name)
    if len(name) > MAX_NAME:
        v.add("company_name", f"is longer than {MAX_NAME} characters")
    code = normalise_credit_code(cmd.credit_code, v) or ""
    phone = normalise_phone(cmd.phone, v) or ""
    contact_phone = normalise_phone(cmd.contact_phone, v, "contact_phone") or ""
    if not code and not phone and not v.violations:
        v.add("phone", "a registration needs the customer's phone or 统一社会信用代码")
    for field in ("province", "city", "district", "industry", "contact_name", "product_line"):
        if len(getattr(cmd, field).strip()) > MAX_TEXT:
            v.add(field, f"is longer than {MAX_TEXT} characters")
    if len(cmd.models) > MAX_MODELS:
        v.add("models", f"has more than {MAX_MODELS} entries")
    models = tuple(dict.fromkeys(m.strip() for m in cmd.models if m.strip()))
    if any(len(m) > MAX_TEXT for m in models):
        v.add("models", f"has an entry longer than {MAX_TEXT} characters")
    if isinstance(cmd.quantity, bool) or not 0 <= cmd.quantity <= MAX_QUANTITY:
        v.add("quantity", f"must be between 0 and {MAX_QUANTITY}")
    check_amount(v, "expected_amount", cmd.expected_amount, cmd.currency, required=True, positive=True)
    close = None
    if cmd.expected_close_date.strip():
        try:
            close = date.fromisoformat(cmd.expected_close_date.strip())
        except ValueError:
            v.add("expected_close_date", "must be a date YYYY-MM-DD")
    v.check()
    given = "".join(x.strip() for x in (cmd.province, cmd.city, cmd.district))
    place = resolve(given) if given else None
    return Registration(
        registration_id=registration_id,
        tenant_id=tenant_id,
        distributor_id=distributor_id,
        registered_by=registered_by,
        company_name=name,
        credit_code=code,
        phone=phone,
        # A place the table does not know keeps the parts as given.
        province=(place and place.province) or cmd.province.strip(),
        city=(place and place.city) or cmd.city.strip(),
        district=(place and place.district) or cmd.district.strip(),
        industry=cmd.industry.strip(),
        contact_name=cmd.contact_name.strip(),
        contact_phone=contact_phone,
        product_line=cmd.product_line.strip(),
        models=models,
        quantity=cmd.quantity,
        expected_amount=int(cmd.expected_amount or 0),
        currency=cmd.currency,
        expected_close_date=close,
        status=PENDING,
        outcome=NO_CONFLICT,
        conflicts=(),
        created_at=now,
        updated_at=now,
    )


def check_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidArgument.field("comment", f"is longer than {MAX_COMMENT} characters")
    return comment


# The manufacturer's readers (admin, managers, services) see a registration's
# conflicts, which name the manufacturer's leads and other distributors; a
# partner never does. Who may read which registration is partner_access.decide.
MANUFACTURER_READERS = (roles.ADMIN, roles.MANAGER, roles.SYSTEM)


def sees_conflicts(caller: Caller) -> bool:
    return caller.role in MANUFACTURER_READERS


# The check window (tenant data): a registration of a customer another distributor
# registered this many days before, and still waiting, is a clash.
DEFAULT_CHECK_WINDOW_DAYS = 30
MAX_CHECK_WINDOW_DAYS = 365
TERMS_EDITORS = (roles.ADMIN,)
TERMS_READERS = (roles.ADMIN, roles.MANAGER, roles.SYSTEM)


@dataclass(frozen=True)
class RegistrationTerms:
    tenant_id: str
    check_window_days: int = DEFAULT_CHECK_WINDOW_DAYS
    updated_by: str = ""  # "" while the tenant keeps the default
    updated_at: datetime | None = None


def registration_terms(tenant_id: str, check_window_days: int, by: str, now: datetime) -> RegistrationTerms:
    if isinstance(check_window_days, bool) or not 1 <= check_window_days <= MAX_CHECK_WINDOW_DAYS:
        raise InvalidArgument.field("check_window_days", f"must be between 1 and {MAX_CHECK_WINDOW_DAYS} days")
    return RegistrationTerms(tenant_id, check_window_days, by, now)
