"""Delivery and acceptance of a contract's goods, recorded by sales on the
opportunity (seed 001: finance heard of the customer's 签收 only when chasing
the money). Finance dates the instalments that wait on them from the event;
a later record of the same contract and kind corrects the date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crm_shared import roles
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, Validator, Violation
from crm_shared.limits import MAX_ID

DELIVERY = "delivery"
ACCEPTANCE = "acceptance"
KINDS = (DELIVERY, ACCEPTANCE)
RECORDERS = roles.OPPORTUNITY_MOVERS  # the owner, their manager, an admin (scope decides which opportunity)
MAX_DELIVERY_NOTE = 500
MAX_DELIVERIES = 100  # records on one opportunity: every listing reads them all
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Delivery:
    tenant_id: str
    delivery_id: str
    opportunity_id: str
    contract_id: str
    kind: str
    happened_on: date
    note: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class DeliveryInput:
    contract_id: str
    kind: str
    on: str
    note: str = ""


def check_input(cmd: DeliveryInput, today: date) -> date:
    """The record's own shape, every bad field named at once; the day it happened."""
    v = Validator()
    contract_id = cmd.contract_id.strip()
    v.require("contract_id", contract_id)
    if len(contract_id) > MAX_ID:
        v.add("contract_id", f"is longer than {MAX_ID} characters")
    if cmd.kind not in KINDS:
        v.add("kind", f"must be one of {', '.join(KINDS)}")
    if len(cmd.note.strip()) > MAX_DELIVERY_NOTE:
        v.add("note", f"is longer than {MAX_DELIVERY_NOTE} characters")
    day = today
    if not cmd.on.strip():
        v.add("on", "is required (YYYY-MM-DD)")
    else:
        try:
            day = date.fromisoformat(cmd.on.strip())
        except ValueError:
            v.add("on", "must be a date as YYYY-MM-DD")
        else:
            if day > today:
                v.add("on", f"is after today ({today.isoformat()}, Asia/Shanghai)")
            elif day < EARLIEST:
                v.add("on", f"is before {EARLIEST.isoformat()}")
    v.check()
    return day


def check_record(cmd: DeliveryInput, day: date, earlier: list[Delivery]) -> None:
    """Against what the opportunity already holds: room for one more, and an
    acceptance no earlier than the contract's delivery (as last recorded)."""
    if len(earlier) >= MAX_DELIVERIES:
        raise FailedPrecondition(
            f"the opportunity holds {MAX_DELIVERIES} delivery records, the most it keeps",
            [Violation("deliveries", "", f"at most {MAX_DELIVERIES}")],
        )
    if cmd.kind != ACCEPTANCE:
        return
    delivered = latest(earlier, cmd.contract_id.strip(), DELIVERY)
    if delivered is not None and day < delivered.happened_on:
        raise InvalidArgument.field("on", f"is before the delivery on {delivered.happened_on.isoformat()}")


def latest(records: list[Delivery], contract_id: str, kind: str) -> Delivery | None:
    """The record in force for a contract and kind: the one recorded last."""
    found = [r for r in records if r.contract_id == contract_id and r.kind == kind]
    return max(found, key=lambda r: (r.recorded_at, r.delivery_id), default=None)
