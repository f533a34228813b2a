"""The ledger: immutable postings in integer 分, grouped into entries; a
correction is a new entry, never an edit. Two sides: cash (postings
without an instalment: money received) and instalments (money applied).

- a receipt: cash +A, and an allocation +A on its instalment;
- a held receipt: nothing until it is released (it is not yet applied);
- a reversal: cash −A and −A on the instalment;
- a carry-over (re-plan): −p on the old plan's instalment, +p on the new one.

Balanced means: every entry's cash side equals its instalment side; each
instalment's postings add up to its paid amount; each receipt's cash
postings add up to its amount while recorded and to zero once reversed or
while held. `problems` is that check over sums the repository's query
gives (tests run it after every test that records money)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

RECEIPT = "receipt"
ALLOCATION = "allocation"
REVERSAL = "reversal"
WRITE_OFF = "write_off"
KINDS = (RECEIPT, ALLOCATION, REVERSAL, WRITE_OFF)


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

    entries: Mapping[str, tuple[int, int]]  # entry_id -> (cash side, instalment side)
    instalments: Mapping[str, tuple[int, int]]  # instalment_id -> (postings, paid_minor)
    receipts: Mapping[str, tuple[int, int]]  # receipt_id -> (cash postings, expected)


def problems(sums: Sums) -> list[str]:
    found = [
        f"entry {e}: cash {cash} 分 but instalments {applied} 分"
        for e, (cash, applied) in sorted(sums.entries.items())
        if cash != applied
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
