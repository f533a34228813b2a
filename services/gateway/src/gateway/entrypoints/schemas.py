"""Request bodies: shape only (types, required fields, lengths). Business
rules (valid credit codes, allowed transitions) belong to the services.
Field names match the protobuf requests so one generic translation serves all."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from crm_shared.limits import (
    MAX_ATTRIBUTION,
    MAX_CUSTOM_FIELDS,
    MAX_ID,
    MAX_LEAD_REASON,
    MAX_LEAVE_PERIODS,
    MAX_NAME,
)
from crm_shared.money import MAX_AMOUNT_MINOR
from crm_shared.paging import MAX_PAGE_SIZE, MAX_TOKEN_LENGTH
from fastapi import Path, Query
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    WithJsonSchema,
)

Text = Annotated[str, Field(max_length=MAX_NAME)]
Id = Annotated[str, Field(max_length=MAX_ID)]
PathId = Annotated[str, Path(max_length=MAX_ID)]  # an object's id in a route's path
INT64 = 2**63 - 1
INT32 = 2**31 - 1
# Rows per page of a list: the services' own bound (crm_shared.paging.MAX_PAGE_SIZE), so a size they
# would not serve is refused here naming page_size instead of being cut short silently.
PageSize = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"rows per page, at most {MAX_PAGE_SIZE}; then next_page_token")
]
# The token a list answered with (crm_shared.paging keyset tokens), passed back as it came.
PageToken = Annotated[str, Query(max_length=MAX_TOKEN_LENGTH, description="next_page_token of the previous page")]
# Every integer the gateway puts in a protobuf field is bounded by that
# field's type here, so protobuf never refuses it inside the gateway.
Int32 = Annotated[StrictInt, Field(ge=-INT32 - 1, le=INT32)]
# Integers a double (protobuf Struct, double fields) holds exactly.
EXACT_IN_DOUBLE = 2**53
# StrictFloat takes integers too (3 -> 3.0), never strings or booleans.
Latitude = Annotated[StrictFloat, Field(ge=-90, le=90)]
Longitude = Annotated[StrictFloat, Field(ge=-180, le=180)]
# The range of google.protobuf.Timestamp: years 1 to 9999 in UTC.
_FIRST = datetime(1, 1, 1, tzinfo=UTC)
_LAST = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def _in_timestamp_range(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not _FIRST <= utc <= _LAST:
        raise ValueError("must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z")
    return value


Instant = Annotated[AwareDatetime, AfterValidator(_in_timestamp_range)]
# A value of a tenant's own lead field: a number, a text or a list of them (tags).
MAX_CUSTOM_TEXT = 2000
MAX_CUSTOM_ITEMS = 100


def _custom_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, int):
        return -EXACT_IN_DOUBLE <= value <= EXACT_IN_DOUBLE
    return math.isfinite(value)


def _custom_value(value: object) -> object:
    """One message per bad value (a union would name each member it tried)."""
    if value is None or isinstance(value, bool) or _custom_number(value):
        return value
    if isinstance(value, str):
        if len(value) > MAX_CUSTOM_TEXT:
            raise ValueError(f"is longer than {MAX_CUSTOM_TEXT} characters")
        return value
    if isinstance(value, list):
        if len(value) > MAX_CUSTOM_ITEMS:
            raise ValueError(f"has more than {MAX_CUSTOM_ITEMS} items")
        if all(_custom_number(item) or (isinstance(item, str) and len(item) <= 200) for item in value):
            return value
    raise ValueError(
        f"must be a number (at most 2^53 in size, finite), a text of at most {MAX_CUSTOM_TEXT} characters, "
        f"or a list of at most {MAX_CUSTOM_ITEMS} numbers or texts of at most 200 characters"
    )


_NUMBER_SCHEMA = {"type": "number", "minimum": -EXACT_IN_DOUBLE, "maximum": EXACT_IN_DOUBLE}
CustomValue = Annotated[
    object,
    AfterValidator(_custom_value),
    WithJsonSchema(
        {
            "anyOf": [
                _NUMBER_SCHEMA,
                {"type": "string", "maxLength": MAX_CUSTOM_TEXT},
                {"type": "boolean"},
                {
                    "type": "array",
                    "maxItems": MAX_CUSTOM_ITEMS,
                    "items": {"anyOf": [_NUMBER_SCHEMA, {"type": "string", "maxLength": 200}]},
                },
                {"type": "null"},
            ]
        }
    ),
]


class Body(BaseModel):
    # An unknown field is most often a typo the client would never notice;
    # NaN and Infinity (which Python's JSON parser accepts) are no numbers.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        BODY_NAMES.add(cls.__name__)


# Names of the request bodies: a response model of the same name is called <name>Reply (replies.py).
BODY_NAMES: set[str] = set()


class Money(Body):
    """Integer minor units (分 for CNY); never floats. At most
    crm_shared.money.MAX_AMOUNT_MINOR (10^15 分, 10 trillion 元), never negative."""

    amount_minor: Annotated[
        StrictInt,
        Field(ge=0, le=MAX_AMOUNT_MINOR, description="分 (minor units), 0 to 10^15 (10 trillion 元)"),
    ]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "CNY"


class IngestLead(Body):
    company_name: Text
    credit_code: Annotated[str, Field(max_length=32)] = ""
    contact_name: Text = ""
    phone: Annotated[str, Field(max_length=32)] = ""
    source: Text = ""
    province: Text = ""
    city: Text = ""
    district: Text = ""
    budget: Money | None = None
    # The address text; province/city/district are resolved from it.
    address: Annotated[str, Field(max_length=500)] = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    industry_tags: Annotated[list[Text], Field(max_length=50)] = []
    annual_revenue: Money | None = None
    purchases_6m: Money | None = None
    orders_3m: Int32 | None = None
    budget_attribution: Text = ""
    content_preference: Text = ""
    # The tenant's own lead fields (GET /v1/lead-fields): number, text or list of text.
    custom_fields: Annotated[
        dict[Annotated[str, Field(max_length=30)], CustomValue], Field(max_length=MAX_CUSTOM_FIELDS)
    ] = {}
    # Attribution of this intake, kept with its source and time on the lead (touches).
    channel: Annotated[str, Field(max_length=MAX_ATTRIBUTION)] = ""
    campaign: Annotated[str, Field(max_length=MAX_ATTRIBUTION)] = ""


class LoseLead(Body):
    reason: Annotated[str, Field(max_length=MAX_LEAD_REASON)]


class LeadField(Body):
    """A tenant's own lead field; type is number, text or tags."""

    type: Annotated[str, Field(max_length=10)]


class LeaveRange(Body):
    start_date: date
    end_date: date


class PutRep(Body):
    """A rep profile, whole (PUT replaces it). capacity and
    daily_claim_limit default to 30 and 5; a manager's reps get them as manager."""

    name: Text
    team: Text = ""
    manager_id: Id = ""
    region: Text = ""
    native_place: Text = ""
    languages: Annotated[list[Text], Field(max_length=20)] = []
    industries: Annotated[list[Text], Field(max_length=20)] = []
    seniority: Literal["junior", "senior", "key_account"] = "junior"
    capacity: Int32 | None = None
    daily_claim_limit: Int32 | None = None
    leave: Annotated[list[LeaveRange], Field(max_length=MAX_LEAVE_PERIODS)] = []
    active: bool = True


class ConvertLead(Body):
    opportunity_name: Text = ""
    expected_amount: Money | None = None


class CreateOpportunity(Body):
    customer_name: Text
    customer_credit_code: Annotated[str, Field(max_length=32)] = ""
    name: Text
    amount: Money | None = None
    owner_id: Id = ""


class TokenRequest(Body):
    username: Annotated[str, Field(max_length=64)]
    password: Annotated[str, Field(max_length=256)]
