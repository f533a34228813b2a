"""Domain rules of opportunity: validation, first stage, customer matching, visibility."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, PermissionDenied
from crm_shared.natural_keys import credit_code_key, phone_key
from opportunity.domain.access import resolve_owner
from opportunity.domain.customer import match_customer
from opportunity.domain.opportunity import FIRST_STAGE, open_opportunity, record_decision

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CODE = "91330200MA2AFK8X1K"
OTHER_CODE = "91310000MA1FL4RG8T"


def opened(**overrides):
    args = dict(
        tenant_id="t",
        opportunity_id="o-1",
        customer_id="c-1",
        now=NOW,
        existing=None,
        customer_name="宁波注塑机厂",
        credit_code=CODE,
        name="二期产线改造",
        amount_minor=12_000_000,
        currency="CNY",
        owner_id="rep-1",
    )
    return open_opportunity(**(args | overrides))


def test_a_new_opportunity_starts_in_the_first_stage_on_a_new_customer() -> None:
    result = opened(credit_code="9133 0200 MA2A FK8X 1K", phone="0574-8765 4321")
    assert result.customer_is_new
    assert result.opportunity.stage == FIRST_STAGE == "初步接触"
    assert result.customer.credit_code == CODE
    assert result.customer.phone == "+8657487654321"
    assert result.opportunity.customer_id == result.customer.customer_id == "c-1"
    assert result.opportunity.lead_id is None


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InvalidArgument) as err:
        opened(customer_name=" ", credit_code="91330200MA2AFK8X1X", name="", amount_minor=-1, currency="USD")
    assert {v.field for v in err.value.violations} == {
        "customer_name",
        "customer_credit_code",
        "name",
        "amount.amount_minor",
        "amount.currency",
    }


def test_no_credit_code_is_allowed_and_amount_may_be_unknown() -> None:
    result = opened(credit_code="", amount_minor=None)
    assert result.customer.credit_code is None and result.opportunity.amount_minor is None


def test_an_existing_customer_is_attached_without_revalidating_its_fields() -> None:
    existing = opened().customer
    result = opened(existing=existing, customer_id="c-2", customer_name="")
    assert not result.customer_is_new
    assert result.opportunity.customer_id == "c-1"


def test_credit_code_and_phone_keys() -> None:
    assert credit_code_key(" 91330200ma2afk8x1k ") == CODE
    assert credit_code_key("91330200MA2AFK8X10") is None
    assert credit_code_key("") is None
    assert phone_key("138 0013 8000") == "+8613800138000"
    assert phone_key("+8613800138000") == "+8613800138000"
    assert phone_key("12345") is None


def test_matching_prefers_the_credit_code_then_the_phone() -> None:
    by_code = replace(opened().customer, customer_id="by-code")
    by_phone = replace(opened(credit_code="").customer, customer_id="by-phone", phone="+8613800138000")
    assert match_customer(by_code, by_phone, CODE) is by_code
    assert match_customer(None, by_phone, None) is by_phone
    learnt = match_customer(None, by_phone, OTHER_CODE)
    assert learnt is not None and (learnt.customer_id, learnt.credit_code) == ("by-phone", OTHER_CODE)
    # A phone shared by two companies with different codes does not merge them.
    assert match_customer(None, replace(by_phone, credit_code=CODE), OTHER_CODE) is None
    assert match_customer(None, None, CODE) is None


def test_owner_defaults_to_the_caller_and_reps_cannot_assign_others() -> None:
    # An opportunity (no team given): a manager may give it to any rep.
    assert resolve_owner(Caller("t", "rep-1", "rep"), "") == "rep-1"
    assert resolve_owner(Caller("t", "m", "manager"), "rep-2") == "rep-2"
    with pytest.raises(PermissionDenied):
        resolve_owner(Caller("t", "rep-1", "rep"), "rep-2")


def test_decisions_are_approved_or_rejected() -> None:
    opp = opened().opportunity
    decision = record_decision(opp, approval_id="a-1", decision="approved", decided_by="m", decided_at=NOW)
    assert (decision.opportunity_id, decision.tenant_id) == ("o-1", "t")
    with pytest.raises(InvalidArgument) as err:
        record_decision(opp, approval_id="a-2", decision="maybe", decided_by="m", decided_at=NOW)
    assert [v.field for v in err.value.violations] == ["decision"]
