"""The ledger: immutable postings in integer 分, grouped into entries; a
correction is a new entry, never an edit. Two sides: the outside side
(postings without an instalment: cash received, or the write-off account)
and instalments (money applied, or settled without cash).

- a receipt: cash +A, and an allocation +A on its instalment;
- a held receipt: nothing until it is released (then as a receipt); a
  rejected one: nothing ever;
- a reversal: cash −A and −A on the instalment;
- a carry-over (re-plan): −p on the old plan's instalment, +p on the new one;
- a write-off: write_off +W without an instalment (the amount given up) and
  write_off +W on the instalment; its reversal −W on both. The entry id is
  the write-off's id; a receipt's shortfall names the receipt on both.
- a waiver: nothing (no money moves; the instalment's state says waived).

Balanced means: every entry's outside side equals its instalment side; each
instalment's write_off postings add up to its written-off amount and to its
active write-offs, and its other postings to its paid amount; each receipt's
cash postings (write_off ones excluded) add up to its amount while recorded
and to zero while held, once rejected or reversed. `problems` is that check
over sums the repository's query gives (tests run it after every test that
records money)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from finance_reconciliation.domain.receipt import Receipt
    from finance_reconciliation.domain.settlement import WriteOff

RECEIPT = "receipt"
ALLOCATION = "allocation"
REVERSAL = "reversal"
WRITE_OFF = "write_off"
KINDS = (RECEIPT, ALLOCATION, REVERSAL, WRITE_OFF)

# Where a new posting's id comes from (crm_shared.ids.new_id in the service).
Ids = Callable[[], str]


@dataclass(frozen=True)
class Posting:
    posting_id: str
    tenant_id: str
    entry_id: str
    kind: str
    receipt_id: str | None
    instalment_id: str | None
    amount_minor: int  # signed
    currency: str
    posted_by: str
    reason: str
    posted_at: datetime


@dataclass(frozen=True)
class Sums:
    """What the ledger query adds up, per entry / instalment / receipt."""

    entries: Mapping[str, tuple[int, int]]  # entry_id -> (outside side, instalment side)
    instalments: Mapping[str, tuple[int, int]]  # instalment_id -> (postings but write_off ones, paid_minor)
    receipts: Mapping[str, tuple[int, int]]  # receipt_id -> (cash postings, expected)
    # instalment_id -> (write_off postings, written_off_minor, active write-offs)
    written_off: Mapping[str, tuple[int, int, int]] = field(default_factory=dict)


def problems(sums: Sums) -> list[str]:
    found = [
        f"entry {e}: cash {cash} 分 but instalments {applied} 分"
        for e, (cash, applied) in sorted(sums.entries.items())
        if cash != applied
    ]
    found += [
        f"instalment {i}: write-off postings {posted} 分, written off {stored} 分, active write-offs {active} 分"
        for i, (posted, stored, active) in sorted(sums.written_off.items())
        if not posted == stored == active
    ]
    found += [
        f"instalment {i}: postings {posted} 分 but paid {paid} 分"
        for i, (posted, paid) in sorted(sums.instalments.items())
        if posted != paid
    ]
    found += [
        f"receipt {r}: cash postings {posted} 分 but {expected} 分 expected"
        for r, (posted, expected) in sorted(sums.receipts.items())
        if posted != expected
    ]
    return found


def receipt_entry(
    receipt: Receipt, *, entry_id: str, ids: Ids, applied_to: str, posted_by: str, posted_at: datetime
) -> list[Posting]:
    """A receipt recorded (or a held one released): cash +A, and an allocation +A on its instalment
    (applied_to: the contract's label and the instalment's name)."""
    return [
        _receipt_posting(receipt, entry_id, ids(), RECEIPT, None, receipt.amount_minor, posted_by, "回款", posted_at),
        _receipt_posting(
            receipt,
            entry_id,
            ids(),
            ALLOCATION,
            receipt.instalment_id,
            receipt.amount_minor,
            posted_by,
            f"回款 → {applied_to}",
            posted_at,
        ),
    ]


def reversal_entry(
    receipt: Receipt, *, entry_id: str, ids: Ids, posted_by: str, reason: str, posted_at: datetime
) -> list[Posting]:
    """A recorded receipt reversed: cash −A and −A on its instalment."""
    return [
        _receipt_posting(receipt, entry_id, ids(), REVERSAL, instalment_id, -receipt.amount_minor, posted_by, reason,
                         posted_at)
        for instalment_id in (None, receipt.instalment_id)
    ]


def write_off_entry(
    write_off: WriteOff, *, entry_id: str, ids: Ids, amount_minor: int, posted_by: str, reason: str,
    posted_at: datetime,
) -> list[Posting]:
    """The two sides of a write-off (+W) or, negative, of its reversal (−W): the amount given up, and
    the instalment; a receipt's shortfall names the receipt on both."""
    return [
        Posting(
            posting_id=ids(),
            tenant_id=write_off.tenant_id,
            entry_id=entry_id,
            kind=WRITE_OFF,
            receipt_id=write_off.receipt_id,
            instalment_id=instalment_id,
            amount_minor=amount_minor,
            currency=write_off.currency,
            posted_by=posted_by,
            reason=reason,
            posted_at=posted_at,
        )
        for instalment_id in (None, write_off.instalment_id)
    ]


def _receipt_posting(
    receipt: Receipt,
    entry_id: str,
    posting_id: str,
    kind: str,
    instalment_id: str | None,
    amount_minor: int,
    posted_by: str,
    reason: str,
    posted_at: datetime,
) -> Posting:
    return Posting(
        posting_id=posting_id,
        tenant_id=receipt.tenant_id,
        entry_id=entry_id,
        kind=kind,
        receipt_id=receipt.receipt_id,
        instalment_id=instalment_id,
        amount_minor=amount_minor,
        currency=receipt.currency,
        posted_by=posted_by,
        reason=reason,
        posted_at=posted_at,
    )
