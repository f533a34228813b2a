import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Lead(_message.Message):
    __slots__ = ("lead_id", "tenant_id", "company_name", "credit_code", "contact_name", "phone", "source", "province", "city", "district", "budget", "status", "owner_id", "created_at", "opportunity_name")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_NAME_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    tenant_id: str
    company_name: str
    credit_code: str
    contact_name: str
    phone: str
    source: str
    province: str
    city: str
    district: str
    budget: _common_pb2.Money
    status: str
    owner_id: str
    created_at: _timestamp_pb2.Timestamp
    opportunity_name: str
    def __init__(self, lead_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., company_name: _Optional[str] = ..., credit_code: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone: _Optional[str] = ..., source: _Optional[str] = ..., province: _Optional[str] = ..., city: _Optional[str] = ..., district: _Optional[str] = ..., budget: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., status: _Optional[str] = ..., owner_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., opportunity_name: _Optional[str] = ...) -> None: ...

class IngestLeadRequest(_message.Message):
    __slots__ = ("company_name", "credit_code", "contact_name", "phone", "source", "province", "city", "district", "budget")
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    company_name: str
    credit_code: str
    contact_name: str
    phone: str
    source: str
    province: str
    city: str
    district: str
    budget: _common_pb2.Money
    def __init__(self, company_name: _Optional[str] = ..., credit_code: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone: _Optional[str] = ..., source: _Optional[str] = ..., province: _Optional[str] = ..., city: _Optional[str] = ..., district: _Optional[str] = ..., budget: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class DuplicateMatch(_message.Message):
    __slots__ = ("matched_lead_id", "matched_by", "merged")
    MATCHED_LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MATCHED_BY_FIELD_NUMBER: _ClassVar[int]
    MERGED_FIELD_NUMBER: _ClassVar[int]
    matched_lead_id: str
    matched_by: str
    merged: bool
    def __init__(self, matched_lead_id: _Optional[str] = ..., matched_by: _Optional[str] = ..., merged: _Optional[bool] = ...) -> None: ...

class IngestLeadResponse(_message.Message):
    __slots__ = ("lead", "duplicate")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    duplicate: DuplicateMatch
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ..., duplicate: _Optional[_Union[DuplicateMatch, _Mapping]] = ...) -> None: ...

class GetLeadRequest(_message.Message):
    __slots__ = ("lead_id",)
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    def __init__(self, lead_id: _Optional[str] = ...) -> None: ...

class GetLeadResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ...) -> None: ...

class ListLeadsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "status")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    status: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class ListLeadsResponse(_message.Message):
    __slots__ = ("leads", "next_page_token")
    LEADS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    leads: _containers.RepeatedCompositeFieldContainer[Lead]
    next_page_token: str
    def __init__(self, leads: _Optional[_Iterable[_Union[Lead, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ConvertLeadRequest(_message.Message):
    __slots__ = ("lead_id", "opportunity_name", "expected_amount")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    opportunity_name: str
    expected_amount: _common_pb2.Money
    def __init__(self, lead_id: _Optional[str] = ..., opportunity_name: _Optional[str] = ..., expected_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class ConvertLeadResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ...) -> None: ...
