"""The conflict check of a deal registration: is the customer already the
manufacturer's (a lead in the pool), another distributor's (an active
registration), or outside the distributor's territory? "The same customer" is
lead intake's duplicate rule (domain.duplicates: the same 统一社会信用代码, the
same phone, a near-identical name in the same city), applied once, here.

First to register wins: a customer another distributor holds under an
approved, protected registration is refused at once; one another distributor
registered inside the check window and is still waiting on opens a clash
(撞单) for the channel manager; anything else found goes to the approver as
"under review"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from lead_routing.domain.duplicates import DuplicateIndex, Known, KnownLead, Match
from lead_routing.domain.registration import (
    CLASH,
    CUSTOMER,
    LEAD,
    NO_CONFLICT,
    OUTCOME_REFUSED,
    OUTCOME_UNDER_REVIEW,
    PENDING,
    REFUSED,
    REGISTRATION,
    TERRITORY,
    UNDER_REVIEW,
    Conflict,
    Registration,
)

DEFAULT_CHECK_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Verdict:
    status: str
    outcome: str
    conflicts: tuple[Conflict, ...]
    clash_with: Registration | None = None  # the registration that came first, when a clash opens
    matched_by: str = ""  # how the clash's two registrations matched


def as_known(reg: Registration) -> KnownLead:
    """A registration as the duplicate rule reads a known lead."""
    return KnownLead(
        reg.registration_id, reg.company_name, reg.credit_code or None, reg.phone or None, reg.city, reg.created_at
    )


def same_customer(new: Registration, known: Known) -> Match | None:
    """How `known` is the customer `new` registers (the duplicate rule), or None."""
    return DuplicateIndex((known,)).find(new)  # type: ignore[arg-type]  # reads the same four fields as a Lead's


def check(
    new: Registration,
    *,
    leads: Iterable[Known],
    customers: Iterable[Known] = (),
    registrations: Sequence[Registration],
    in_territory: bool,
    now: datetime,
    window: timedelta = DEFAULT_CHECK_WINDOW,
) -> Verdict:
    """What the registration meets: `leads` and `customers` are the
    manufacturer's candidates, `registrations` the tenant's active ones that
    could be of the customer (the repositories' candidate reads)."""
    conflicts: list[Conflict] = []
    index = DuplicateIndex(leads)
    if lead := index.find(new):  # type: ignore[arg-type]
        conflicts.append(Conflict(LEAD, lead.matched_by, lead.lead.lead_id, lead.lead.company_name))
    if customer := DuplicateIndex(customers).find(new):  # type: ignore[arg-type]
        conflicts.append(Conflict(CUSTOMER, customer.matched_by, customer.lead.lead_id, customer.lead.company_name))

    held: list[tuple[Registration, str]] = []  # other registrations of this customer, oldest first
    for other in sorted(registrations, key=lambda r: (r.created_at, r.registration_id)):
        if other.registration_id == new.registration_id or not other.active:
            continue
        if match := same_customer(new, as_known(other)):
            held.append((other, match.matched_by))
    for other, matched_by in held:
        conflicts.append(
            Conflict(REGISTRATION, matched_by, other.registration_id, f"{other.distributor_id}: {other.company_name}")
        )
    if not in_territory:
        place = " ".join(p for p in (new.province, new.city, new.industry) if p) or "the customer"
        conflicts.append(Conflict(TERRITORY, "territory", "", f"{place} is outside the distributor's territory"))
    found = tuple(conflicts)

    # Refused at once: the customer is protected for another distributor, or already registered by this one.
    if any(o.protects(now) or o.distributor_id == new.distributor_id for o, _ in held):
        return Verdict(REFUSED, OUTCOME_REFUSED, found)
    waiting = (PENDING, UNDER_REVIEW, CLASH)
    first = next(
        ((o, m) for o, m in held if o.status in waiting and now - o.created_at <= window),
        None,
    )
    if first is not None:
        return Verdict(CLASH, OUTCOME_UNDER_REVIEW, found, clash_with=first[0], matched_by=first[1])
    if found:
        return Verdict(UNDER_REVIEW, OUTCOME_UNDER_REVIEW, found)
    return Verdict(PENDING, NO_CONFLICT, ())
