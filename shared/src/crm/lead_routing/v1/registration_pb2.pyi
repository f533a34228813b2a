import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RegistrationInput(_message.Message):
    __slots__ = ("company_name", "credit_code", "phone", "province", "city", "district", "industry", "contact_name", "contact_phone", "product_line", "models", "quantity", "expected_amount", "expected_close_date")
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_PHONE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    company_name: str
    credit_code: str
    phone: str
    province: str
    city: str
    district: str
    industry: str
    contact_name: str
    contact_phone: str
    product_line: str
    models: _containers.RepeatedScalarFieldContainer[str]
    quantity: int
    expected_amount: _common_pb2.Money
    expected_close_date: str
    def __init__(self, company_name: _Optional[str] = ..., credit_code: _Optional[str] = ..., phone: _Optional[str] = ..., province: _Optional[str] = ..., city: _Optional[str] = ..., district: _Optional[str] = ..., industry: _Optional[str] = ..., contact_name: _Optional[str] = ..., contact_phone: _Optional[str] = ..., product_line: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., quantity: _Optional[int] = ..., expected_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., expected_close_date: _Optional[str] = ...) -> None: ...

class RegistrationConflict(_message.Message):
    __slots__ = ("kind", "matched_by", "object_id", "detail")
    KIND_FIELD_NUMBER: _ClassVar[int]
    MATCHED_BY_FIELD_NUMBER: _ClassVar[int]
    OBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    kind: str
    matched_by: str
    object_id: str
    detail: str
    def __init__(self, kind: _Optional[str] = ..., matched_by: _Optional[str] = ..., object_id: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class Registration(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "distributor_name", "registered_by", "customer", "status", "outcome", "conflicts", "approval_id", "decision", "decision_comment", "lead_id", "protected_from", "protected_until", "extensions", "created_at", "updated_at", "version")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_NAME_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    DECISION_COMMENT_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PROTECTED_FROM_FIELD_NUMBER: _ClassVar[int]
    PROTECTED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    distributor_name: str
    registered_by: str
    customer: RegistrationInput
    status: str
    outcome: str
    conflicts: _containers.RepeatedCompositeFieldContainer[RegistrationConflict]
    approval_id: str
    decision: str
    decision_comment: str
    lead_id: str
    protected_from: _timestamp_pb2.Timestamp
    protected_until: _timestamp_pb2.Timestamp
    extensions: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., distributor_name: _Optional[str] = ..., registered_by: _Optional[str] = ..., customer: _Optional[_Union[RegistrationInput, _Mapping]] = ..., status: _Optional[str] = ..., outcome: _Optional[str] = ..., conflicts: _Optional[_Iterable[_Union[RegistrationConflict, _Mapping]]] = ..., approval_id: _Optional[str] = ..., decision: _Optional[str] = ..., decision_comment: _Optional[str] = ..., lead_id: _Optional[str] = ..., protected_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., protected_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., extensions: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class SubmitRegistrationRequest(_message.Message):
    __slots__ = ("customer",)
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer: RegistrationInput
    def __init__(self, customer: _Optional[_Union[RegistrationInput, _Mapping]] = ...) -> None: ...

class SubmitRegistrationResponse(_message.Message):
    __slots__ = ("registration",)
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    registration: Registration
    def __init__(self, registration: _Optional[_Union[Registration, _Mapping]] = ...) -> None: ...

class GetRegistrationRequest(_message.Message):
    __slots__ = ("registration_id",)
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    def __init__(self, registration_id: _Optional[str] = ...) -> None: ...

class GetRegistrationResponse(_message.Message):
    __slots__ = ("registration",)
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    registration: Registration
    def __init__(self, registration: _Optional[_Union[Registration, _Mapping]] = ...) -> None: ...

class ListRegistrationsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "status", "distributor_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    status: str
    distributor_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[str] = ..., distributor_id: _Optional[str] = ...) -> None: ...

class ListRegistrationsResponse(_message.Message):
    __slots__ = ("registrations", "next_page_token")
    REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    registrations: _containers.RepeatedCompositeFieldContainer[Registration]
    next_page_token: str
    def __init__(self, registrations: _Optional[_Iterable[_Union[Registration, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Clash(_message.Message):
    __slots__ = ("clash_id", "first", "second", "matched_by", "status", "winner_registration_id", "decided_by", "decided_at", "comment", "created_at", "version")
    CLASH_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    SECOND_FIELD_NUMBER: _ClassVar[int]
    MATCHED_BY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WINNER_REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    clash_id: str
    first: Registration
    second: Registration
    matched_by: str
    status: str
    winner_registration_id: str
    decided_by: str
    decided_at: _timestamp_pb2.Timestamp
    comment: str
    created_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, clash_id: _Optional[str] = ..., first: _Optional[_Union[Registration, _Mapping]] = ..., second: _Optional[_Union[Registration, _Mapping]] = ..., matched_by: _Optional[str] = ..., status: _Optional[str] = ..., winner_registration_id: _Optional[str] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., comment: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class ListClashesRequest(_message.Message):
    __slots__ = ("status", "page_size")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    status: str
    page_size: int
    def __init__(self, status: _Optional[str] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListClashesResponse(_message.Message):
    __slots__ = ("clashes",)
    CLASHES_FIELD_NUMBER: _ClassVar[int]
    clashes: _containers.RepeatedCompositeFieldContainer[Clash]
    def __init__(self, clashes: _Optional[_Iterable[_Union[Clash, _Mapping]]] = ...) -> None: ...

class GetClashRequest(_message.Message):
    __slots__ = ("clash_id",)
    CLASH_ID_FIELD_NUMBER: _ClassVar[int]
    clash_id: str
    def __init__(self, clash_id: _Optional[str] = ...) -> None: ...

class GetClashResponse(_message.Message):
    __slots__ = ("clash",)
    CLASH_FIELD_NUMBER: _ClassVar[int]
    clash: Clash
    def __init__(self, clash: _Optional[_Union[Clash, _Mapping]] = ...) -> None: ...

class DecideClashRequest(_message.Message):
    __slots__ = ("clash_id", "winner_registration_id", "comment")
    CLASH_ID_FIELD_NUMBER: _ClassVar[int]
    WINNER_REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    clash_id: str
    winner_registration_id: str
    comment: str
    def __init__(self, clash_id: _Optional[str] = ..., winner_registration_id: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class DecideClashResponse(_message.Message):
    __slots__ = ("clash",)
    CLASH_FIELD_NUMBER: _ClassVar[int]
    clash: Clash
    def __init__(self, clash: _Optional[_Union[Clash, _Mapping]] = ...) -> None: ...

class RegistrationTerms(_message.Message):
    __slots__ = ("check_window_days", "updated_by", "updated_at")
    CHECK_WINDOW_DAYS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    check_window_days: int
    updated_by: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, check_window_days: _Optional[int] = ..., updated_by: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetRegistrationTermsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetRegistrationTermsResponse(_message.Message):
    __slots__ = ("terms",)
    TERMS_FIELD_NUMBER: _ClassVar[int]
    terms: RegistrationTerms
    def __init__(self, terms: _Optional[_Union[RegistrationTerms, _Mapping]] = ...) -> None: ...

class SetRegistrationTermsRequest(_message.Message):
    __slots__ = ("check_window_days",)
    CHECK_WINDOW_DAYS_FIELD_NUMBER: _ClassVar[int]
    check_window_days: int
    def __init__(self, check_window_days: _Optional[int] = ...) -> None: ...

class SetRegistrationTermsResponse(_message.Message):
    __slots__ = ("terms",)
    TERMS_FIELD_NUMBER: _ClassVar[int]
    terms: RegistrationTerms
    def __init__(self, terms: _Optional[_Union[RegistrationTerms, _Mapping]] = ...) -> None: ...
