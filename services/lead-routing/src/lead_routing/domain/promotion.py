"""Promotion programmes the manufacturer publishes (渠道促销: period, product
lines, conditions, a discount or a support amount) and a distributor's
application for one (申报促销活动), for one of its own approved registrations
or for a period. The approval service decides an application (kind
"promotion", subject_type "promotion_application"); the partner sees its state,
the decision and the decision's public comment, never the approval itself.

Who sees what:
- a programme: publishers (managers, admins) every one of the tenant; a
  partner published and closed ones, never a draft;
- an application: admins the tenant's; a manager those of the distributors
  they are channel manager of; a partner only their organisation's; nobody
  else any — another distributor's application is not found."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_shared import approval_kinds as kinds
from crm_shared import roles
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import AlreadyExists, Conflict, FailedPrecondition, NotFound, Validator, Violation
from crm_shared.money import MAX_AMOUNT_MINOR, check_amount

from lead_routing.domain import registration as reg

# Programme states: drafted, published (partners see it and may apply while in its period), closed (for good).
DRAFT, PUBLISHED, CLOSED = "draft", "published", "closed"
PROGRAMME_STATES = (DRAFT, PUBLISHED, CLOSED)
# A programme moves forward only: a published programme is never a draft again, a closed one stays closed.
NEXT_STATES = {DRAFT: (DRAFT, PUBLISHED, CLOSED), PUBLISHED: (PUBLISHED, CLOSED), CLOSED: (CLOSED,)}
# Benefits: a percent off the price of the programme's products, or a support amount (分) per application at most.
DISCOUNT, SUPPORT = "discount", "support"
BENEFITS = (DISCOUNT, SUPPORT)

# Application states.
SUBMITTED, APPROVED, REJECTED = "submitted", "approved", "rejected"
APPLICATION_STATES = (SUBMITTED, APPROVED, REJECTED)
DECISIONS = (APPROVED, REJECTED)

# Registrations an application may be for: approved (protected) or converted into an opportunity.
APPLICABLE_REGISTRATIONS = (reg.APPROVED, reg.CONVERTED)

MAX_NAME = 200
MAX_CONDITIONS = 4_000
MAX_NOTE = 2_000
MAX_PRODUCT_LINES = 20
MAX_PRODUCT_LINE = 100
MAX_PERIOD_DAYS = 3 * 366  # of a programme, and of an application's period
CURRENCY = "CNY"

PUBLISHERS = roles.PROMOTION_PUBLISHERS
APPLICANTS = roles.PROMOTION_APPLICANTS
APPLICATION_READERS = roles.PROMOTION_APPLICATION_READERS


@dataclass(frozen=True)
class Terms:
    name: str
    conditions: str
    starts_on: date
    ends_on: date
    product_lines: tuple[str, ...]
    benefit: str  # discount | support
    discount_percent: int  # 1..99 for a discount, else 0
    support_amount_minor: int  # > 0 for support, else 0 (分)
    currency: str = CURRENCY


@dataclass(frozen=True)
class Programme:
    programme_id: str
    tenant_id: str
    terms: Terms
    status: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    version: int

    def open_on(self, day: date) -> bool:
        """Whether a distributor may apply on `day` (an Asia/Shanghai date)."""
        return self.status == PUBLISHED and self.terms.starts_on <= day <= self.terms.ends_on


@dataclass(frozen=True)
class Application:
    application_id: str
    tenant_id: str
    programme_id: str
    programme_name: str
    distributor_id: str
    applicant_id: str  # the partner user
    registration_id: str  # "" for a period
    period_starts_on: date | None
    period_ends_on: date | None
    amount_asked_minor: int
    currency: str
    note: str
    status: str
    approval_id: str
    decision: str
    decision_comment: str  # the decision's public comment only
    decided_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class TermsInput:
    name: str = ""
    conditions: str = ""
    starts_on: str = ""
    ends_on: str = ""
    product_lines: tuple[str, ...] = ()
    benefit: str = ""
    discount_percent: int = 0
    support_amount_minor: int = 0
    currency: str = ""


@dataclass(frozen=True)
class ApplicationInput:
    programme_id: str
    registration_id: str = ""
    period_starts_on: str = ""
    period_ends_on: str = ""
    amount_asked_minor: int | None = None
    currency: str = ""
    note: str = ""


# --- programmes -----------------------------------------------------------------


def terms(cmd: TermsInput) -> Terms:
    """Valid terms from what a publisher wrote, every problem by field (under `terms.`)."""
    v = Validator()
    name = cmd.name.strip()
    v.require("terms.name", name)
    _bounded(v, "terms.name", name, MAX_NAME)
    conditions = cmd.conditions.strip()
    _bounded(v, "terms.conditions", conditions, MAX_CONDITIONS)
    starts = _date(v, "terms.starts_on", cmd.starts_on, required=True)
    ends = _date(v, "terms.ends_on", cmd.ends_on, required=True)
    _period(v, "terms.ends_on", starts, ends)
    lines = tuple(dict.fromkeys(x.strip() for x in cmd.product_lines if x.strip()))
    if len(lines) > MAX_PRODUCT_LINES:
        v.add("terms.product_lines", f"has more than {MAX_PRODUCT_LINES} product lines")
    for i, line in enumerate(lines[:MAX_PRODUCT_LINES]):
        _bounded(v, f"terms.product_lines[{i}]", line, MAX_PRODUCT_LINE)
    benefit = cmd.benefit.strip()
    currency = cmd.currency.strip() or CURRENCY
    percent, support = 0, 0
    if benefit == DISCOUNT:
        if not 1 <= cmd.discount_percent <= 99:
            v.add("terms.discount_percent", "must be 1 to 99 (percent off) for a discount")
        if cmd.support_amount_minor:
            v.add("terms.support_amount.amount_minor", "must be empty for a discount")
        percent = cmd.discount_percent
    elif benefit == SUPPORT:
        check_amount(v, "terms.support_amount", cmd.support_amount_minor, currency, positive=True)
        if cmd.discount_percent:
            v.add("terms.discount_percent", "must be empty for a support amount")
        support = cmd.support_amount_minor
    else:
        v.add("terms.benefit", f"must be one of {', '.join(BENEFITS)}")
    v.check()
    assert starts is not None and ends is not None
    return Terms(name, conditions, starts, ends, lines[:MAX_PRODUCT_LINES], benefit, percent, support, currency)


def check_state(field: str, state: str, allowed: tuple[str, ...]) -> str:
    state = state.strip()
    if state not in allowed:
        v = Validator()
        v.add(field, f"must be one of {', '.join(allowed)}")
        v.check()
    return state


def new_programme(programme_id: str, tenant_id: str, made: Terms, status: str, by: str, now: datetime) -> Programme:
    status = check_state("status", status or DRAFT, PROGRAMME_STATES)
    return Programme(
        programme_id=programme_id,
        tenant_id=tenant_id,
        terms=made,
        status=status,
        created_by=by,
        created_at=now,
        updated_at=now,
        published_at=now if status == PUBLISHED else None,
        version=1,
    )


def changed_programme(programme: Programme, made: Terms, status: str, expected: int, now: datetime) -> Programme:
    """The next version of a programme: new terms and a state no earlier than its own.
    Terms of a closed programme are final (its applications were judged by them)."""
    if expected and expected != programme.version:
        raise Conflict(
            f"programme {programme.programme_id} changed since version {expected} (now {programme.version}); "
            "read it again"
        )
    status = check_state("status", status or programme.status, NEXT_STATES[programme.status])
    if programme.status == CLOSED and made != programme.terms:
        raise FailedPrecondition(
            f"programme {programme.programme_id} is closed; its terms no longer change",
            [Violation("CLOSED", "programme", "a closed programme's terms are final")],
        )
    published_at = programme.published_at or (now if status == PUBLISHED else None)
    return replace(
        programme, terms=made, status=status, updated_at=now, published_at=published_at, version=programme.version + 1
    )


# What partners see of programmes: published ones, and closed ones (they may hold applications for them).
PARTNER_STATES = (PUBLISHED, CLOSED)


def may_see_programme(caller: Caller, programme: Programme) -> bool:
    """Publishers see every programme; a partner published and closed ones (a draft does not exist for them)."""
    if caller.role in (*PUBLISHERS, roles.SYSTEM):
        return True
    return caller.role == roles.PARTNER and programme.status in PARTNER_STATES


def visible_states(caller: Caller, asked: str) -> tuple[str, ...]:
    """The programme states a listing shows the caller (a partner: published ones unless asked for closed ones)."""
    if asked:
        check_state("status", asked, PROGRAMME_STATES)
    if caller.role == roles.PARTNER:
        return (asked or PUBLISHED,) if (asked or PUBLISHED) in PARTNER_STATES else ()
    return (asked,) if asked else PROGRAMME_STATES


# --- applications -------------------------------------------------------------


def new_application(
    cmd: ApplicationInput,
    *,
    application_id: str,
    programme: Programme,
    distributor_id: str,
    applicant_id: str,
    registration: reg.Registration | None,
    now: datetime,
) -> Application:
    """A valid application of `distributor_id` for `programme`. `registration`
    is the one the application names as the caller may see it (None when it
    names none or one that is not the distributor's: not found)."""
    v = Validator()
    registration_id = cmd.registration_id.strip()
    starts = _date(v, "period_starts_on", cmd.period_starts_on, required=False)
    ends = _date(v, "period_ends_on", cmd.period_ends_on, required=False)
    if registration_id and (starts or ends):
        v.add("registration_id", "name a registration or a period, not both")
    elif not registration_id:
        if starts is None:
            v.require("period_starts_on", cmd.period_starts_on, "is required (or name a registration_id)")
        if ends is None:
            v.require("period_ends_on", cmd.period_ends_on, "is required (or name a registration_id)")
        _period(v, "period_ends_on", starts, ends)
        t = programme.terms
        if starts and ends and not (t.starts_on <= starts and ends <= t.ends_on):
            v.add("period_starts_on", f"the period must lie within the programme's, {t.starts_on} to {t.ends_on}")
    currency = cmd.currency.strip() or programme.terms.currency
    check_amount(
        v,
        "amount_asked",
        cmd.amount_asked_minor,
        currency,
        required=True,
        positive=True,
        currencies=(programme.terms.currency,),
    )
    amount = cmd.amount_asked_minor or 0
    # A support programme names the most one application may ask.
    if programme.terms.benefit == SUPPORT and programme.terms.support_amount_minor < amount <= MAX_AMOUNT_MINOR:
        v.add(
            "amount_asked.amount_minor",
            f"is more than the programme's support of {programme.terms.support_amount_minor} 分",
        )
    note = cmd.note.strip()
    _bounded(v, "note", note, MAX_NOTE)
    v.check()
    if registration_id:
        if registration is None or registration.distributor_id != distributor_id:
            raise NotFound(f"registration {registration_id} not found")
        if registration.status not in APPLICABLE_REGISTRATIONS:
            raise FailedPrecondition(
                f"registration {registration_id} is {registration.status}; only an approved registration may "
                "apply for a promotion",
                [Violation("REGISTRATION_NOT_APPROVED", "registration_id", f"is {registration.status}")],
            )
    today = business_day(now)
    if not programme.open_on(today):
        raise FailedPrecondition(
            f"programme {programme.programme_id} takes no applications today ({today}): it runs "
            f"{programme.terms.starts_on} to {programme.terms.ends_on} and is {programme.status}",
            [
                Violation(
                    "PROGRAMME_NOT_OPEN",
                    "programme_id",
                    f"is {programme.status}, {programme.terms.starts_on} to {programme.terms.ends_on}",
                )
            ],
        )
    return Application(
        application_id=application_id,
        tenant_id=programme.tenant_id,
        programme_id=programme.programme_id,
        programme_name=programme.terms.name,
        distributor_id=distributor_id,
        applicant_id=applicant_id,
        registration_id=registration_id,
        period_starts_on=None if registration_id else starts,
        period_ends_on=None if registration_id else ends,
        amount_asked_minor=amount,
        currency=currency,
        note=note,
        status=SUBMITTED,
        approval_id="",
        decision="",
        decision_comment="",
        decided_at=None,
        created_at=now,
        updated_at=now,
        version=1,
    )


def refuse_repeat(new: Application, others: list[Application]) -> None:
    """One application per programme and deal (or overlapping period) while
    it is submitted or approved: a rejected one may be asked again."""
    for other in others:
        if other.status == REJECTED or other.application_id == new.application_id:
            continue
        if new.registration_id and other.registration_id == new.registration_id:
            raise AlreadyExists(
                f"registration {new.registration_id} already has application {other.application_id} "
                f"({other.status}) for this programme"
            )
        if not new.registration_id and not other.registration_id and _overlap(new, other):
            raise AlreadyExists(
                f"application {other.application_id} ({other.status}) already covers part of this period"
            )


def _overlap(a: Application, b: Application) -> bool:
    assert a.period_starts_on and a.period_ends_on and b.period_starts_on and b.period_ends_on
    return a.period_starts_on <= b.period_ends_on and b.period_starts_on <= a.period_ends_on


def with_approval(app: Application, approval_id: str, now: datetime) -> Application:
    return replace(app, approval_id=approval_id, updated_at=now, version=app.version + 1)


def decided(app: Application, approval_id: str, decision: str, comment: str, now: datetime) -> Application | None:
    """The application as its approval decided it; None when the decision is
    not about it any more (another request, or already decided: redelivery)."""
    if app.status != SUBMITTED or decision not in DECISIONS:
        return None
    if app.approval_id and approval_id != app.approval_id:
        return None
    return replace(
        app,
        approval_id=approval_id,
        status=decision,
        decision=decision,
        decision_comment=comment.strip()[:MAX_NOTE],
        decided_at=now,
        updated_at=now,
        version=app.version + 1,
    )


def may_read_application(caller: Caller, app: Application, channel_manager_id: str) -> bool:
    """`channel_manager_id`: the application's distributor's channel manager ("" when unknown)."""
    if caller.role in (roles.ADMIN, roles.SYSTEM):
        return True
    if caller.role == roles.MANAGER:
        return bool(channel_manager_id) and channel_manager_id == caller.user_id
    return caller.role == roles.PARTNER and bool(caller.organisation) and caller.organisation == app.distributor_id


def as_seen_by(caller: Caller, app: Application) -> Application:
    """What a caller is shown: a partner never the approval request's id (approvals are the manufacturer's)."""
    if caller.role == roles.PARTNER:
        return replace(app, approval_id="")
    return app


def approval_facts(app: Application, distributor_name: str, channel_manager_id: str) -> tuple[str, dict[str, str]]:
    """The approval's title and the facts its policy reads: 金额 in whole 元, the channel manager, the distributor
    and the applicant."""
    reason = f"{distributor_name} 申报促销 {app.programme_name}"[:MAX_NAME]
    facts = {
        kinds.FACT_AMOUNT: str(app.amount_asked_minor // 100),
        kinds.FACT_CHANNEL_MANAGER: channel_manager_id,
        kinds.FACT_DISTRIBUTOR: app.distributor_id,
        kinds.FACT_APPLICANT: app.applicant_id,
    }
    return reason, facts


def check_listing_state(state: str) -> str:
    return check_state("status", state, APPLICATION_STATES) if state.strip() else ""


# --- helpers -------------------------------------------------------------------


def _bounded(v: Validator, field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        v.add(field, f"is longer than {limit} characters")


def _date(v: Validator, field: str, value: str, *, required: bool) -> date | None:
    value = value.strip()
    if not value:
        if required:
            v.add(field, "is required (YYYY-MM-DD)")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        v.add(field, "must be a date YYYY-MM-DD")
        return None


def _period(v: Validator, field: str, starts: date | None, ends: date | None) -> None:
    if starts and ends:
        if ends < starts:
            v.add(field, "is before the start")
        elif (ends - starts).days >= MAX_PERIOD_DAYS:
            v.add(field, f"the period is longer than {MAX_PERIOD_DAYS} days")
