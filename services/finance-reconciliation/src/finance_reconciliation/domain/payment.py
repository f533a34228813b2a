"""Payments against opportunities: what a valid payment is and what they
add up to (who sees them: domain/access.py). Money is integer 分 (minor
units), never float."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_shared.domain.errors import Validator
from crm_shared.money import check_amount, total, wire_minor

CURRENCY = "CNY"
# Clocks of bank exports and clients drift; beyond this a date is a typo.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class Payment:
    payment_id: str
    tenant_id: str
    opportunity_id: str
    amount_minor: int
    currency: str
    payer_name: str
    reference: str | None  # None when the payer gave none; unique per tenant otherwise
    paid_at: datetime
    recorded_by: str
    recorded_at: datetime


def new_payment(
    *,
    payment_id: str,
    tenant_id: str,
    opportunity_id: str,
    amount_minor: int | None,
    currency: str,
    payer_name: str,
    reference: str,
    paid_at: datetime | None,
    recorded_by: str,
    now: datetime,
) -> Payment:
    """amount_minor None means the request carried no amount at all."""
    v = Validator()
    v.require("opportunity_id", opportunity_id)
    check_amount(v, "amount", amount_minor, currency, required=True, positive=True, currencies=(CURRENCY,))
    v.require("payer_name", payer_name)
    if len(payer_name.strip()) > 200:
        v.add("payer_name", "is longer than 200 characters")
    if len(reference.strip()) > 100:
        v.add("reference", "is longer than 100 characters")
    if paid_at is not None and paid_at > now + FUTURE_TOLERANCE:
        v.add("paid_at", "must not be in the future")
    v.check()
    assert amount_minor is not None
    return Payment(
        payment_id=payment_id,
        tenant_id=tenant_id,
        opportunity_id=opportunity_id,
        amount_minor=amount_minor,
        currency=currency,
        payer_name=payer_name.strip(),
        reference=reference.strip() or None,
        paid_at=paid_at or now,
        recorded_by=recorded_by,
        recorded_at=now,
    )


def total_minor(payments: Iterable[Payment]) -> int:
    """Sum in 分, exact, as an int64 field can carry it: each payment is at
    most MAX_AMOUNT_MINOR, so only thousands of them (or rows stored before
    the bound) could pass the int64 limit, and then the total saturates
    there instead of failing the read. Only CNY is ever accepted, so a mix
    means corrupt data."""
    found = list(payments)
    for p in found:
        if p.currency != CURRENCY:
            raise ValueError(f"payment {p.payment_id} is in {p.currency}, totals are {CURRENCY} only")
    return wire_minor(total(p.amount_minor for p in found))
