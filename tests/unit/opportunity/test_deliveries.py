"""What a delivery record must say, and how it stands against the opportunity's earlier records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from opportunity.domain.delivery import (
    MAX_DELIVERIES,
    Delivery,
    DeliveryInput,
    check_input,
    check_record,
    latest,
)

TODAY = date(2026, 12, 2)
AT = datetime(2026, 12, 2, 3, tzinfo=UTC)


def record(kind: str, on: date, *, contract: str = "c-1", minutes: int = 0, delivery_id: str = "d") -> Delivery:
    return Delivery("t", delivery_id, "o-1", contract, kind, on, "", "rep", AT + timedelta(minutes=minutes))


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_input(DeliveryInput(contract_id="", kind="shipped", on="2026/12/01", note="x" * 501), TODAY)
    assert {v.field for v in refused.value.violations} == {"contract_id", "kind", "on", "note"}


@pytest.mark.parametrize("on", ["", "2026-12-03", "1999-12-31"])
def test_the_day_is_required_not_after_today_and_not_ancient(on: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_input(DeliveryInput(contract_id="c-1", kind="delivery", on=on), TODAY)
    assert [v.field for v in refused.value.violations] == ["on"]


def test_a_good_record_gives_its_day() -> None:
    assert check_input(DeliveryInput(contract_id=" c-1 ", kind="acceptance", on="2026-12-02"), TODAY) == TODAY


def test_acceptance_is_not_before_the_delivery_last_recorded() -> None:
    earlier = [record("delivery", date(2026, 11, 20)), record("delivery", date(2026, 11, 25), minutes=5)]
    with pytest.raises(InvalidArgument) as refused:
        check_record(DeliveryInput("c-1", "acceptance", "2026-11-22"), date(2026, 11, 22), earlier)
    assert [v.field for v in refused.value.violations] == ["on"]
    check_record(DeliveryInput("c-1", "acceptance", "2026-11-25"), date(2026, 11, 25), earlier)
    # Another contract's delivery says nothing about this one.
    check_record(DeliveryInput("c-2", "acceptance", "2026-11-01"), date(2026, 11, 1), earlier)


def test_an_opportunity_keeps_a_bounded_number_of_records() -> None:
    full = [record("delivery", TODAY, minutes=i, delivery_id=str(i)) for i in range(MAX_DELIVERIES)]
    with pytest.raises(FailedPrecondition):
        check_record(DeliveryInput("c-1", "delivery", "2026-12-02"), TODAY, full)


def test_the_record_in_force_is_the_last_one_recorded_not_the_latest_day() -> None:
    corrected = record("delivery", date(2026, 11, 20), minutes=10, delivery_id="b")
    records = [record("delivery", date(2026, 11, 28), delivery_id="a"), corrected]
    assert latest(records, "c-1", "delivery") == corrected
    assert latest(records, "c-1", "acceptance") is None
