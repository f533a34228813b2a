"""Instalment amounts sum exactly to the total; the carry-over rule fills the oldest first."""

from __future__ import annotations

import random
from datetime import date

from finance_reconciliation.domain.contract import Term
from finance_reconciliation.domain.plan import Instalment, carry_over, split


def test_shares_sum_exactly_to_the_total_on_random_totals() -> None:
    rng = random.Random(13)
    for _ in range(2000):
        cuts = sorted(rng.sample(range(1, 10_000), 3))
        bps = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], 10_000 - cuts[2]]
        total = rng.randrange(1, 10**12)
        amounts = split(total, [Term("x", "advance", 0, percent_bp=bp) for bp in bps])
        assert sum(amounts) == total
        assert all(abs(a - total * bp / 10_000) < 1 for a, bp in zip(amounts, bps, strict=True))


def test_fixed_amounts_stay_as_signed() -> None:
    terms = [Term("定金", "advance", 0, amount_minor=1_000), Term("余款", "advance", 0, percent_bp=9_000)]
    assert split(10_000, terms) == [1_000, 9_000]


def _inst(seq: int, amount: int) -> Instalment:
    return Instalment(f"i{seq}", "t", "p", "c", "v", "o", "cu", "rep", seq, f"第{seq}期", "advance", 0, amount, "CNY",
                      date(2026, 1, 1), 0, "due")


def test_carry_over_fills_the_oldest_first_and_keeps_an_excess_on_the_last() -> None:
    items = [_inst(2, 500), _inst(1, 300), _inst(3, 200)]
    assert [(i.seq, a) for i, a in carry_over(650, items)] == [(1, 300), (2, 350)]
    assert [(i.seq, a) for i, a in carry_over(1_100, items)] == [(1, 300), (2, 500), (3, 300)]
    assert carry_over(0, items) == []
