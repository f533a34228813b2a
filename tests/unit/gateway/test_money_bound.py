"""Every money field of the REST API states and enforces the one bound
(crm_shared.money.MAX_AMOUNT_MINOR) before a service is asked."""

from __future__ import annotations

import pytest
from crm_shared.money import MAX_AMOUNT_MINOR
from gateway.entrypoints.receipts import RecordReceipt, WriteOff
from gateway.entrypoints.schemas import CreateOpportunity, Money
from pydantic import ValidationError


def test_money_is_bounded_and_the_schema_says_so() -> None:
    assert Money(amount_minor=MAX_AMOUNT_MINOR).amount_minor == MAX_AMOUNT_MINOR
    for bad in (MAX_AMOUNT_MINOR + 1, 2**63 - 1, -1):
        with pytest.raises(ValidationError) as err:
            CreateOpportunity.model_validate(
                {"customer_name": "宁波注塑机厂", "name": "二期", "amount": {"amount_minor": bad}}
            )
        assert err.value.errors()[0]["loc"] == ("amount", "amount_minor")
    schema = Money.model_json_schema()["properties"]["amount_minor"]
    assert (schema["minimum"], schema["maximum"]) == (0, MAX_AMOUNT_MINOR)
    assert "amount" in RecordReceipt.model_fields and "amount" in WriteOff.model_fields
