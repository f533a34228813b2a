"""Natural keys: one implementation of the key forms (matching) and the
validating forms (input), as lead-routing and opportunity had each."""

import pytest
from crm_shared.domain.errors import Validator
from crm_shared.natural_keys import credit_code_key, normalise_credit_code, normalise_phone, phone_key

CODE = "91350100M000100Y43"  # a valid 统一社会信用代码


@pytest.mark.parametrize("value", [CODE, " 91350100M000100Y43 ", "91350100-M000100Y43", "91350100m000100y43"])
def test_a_credit_code_key_is_its_compact_form(value: str) -> None:
    assert credit_code_key(value) == CODE


@pytest.mark.parametrize("value", ["", "  ", "91350100M000100Y44", "123"])
def test_no_key_for_a_missing_or_invalid_code(value: str) -> None:
    assert credit_code_key(value) is None


@pytest.mark.parametrize(
    ("value", "e164"),
    [("13800138000", "+8613800138000"), ("+86 138 0013 8000", "+8613800138000"), ("021-6888 8888", "+862168888888")],
)
def test_a_phone_key_is_e164(value: str, e164: str) -> None:
    assert phone_key(value) == e164


@pytest.mark.parametrize("value", ["", "  ", "12345", "not a number", "6888 8888"])
def test_no_key_for_a_missing_or_invalid_phone(value: str) -> None:
    assert phone_key(value) is None


def test_validating_forms_are_the_key_and_say_what_is_wrong() -> None:
    v = Validator()
    assert normalise_credit_code(" " + CODE, v) == CODE
    assert normalise_phone("13800138000", v) == "+8613800138000"
    assert v.violations == []
    assert normalise_credit_code("91350100M000100Y44", v) is None
    assert normalise_phone("12345", v, field="customer_phone") is None
    assert [(p.field, p.description) for p in v.violations] == [
        ("credit_code", "is not a valid 统一社会信用代码 (18 characters with a correct check digit)"),
        ("customer_phone", "is not a valid phone number"),
    ]


def test_an_empty_value_is_unknown_not_wrong() -> None:
    v = Validator()
    assert normalise_credit_code("  ", v) is None and normalise_phone("", v) is None
    assert v.violations == []
