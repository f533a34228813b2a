"""Money, once for every service: integer minor units (分 for CNY) plus an
ISO 4217 code, never floats.

The bound: no single amount a client sends may exceed MAX_AMOUNT_MINOR
(10**15 分, i.e. 10 trillion 元 — far above any real deal or payment, far
below what int64 holds). Every service validates amounts with
`check_amount`, so any sum of n amounts is at most n × MAX_AMOUNT_MINOR.

Sums are exact Python integers. In SQL, `split_sum_columns` / `join_split_sums`
sum an integer column in two parts (high and low digits), so neither SQLite
(whose SUM of integers raises on overflow) nor PostgreSQL (whose bigint
arithmetic raises) can overflow whatever is stored, rows written before the
bound existed included. A total travels in an int64 field
(crm.common.v1.Money); `wire_minor` saturates one that does not fit (it
would take more than 9,000 amounts at the bound) instead of failing the read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crm_shared.domain.errors import Validator

# 10**15 分 = 10,000,000,000,000 元 (10 trillion).
MAX_AMOUNT_MINOR = 10**15
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
CURRENCY_SHAPE = re.compile(r"^[A-Z]{3}$")
# The currencies the product books today.
ACCEPTED_CURRENCIES: tuple[str, ...] = ("CNY",)
# Split point of the two-part SQL sums: amount = high * SPLIT + low.
SPLIT = 10**9


def describe_bound() -> str:
    return f"must be at most {MAX_AMOUNT_MINOR} (分, i.e. {MAX_AMOUNT_MINOR // 100:,} 元)"


def check_amount(
    v: Validator,
    field: str,
    amount_minor: int | None,
    currency: str | None = None,
    *,
    required: bool = False,
    positive: bool = False,
    allow_negative: bool = False,
    currencies: Iterable[str] = ACCEPTED_CURRENCIES,
) -> None:
    """Add every problem of one amount to `v`, named under `field`
    (e.g. "amount" gives "amount.amount_minor" and "amount.currency").
    None means no amount was given: an error only when `required`.
    `currency` None skips the currency check (a field without one)."""
    if amount_minor is None:
        if required:
            v.add(field, "is required")
        return
    name = f"{field}.amount_minor"
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        v.add(name, "must be an integer number of minor units (分)")
        return
    if positive and amount_minor <= 0:
        v.add(name, "must be greater than 0 (in 分)")
    elif not allow_negative and amount_minor < 0:
        v.add(name, "must not be negative")
    if abs(amount_minor) > MAX_AMOUNT_MINOR:
        v.add(name, describe_bound())
    if currency is not None:
        allowed = tuple(currencies)
        if not CURRENCY_SHAPE.match(currency):
            v.add(f"{field}.currency", "must be an ISO 4217 code of 3 capital letters (e.g. CNY)")
        elif currency not in allowed:
            v.add(f"{field}.currency", f"must be one of {', '.join(allowed)}")


def validate_amount(field: str, amount_minor: int | None, currency: str | None = None, **options: Any) -> None:
    """check_amount on its own: raises InvalidArgument naming the field."""
    v = Validator()
    check_amount(v, field, amount_minor, currency, **options)
    v.check()


def total(amounts: Iterable[int | None]) -> int:
    """The exact sum (None counts as 0)."""
    return sum(a for a in amounts if a is not None)


def weighted(amount_minor: int, percent: int) -> int:
    """amount × percent / 100, rounded down, exact."""
    return amount_minor * percent // 100


def wire_minor(amount_minor: int) -> int:
    """An amount or total as an int64 field can carry it: saturated at the
    int64 limits (only reachable by totals of thousands of amounts at the
    bound, or by rows stored before the bound existed)."""
    return max(INT64_MIN, min(INT64_MAX, amount_minor))


def split_sum_columns(column: Any, *, weight: Any = None, label: str) -> list[Any]:
    """Two SQL aggregates whose combination (join_split_sums) is the exact
    SUM(column [* weight]): the high and low digits summed apart never
    overflow a 64-bit integer (about 10**9 rows at the int64 limit).
    Integer division and remainder truncate the same way on SQLite and
    PostgreSQL, so high * SPLIT + low is the stored value on both."""
    import sqlalchemy as sa  # only the repositories that sum in SQL need it

    value = sa.func.coalesce(column, 0)
    high = value // sa.literal(SPLIT, sa.BigInteger)
    low = value % sa.literal(SPLIT, sa.BigInteger)
    if weight is not None:
        w = sa.func.coalesce(weight, 0)
        high, low = high * w, low * w
    return [
        sa.func.coalesce(sa.func.sum(high), 0).label(f"{label}_high"),
        sa.func.coalesce(sa.func.sum(low), 0).label(f"{label}_low"),
    ]


def join_split_sums(row: Any, label: str) -> int:
    """The exact sum from a row carrying split_sum_columns(label=label)."""
    high = getattr(row, f"{label}_high") or 0
    low = getattr(row, f"{label}_low") or 0
    return int(high) * SPLIT + int(low)


def format_minor(amount_minor: int, currency: str) -> str:
    """An amount for people to read, from its minor units without a float:
    123456789 CNY -> "1,234,567.89 CNY" (every accepted currency has 2 decimals)."""
    sign = "-" if amount_minor < 0 else ""
    units, cents = divmod(abs(amount_minor), 100)
    return f"{sign}{units:,}.{cents:02d} {currency}"
