"""The contracts' delivery records documents keeps for ECNs (domain/delivery.py):
the record in force per contract and kind is the one recorded last (the same
time: the larger id), either kind means delivered, and a malformed event is
refused naming its fields."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from crm_shared.domain.errors import InvalidArgument
from crm_shared.testing import DEFAULT_NOW
from document_versioning.domain.delivery import ContractDelivery, by_contract, record_from
from document_versioning.domain.ecn import AffectedOrder, retrofits, to_confirm, with_deliveries


def record(contract: str, kind: str, on: str, minutes: int, delivery_id: str = "", opportunity: str = "o-1"):
    return record_from(
        tenant_id="t-1",
        contract_id=contract,
        kind=kind,
        opportunity_id=opportunity,
        on=on,
        delivery_id=delivery_id or f"d-{minutes}",
        recorded_by="rep-1",
        recorded_at=DEFAULT_NOW + timedelta(minutes=minutes),
    )


def test_the_record_recorded_last_is_in_force_whatever_order_they_arrive_in() -> None:
    older, newer = record("c-1", "delivery", "2026-03-10", 1), record("c-1", "delivery", "2026-03-12", 2)
    assert newer.replaces(older) and not older.replaces(newer) and not older.replaces(older)
    assert older.replaces(None)
    # Recorded at the same instant: the larger id wins, on every replica alike.
    a, b = record("c-1", "delivery", "2026-03-10", 1, "d-a"), record("c-1", "delivery", "2026-03-11", 1, "d-b")
    assert b.replaces(a) and not a.replaces(b)
    for arrival in ([older, newer], [newer, older]):
        assert by_contract(arrival)["c-1"].delivered_on == date(2026, 3, 12)


def test_each_kind_keeps_its_own_latest_day() -> None:
    found = by_contract(
        [
            record("c-1", "acceptance", "2026-03-20", 3),
            record("c-1", "delivery", "2026-03-12", 2),
            record("c-2", "acceptance", "2026-04-01", 1, opportunity="o-2"),
        ]
    )
    assert found == {
        "c-1": ContractDelivery("c-1", "o-1", date(2026, 3, 12), date(2026, 3, 20)),
        "c-2": ContractDelivery("c-2", "o-2", None, date(2026, 4, 1)),
    }


def test_orders_are_told_apart_by_their_contracts_delivery() -> None:
    orders = (
        AffectedOrder("o-1", "v-1", "合同", ("HX-280",), "c-1", "V3.2"),
        AffectedOrder("o-2", "v-2", "合同", ("HX-280",), "c-2", "V1"),
        AffectedOrder("o-3", "v-3", "报价单", ("HX-280",)),
    )
    deliveries = by_contract(
        [record("c-1", "delivery", "2026-03-12", 1), record("c-2", "delivery", "2026-03-12", 1, opportunity="o-9")]
    )
    marked = with_deliveries(orders, deliveries)
    assert [o.opportunity_id for o in retrofits(marked)] == ["o-1"]
    # c-2's record names another opportunity than the order's: not this order's delivery.
    assert [o.opportunity_id for o in to_confirm(marked)] == ["o-2", "o-3"]
    assert marked[0].delivered_on == date(2026, 3, 12) and marked[1].delivered_on is None


def test_a_malformed_event_is_refused_naming_its_fields() -> None:
    with pytest.raises(InvalidArgument) as refused:
        record_from(
            tenant_id="t-1",
            contract_id="",
            kind="shipped",
            opportunity_id="o-1",
            on="2026/03/12",
            delivery_id="d-1",
            recorded_by="rep-1",
            recorded_at=DEFAULT_NOW,
        )
    assert {v.field for v in refused.value.violations} == {"contract_id", "kind", "on"}
