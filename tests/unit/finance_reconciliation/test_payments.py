"""Domain rules of payments: validation and totals (no I/O); who sees them is opportunity's answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from crm_shared.domain.errors import InvalidArgument
from finance_reconciliation.domain.payment import new_payment, total_minor

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def payment(**overrides):
    args = dict(
        payment_id="pay-1",
        tenant_id="tenant-a",
        opportunity_id="opp-1",
        amount_minor=3_600_000,
        currency="CNY",
        payer_name=" 绍兴柯桥纺织机械有限公司 ",
        reference=" ICBC-20261123-0001 ",
        paid_at=None,
        recorded_by="fin-1",
        now=NOW,
    )
    return new_payment(**{**args, **overrides})


def fields(err: pytest.ExceptionInfo[InvalidArgument]) -> set[str]:
    return {v.field for v in err.value.violations}


def test_valid_payment_is_normalised_and_paid_now_by_default() -> None:
    p = payment()
    assert (p.payer_name, p.reference, p.paid_at, p.recorded_at) == (
        "绍兴柯桥纺织机械有限公司",
        "ICBC-20261123-0001",
        NOW,
        NOW,
    )
    assert payment(reference="  ").reference is None


def test_missing_amount_is_named_as_such() -> None:
    with pytest.raises(InvalidArgument) as err:
        payment(amount_minor=None, currency="")
    assert fields(err) == {"amount"}


@pytest.mark.parametrize("minor", [0, -1])
def test_amount_must_be_positive(minor: int) -> None:
    with pytest.raises(InvalidArgument) as err:
        payment(amount_minor=minor)
    assert fields(err) == {"amount.amount_minor"}


@pytest.mark.parametrize("currency", ["USD", "", "cny"])
def test_only_cny_is_accepted(currency: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        payment(currency=currency)
    assert fields(err) == {"amount.currency"}


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InvalidArgument) as err:
        payment(opportunity_id="", amount_minor=-5, currency="USD", payer_name=" ", paid_at=NOW + timedelta(days=1))
    assert fields(err) == {"opportunity_id", "amount.amount_minor", "amount.currency", "payer_name", "paid_at"}


def test_paid_at_tolerates_small_clock_drift_but_not_the_future() -> None:
    assert payment(paid_at=NOW + timedelta(minutes=5)).paid_at == NOW + timedelta(minutes=5)
    assert payment(paid_at=NOW - timedelta(days=30)).paid_at == NOW - timedelta(days=30)
    with pytest.raises(InvalidArgument) as err:
        payment(paid_at=NOW + timedelta(minutes=5, seconds=1))
    assert fields(err) == {"paid_at"}


def test_total_is_an_exact_integer_sum_in_fen() -> None:
    # 0.1 + 0.2 元 in floats would not be 0.3; in 分 it is exact.
    parts = [payment(payment_id=f"p{i}", amount_minor=m) for i, m in enumerate([10, 20, 999_999_999_999])]
    assert total_minor(parts) == 1_000_000_000_029
    assert total_minor([]) == 0


def test_total_refuses_a_foreign_currency() -> None:
    with pytest.raises(ValueError):
        total_minor([replace(payment(), currency="USD")])
