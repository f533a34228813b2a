"""Finance's receipts as they count towards a customer's purchase total.

Finance announces a receipt with payment.receipt_recorded (status "recorded",
or "held" for review; a held receipt released is announced again, same
receipt_id, status "recorded") and cancels one with payment.receipt_reversed.
One row per receipt makes every announcement count at most once: a second
"recorded" for a counted receipt adds nothing, a reversal takes back only what
was counted, and a reversal seen before its recording (or of a held receipt)
leaves a reversed row so a late "recorded" cannot count it afterwards."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from crm_shared.limits import MAX_ID
from crm_shared.money import MAX_AMOUNT_MINOR

COUNTED_STATUS = "recorded"  # finance's receipt status that moves money
COUNTED_CURRENCIES = ("", "CNY")  # the purchase total is in CNY ("": the product's default)


@dataclass(frozen=True)
class CountedReceipt:
    tenant_id: str
    receipt_id: str
    opportunity_id: str
    customer_id: str | None
    amount_minor: int
    counted: bool
    reversed: bool
    paid_on: date | None = None  # finance's paid_on (the customer value tier's purchase date)


def left_out(receipt_id: str, amount_minor: int, currency: str) -> str:
    """Why an announced receipt is not in the purchase total at all ("" when it may count): another
    currency, or an amount or id out of bounds."""
    if currency not in COUNTED_CURRENCIES:
        return "receipt in another currency not in the purchase total"
    if not 0 < amount_minor <= MAX_AMOUNT_MINOR or len(receipt_id) > MAX_ID:
        return "receipt out of bounds, not in the purchase total"
    return ""


def on_recorded(found: CountedReceipt | None, seen: CountedReceipt) -> tuple[CountedReceipt | None, int]:
    """The row to store (None: nothing changes) and what the purchase total gains."""
    if found is not None:
        return None, 0  # counted already, or reversed before it could count
    return replace(seen, counted=True, reversed=False), seen.amount_minor


def on_reversed(found: CountedReceipt | None, seen: CountedReceipt) -> tuple[CountedReceipt | None, int]:
    """The row to store (None: nothing changes) and what the purchase total loses."""
    if found is None:
        return replace(seen, counted=False, reversed=True), 0
    if found.reversed:
        return None, 0
    return replace(found, reversed=True), found.amount_minor if found.counted else 0
