"""The protection window of an approved registration (报备保护期): approval
starts it for the tenant's number of days and puts the distributor on the
customer's lead; reminders 7 and 1 days before it ends, each once; at its end
without progress (the lead converted) it lapses and the lead goes back to the
normal pool; an approved extension moves its end. Pure rules over
domain/registration.py's Registration and domain/lead.py's Lead."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from crm_shared import roles
from crm_shared.approval_kinds import (
    FACT_AMOUNT,
    FACT_APPLICANT,
    FACT_CHANNEL_MANAGER,
    FACT_DISTRIBUTOR,
    PARTNER_REGISTRATION,
    PROTECTION_EXTENSION,
    REGISTRATION,
)
from crm_shared.domain.errors import FailedPrecondition, Validator, Violation

from lead_routing.domain.lead import PARTNER_SOURCE, Lead, LeadData
from lead_routing.domain.registration import (
    APPROVED,
    AWAITING_APPROVAL,
    CONVERTED,
    LAPSED,
    LEAD,
    REJECTED,
    Registration,
)

# The approval kinds deciding a registration and its extension, both about the subject type registration.
DECIDING_KINDS = (PARTNER_REGISTRATION, PROTECTION_EXTENSION)
SUBJECT_TYPE = REGISTRATION

REMINDER_DAYS = (7, 1)  # days before the end, most distant first
DEFAULT_PROTECTION_DAYS = 90
DEFAULT_MAX_EXTENSION_DAYS = 30
MAX_TERM_DAYS = 365  # bound of a tenant's window and of one extension
MAX_REASON = 500
SYSTEM_ACTOR = "lead-routing"  # who releases a lapsed lead in its owner history
# Who reads a tenant's terms (a partner: how many days it may ask) and who sets them.
TERMS_READERS = roles.PROTECTION_TERMS_READERS
TERMS_WRITERS = roles.PROTECTION_TERMS_EDITORS


@dataclass(frozen=True)
class ProtectionTerms:
    """A tenant's terms: how long an approved registration protects its customer,
    and the most days one extension may ask for."""

    tenant_id: str
    protection_days: int = DEFAULT_PROTECTION_DAYS
    max_extension_days: int = DEFAULT_MAX_EXTENSION_DAYS
    updated_by: str = ""
    updated_at: datetime | None = None


def terms(tenant_id: str, protection_days: int, max_extension_days: int, by: str, now: datetime) -> ProtectionTerms:
    v = Validator()
    for name, days in (("protection_days", protection_days), ("max_extension_days", max_extension_days)):
        if not 1 <= days <= MAX_TERM_DAYS:
            v.add(name, f"must be between 1 and {MAX_TERM_DAYS} days")
    v.check()
    return ProtectionTerms(tenant_id, protection_days, max_extension_days, by, now)


# --- approval -----------------------------------------------------------------------


def protected_lead_id(reg: Registration) -> str:
    """The manufacturer's lead the registration matched (the first lead conflict), "" when none."""
    return next((c.object_id for c in reg.conflicts if c.kind == LEAD and c.object_id), "")


def lead_data(reg: Registration) -> LeadData:
    """The lead a registration of a customer unknown to the manufacturer makes (source 伙伴报备)."""
    return LeadData(
        company_name=reg.company_name,
        credit_code=reg.credit_code,
        contact_name=reg.contact_name,
        phone=reg.phone or reg.contact_phone,
        source=PARTNER_SOURCE,
        province=reg.province,
        city=reg.city,
        district=reg.district,
        industry_tags=(reg.industry,) if reg.industry else (),
        budget_minor=reg.expected_amount or None,
        currency=reg.currency or "CNY",
    )


def decided(reg: Registration) -> bool:
    """Whether its approval was decided already (a second decision event changes nothing)."""
    return reg.status not in AWAITING_APPROVAL


def approve(reg: Registration, lead_id: str, comment: str, days: int, now: datetime) -> Registration:
    """Approved: protected from now for `days`, on the customer's lead."""
    return replace(
        reg,
        status=APPROVED,
        decision="approved",
        decision_comment=comment,
        lead_id=lead_id,
        protected_from=now,
        protected_until=now + timedelta(days=days),
        reminders_sent=(),
        updated_at=now,
    )


def reject(reg: Registration, comment: str, now: datetime) -> Registration:
    return replace(reg, status=REJECTED, decision="rejected", decision_comment=comment, updated_at=now)


def may_protect(lead: Lead, reg: Registration) -> bool:
    """A lead another distributor holds is never handed to this one."""
    return not lead.partner_org_id or lead.partner_org_id == reg.distributor_id


def protect(lead: Lead, reg: Registration, distributor_name: str, now: datetime) -> Lead:
    """The lead carries the distributor until the registration's protection ends."""
    return replace(
        lead,
        partner_org_id=reg.distributor_id,
        partner_name=distributor_name,
        registration_id=reg.registration_id,
        protected_until=reg.protected_until,
        updated_at=now,
    )


# --- the window -----------------------------------------------------------------------


def reminder_due(reg: Registration, now: datetime) -> int | None:
    """The reminder to send now (days before the end), None when none is due: the
    nearest one whose day has come and was not sent (one missed while the job was
    down is not sent late once a nearer one is due)."""
    if reg.status != APPROVED or reg.protected_until is None or now >= reg.protected_until:
        return None
    due = [d for d in REMINDER_DAYS if now >= reg.protected_until - timedelta(days=d)]
    if not due or min(due) in reg.reminders_sent:
        return None
    return min(due)


def reminded(reg: Registration, days: int, now: datetime) -> Registration:
    """The reminder and every more distant one count as sent."""
    sent = {*reg.reminders_sent, *(d for d in REMINDER_DAYS if d >= days)}
    return replace(reg, reminders_sent=tuple(sorted(sent, reverse=True)), updated_at=now)


def expired(reg: Registration, now: datetime) -> bool:
    return reg.status == APPROVED and reg.protected_until is not None and now >= reg.protected_until


def progressed(lead: Lead | None) -> bool:
    """Progress that keeps the customer the distributor's: its lead converted (an opportunity exists)."""
    return lead is not None and lead.status == "converted"


def lapse(reg: Registration, now: datetime) -> Registration:
    return replace(reg, status=LAPSED, updated_at=now)


def converted(reg: Registration, now: datetime) -> Registration:
    """The protected lead converted: the deal is the distributor's; the window no longer runs."""
    return replace(reg, status=CONVERTED, updated_at=now)


def released(lead: Lead, now: datetime) -> Lead:
    """The lead without its distributor (back in the normal pool); which registration it came of is kept."""
    return replace(lead, partner_org_id="", partner_name="", protected_until=None, updated_at=now)


# --- extension -----------------------------------------------------------------------

EXTENSION_SUBMITTING, EXTENSION_PENDING = "submitting", "pending"
EXTENSION_APPROVED, EXTENSION_REJECTED = "approved", "rejected"


@dataclass(frozen=True)
class Extension:
    """A partner's request for more days of protection, decided through approval."""

    extension_id: str
    tenant_id: str
    registration_id: str
    days: int
    reason: str
    requested_by: str
    requested_at: datetime
    status: str = EXTENSION_SUBMITTING  # submitting (approval not yet asked) | pending | approved | rejected
    approval_id: str = ""
    decision_comment: str = ""
    decided_at: datetime | None = None


def check_extension(reg: Registration, days: int, reason: str, max_days: int, now: datetime) -> str:
    """The reason, stripped, when the registration may ask for `days` more; every problem named."""
    reason = reason.strip()
    v = Validator()
    v.require("reason", reason, "say why the protection should be extended")
    if len(reason) > MAX_REASON:
        v.add("reason", f"is longer than {MAX_REASON} characters")
    if not 1 <= days <= max_days:
        v.add("days", f"must be between 1 and {max_days} (the tenant's most for one extension)")
    v.check()
    if reg.status != APPROVED or reg.protected_until is None or now >= reg.protected_until:
        raise FailedPrecondition(
            f"registration {reg.registration_id} is not protected now; only a protection that runs is extended",
            [Violation("registration", reg.registration_id, f"is {reg.status}")],
        )
    if reg.extension_approval_id:
        raise FailedPrecondition(
            f"registration {reg.registration_id} has an extension waiting for its decision",
            [Violation("registration", reg.registration_id, "an extension is pending")],
        )
    return reason


def extension_pending(reg: Registration, extension: Extension, now: datetime) -> Registration:
    """The registration waits for the extension's decision (its approval once submitted)."""
    return replace(reg, extension_approval_id=extension.approval_id or extension.extension_id, updated_at=now)


def extend(reg: Registration, extension: Extension, now: datetime) -> Registration:
    """Approved: the end moves by the days asked; the reminders run again before the new end.
    A registration no longer protected (lapsed meanwhile) is not revived."""
    if reg.status != APPROVED or reg.protected_until is None:
        return replace(reg, extension_approval_id="", updated_at=now)
    return replace(
        reg,
        protected_until=reg.protected_until + timedelta(days=extension.days),
        extensions=reg.extensions + 1,
        extension_approval_id="",
        reminders_sent=(),
        updated_at=now,
    )


def extension_refused(reg: Registration, now: datetime) -> Registration:
    return replace(reg, extension_approval_id="", updated_at=now)


def decide_extension(extension: Extension, decision: str, comment: str, now: datetime) -> Extension:
    status = EXTENSION_APPROVED if decision == "approved" else EXTENSION_REJECTED
    return replace(extension, status=status, decision_comment=comment, decided_at=now)


def extension_facts(
    reg: Registration, extension: Extension, distributor_name: str, channel_manager_id: str
) -> tuple[str, dict[str, str]]:
    """The approval request's reason and given facts (金额 in whole 元, as approval reads amounts)."""
    reason = f"{distributor_name} 报备保护期延长 {reg.company_name} {extension.days}天：{extension.reason}"
    return reason[:MAX_REASON], {
        FACT_AMOUNT: str(reg.expected_amount // 100),
        FACT_CHANNEL_MANAGER: channel_manager_id,
        FACT_DISTRIBUTOR: reg.distributor_id,
        FACT_APPLICANT: extension.requested_by,
    }


def as_seen_by(role: str, extension: Extension) -> Extension:
    """A partner sees the state and the public comment, never the approval request's id."""
    return replace(extension, approval_id="") if role == roles.PARTNER else extension
