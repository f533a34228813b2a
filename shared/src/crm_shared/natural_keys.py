"""Natural keys of companies and people: the 统一社会信用代码 (validated with
python-stdnum) and phone numbers (Chinese mobiles and landlines with area
code, as E.164 with phonenumbers).

The key forms answer "which customer or lead is this?" and are None for
anything that is not a valid code or number; the validating forms are the
same key plus a field problem on the Validator, and treat an empty value as
unknown (None, no problem)."""

from __future__ import annotations

from collections.abc import Callable

import phonenumbers
from stdnum.cn import uscc

from crm_shared.domain.errors import Validator

__all__ = [
    "CREDIT_CODE_PROBLEM",
    "PHONE_PROBLEM",
    "credit_code_key",
    "normalise_credit_code",
    "normalise_phone",
    "phone_key",
]

CREDIT_CODE_PROBLEM = "is not a valid 统一社会信用代码 (18 characters with a correct check digit)"
PHONE_PROBLEM = "is not a valid phone number"


def credit_code_key(value: str) -> str | None:
    """The canonical 统一社会信用代码, or None when it is not a valid one."""
    code = uscc.compact(value) if value.strip() else ""
    return code if code and uscc.is_valid(code) else None


def phone_key(value: str) -> str | None:
    """A Chinese number (mobile, or landline with area code) as E.164, or None."""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_credit_code(value: str, v: Validator, field: str = "credit_code") -> str | None:
    """The key of a given code; empty means unknown, anything else must be valid."""
    return _normalised(value, credit_code_key, v, field, CREDIT_CODE_PROBLEM)


def normalise_phone(value: str, v: Validator, field: str = "phone") -> str | None:
    """The E.164 key of a given number; empty means unknown, anything else must be valid."""
    return _normalised(value, phone_key, v, field, PHONE_PROBLEM)


def _normalised(value: str, key: Callable[[str], str | None], v: Validator, field: str, problem: str) -> str | None:
    if not value.strip():
        return None
    normal = key(value)
    if normal is None:
        v.add(field, problem)
    return normal
