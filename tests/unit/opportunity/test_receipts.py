"""Receipts counted towards the purchase total: any order of finance's
announcements counts a receipt at most once and takes back only what counted."""

from __future__ import annotations

from itertools import permutations

from crm_shared.limits import MAX_ID
from crm_shared.money import MAX_AMOUNT_MINOR
from opportunity.domain.receipt import CountedReceipt, left_out, on_recorded, on_reversed

SEEN = CountedReceipt("t", "r-1", "o-1", "c-1", 500, counted=False, reversed=False)


def _total(events: tuple[str, ...]) -> int:
    row: CountedReceipt | None = None
    total = 0
    for event in events:
        step = on_recorded if event == "recorded" else on_reversed
        changed, delta = step(row, SEEN)
        total += delta if event == "recorded" else -delta
        row = changed or row
    return total


def test_recorded_once_counts_its_amount_and_again_adds_nothing() -> None:
    assert _total(("recorded",)) == 500
    assert _total(("recorded", "recorded")) == 500


def test_a_reversal_takes_back_what_counted_once() -> None:
    assert _total(("recorded", "reversed", "reversed")) == 0


def test_a_reversal_first_keeps_a_late_recording_from_counting() -> None:
    assert _total(("reversed", "recorded")) == 0
    row, lost = on_reversed(None, SEEN)
    assert row is not None and (row.counted, row.reversed, lost) == (False, True, 0)


def test_every_order_of_announcements_ends_at_zero_or_the_amount() -> None:
    for events in set(permutations(("recorded", "recorded", "reversed"))):
        # Reversed at all: nothing stays counted.
        assert _total(events) == 0, events
    assert _total(("recorded",) * 3) == 500


def test_only_cny_receipts_in_bounds_may_count() -> None:
    assert left_out("r-1", 500, "CNY") == "" and left_out("r-1", MAX_AMOUNT_MINOR, "") == ""
    assert "currency" in left_out("r-1", 500, "USD")
    for receipt_id, amount in (("r-1", 0), ("r-1", -5), ("r-1", MAX_AMOUNT_MINOR + 1), ("r" * (MAX_ID + 1), 500)):
        assert "out of bounds" in left_out(receipt_id, amount, "CNY"), (receipt_id, amount)
