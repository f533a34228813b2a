import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Lead(_message.Message):
    __slots__ = ("lead_id", "tenant_id", "company_name", "credit_code", "contact_name", "phone", "source", "province", "city", "district", "budget", "status", "owner_id", "created_at", "opportunity_name", "address", "latitude", "longitude", "industry_tags", "annual_revenue", "purchases_6m", "orders_3m", "budget_attribution", "content_preference", "custom_fields", "adcode", "division", "lost_reason", "closed_at", "touches", "sources", "coordinates_source", "coordinates_approximate", "partner_protected", "partner_org_id", "partner_name", "registration_id", "protected_until")
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
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_TAGS_FIELD_NUMBER: _ClassVar[int]
    ANNUAL_REVENUE_FIELD_NUMBER: _ClassVar[int]
    PURCHASES_6M_FIELD_NUMBER: _ClassVar[int]
    ORDERS_3M_FIELD_NUMBER: _ClassVar[int]
    BUDGET_ATTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    CONTENT_PREFERENCE_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ADCODE_FIELD_NUMBER: _ClassVar[int]
    DIVISION_FIELD_NUMBER: _ClassVar[int]
    LOST_REASON_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    TOUCHES_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    COORDINATES_SOURCE_FIELD_NUMBER: _ClassVar[int]
    COORDINATES_APPROXIMATE_FIELD_NUMBER: _ClassVar[int]
    PARTNER_PROTECTED_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_NAME_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    PROTECTED_UNTIL_FIELD_NUMBER: _ClassVar[int]
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
    address: str
    latitude: float
    longitude: float
    industry_tags: _containers.RepeatedScalarFieldContainer[str]
    annual_revenue: _common_pb2.Money
    purchases_6m: _common_pb2.Money
    orders_3m: int
    budget_attribution: str
    content_preference: str
    custom_fields: _struct_pb2.Struct
    adcode: str
    division: str
    lost_reason: str
    closed_at: _timestamp_pb2.Timestamp
    touches: _containers.RepeatedCompositeFieldContainer[LeadTouch]
    sources: _containers.RepeatedScalarFieldContainer[str]
    coordinates_source: str
    coordinates_approximate: bool
    partner_protected: bool
    partner_org_id: str
    partner_name: str
    registration_id: str
    protected_until: _timestamp_pb2.Timestamp
    def __init__(self, lead_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., company_name: _Optional[str] = ..., credit_code: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone: _Optional[str] = ..., source: _Optional[str] = ..., province: _Optional[str] = ..., city: _Optional[str] = ..., district: _Optional[str] = ..., budget: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., status: _Optional[str] = ..., owner_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., opportunity_name: _Optional[str] = ..., address: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., industry_tags: _Optional[_Iterable[str]] = ..., annual_revenue: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., purchases_6m: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., orders_3m: _Optional[int] = ..., budget_attribution: _Optional[str] = ..., content_preference: _Optional[str] = ..., custom_fields: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., adcode: _Optional[str] = ..., division: _Optional[str] = ..., lost_reason: _Optional[str] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., touches: _Optional[_Iterable[_Union[LeadTouch, _Mapping]]] = ..., sources: _Optional[_Iterable[str]] = ..., coordinates_source: _Optional[str] = ..., coordinates_approximate: bool = ..., partner_protected: bool = ..., partner_org_id: _Optional[str] = ..., partner_name: _Optional[str] = ..., registration_id: _Optional[str] = ..., protected_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LeadTouch(_message.Message):
    __slots__ = ("source", "channel", "campaign", "at", "created_by", "contact_name", "phone")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    source: str
    channel: str
    campaign: str
    at: _timestamp_pb2.Timestamp
    created_by: str
    contact_name: str
    phone: str
    def __init__(self, source: _Optional[str] = ..., channel: _Optional[str] = ..., campaign: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone: _Optional[str] = ...) -> None: ...

class IngestLeadRequest(_message.Message):
    __slots__ = ("company_name", "credit_code", "contact_name", "phone", "source", "province", "city", "district", "budget", "address", "latitude", "longitude", "industry_tags", "annual_revenue", "purchases_6m", "orders_3m", "budget_attribution", "content_preference", "custom_fields", "channel", "campaign")
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_TAGS_FIELD_NUMBER: _ClassVar[int]
    ANNUAL_REVENUE_FIELD_NUMBER: _ClassVar[int]
    PURCHASES_6M_FIELD_NUMBER: _ClassVar[int]
    ORDERS_3M_FIELD_NUMBER: _ClassVar[int]
    BUDGET_ATTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    CONTENT_PREFERENCE_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELDS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    company_name: str
    credit_code: str
    contact_name: str
    phone: str
    source: str
    province: str
    city: str
    district: str
    budget: _common_pb2.Money
    address: str
    latitude: float
    longitude: float
    industry_tags: _containers.RepeatedScalarFieldContainer[str]
    annual_revenue: _common_pb2.Money
    purchases_6m: _common_pb2.Money
    orders_3m: int
    budget_attribution: str
    content_preference: str
    custom_fields: _struct_pb2.Struct
    channel: str
    campaign: str
    def __init__(self, company_name: _Optional[str] = ..., credit_code: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone: _Optional[str] = ..., source: _Optional[str] = ..., province: _Optional[str] = ..., city: _Optional[str] = ..., district: _Optional[str] = ..., budget: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., address: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., industry_tags: _Optional[_Iterable[str]] = ..., annual_revenue: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., purchases_6m: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., orders_3m: _Optional[int] = ..., budget_attribution: _Optional[str] = ..., content_preference: _Optional[str] = ..., custom_fields: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., channel: _Optional[str] = ..., campaign: _Optional[str] = ...) -> None: ...

class DuplicateMatch(_message.Message):
    __slots__ = ("matched_lead_id", "matched_by", "merged", "sources")
    MATCHED_LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MATCHED_BY_FIELD_NUMBER: _ClassVar[int]
    MERGED_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    matched_lead_id: str
    matched_by: str
    merged: bool
    sources: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, matched_lead_id: _Optional[str] = ..., matched_by: _Optional[str] = ..., merged: bool = ..., sources: _Optional[_Iterable[str]] = ...) -> None: ...

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

class LoseLeadRequest(_message.Message):
    __slots__ = ("lead_id", "reason")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    reason: str
    def __init__(self, lead_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class LoseLeadResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ...) -> None: ...

class ImportLeadsRequest(_message.Message):
    __slots__ = ("filename", "content")
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    filename: str
    content: bytes
    def __init__(self, filename: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class ImportFieldError(_message.Message):
    __slots__ = ("column", "description")
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    column: str
    description: str
    def __init__(self, column: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class ImportRow(_message.Message):
    __slots__ = ("row", "outcome", "lead_id", "duplicate", "errors", "company_name")
    ROW_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    row: int
    outcome: str
    lead_id: str
    duplicate: DuplicateMatch
    errors: _containers.RepeatedCompositeFieldContainer[ImportFieldError]
    company_name: str
    def __init__(self, row: _Optional[int] = ..., outcome: _Optional[str] = ..., lead_id: _Optional[str] = ..., duplicate: _Optional[_Union[DuplicateMatch, _Mapping]] = ..., errors: _Optional[_Iterable[_Union[ImportFieldError, _Mapping]]] = ..., company_name: _Optional[str] = ...) -> None: ...

class ImportLeadsResponse(_message.Message):
    __slots__ = ("import_id", "total", "accepted", "merged", "rejected", "rows")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    MERGED_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    total: int
    accepted: int
    merged: int
    rejected: int
    rows: _containers.RepeatedCompositeFieldContainer[ImportRow]
    def __init__(self, import_id: _Optional[str] = ..., total: _Optional[int] = ..., accepted: _Optional[int] = ..., merged: _Optional[int] = ..., rejected: _Optional[int] = ..., rows: _Optional[_Iterable[_Union[ImportRow, _Mapping]]] = ...) -> None: ...

class LeadField(_message.Message):
    __slots__ = ("name", "type")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: str
    def __init__(self, name: _Optional[str] = ..., type: _Optional[str] = ...) -> None: ...

class DefineLeadFieldRequest(_message.Message):
    __slots__ = ("field",)
    FIELD_FIELD_NUMBER: _ClassVar[int]
    field: LeadField
    def __init__(self, field: _Optional[_Union[LeadField, _Mapping]] = ...) -> None: ...

class DefineLeadFieldResponse(_message.Message):
    __slots__ = ("field",)
    FIELD_FIELD_NUMBER: _ClassVar[int]
    field: LeadField
    def __init__(self, field: _Optional[_Union[LeadField, _Mapping]] = ...) -> None: ...

class ListLeadFieldsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListLeadFieldsResponse(_message.Message):
    __slots__ = ("fields",)
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedCompositeFieldContainer[LeadField]
    def __init__(self, fields: _Optional[_Iterable[_Union[LeadField, _Mapping]]] = ...) -> None: ...

class LeaveRange(_message.Message):
    __slots__ = ("start_date", "end_date")
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    start_date: str
    end_date: str
    def __init__(self, start_date: _Optional[str] = ..., end_date: _Optional[str] = ...) -> None: ...

class SegmentConversion(_message.Message):
    __slots__ = ("kind", "segment", "converted", "lost", "rate")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_FIELD_NUMBER: _ClassVar[int]
    LOST_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    kind: str
    segment: str
    converted: int
    lost: int
    rate: float
    def __init__(self, kind: _Optional[str] = ..., segment: _Optional[str] = ..., converted: _Optional[int] = ..., lost: _Optional[int] = ..., rate: _Optional[float] = ...) -> None: ...

class Rep(_message.Message):
    __slots__ = ("rep_id", "name", "team", "manager_id", "region", "native_place", "languages", "industries", "seniority", "capacity", "daily_claim_limit", "leave", "active", "available_today", "open_leads", "conversion_rate", "converted", "lost", "conversion_rates", "updated_by", "updated_at")
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    NATIVE_PLACE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    INDUSTRIES_FIELD_NUMBER: _ClassVar[int]
    SENIORITY_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    DAILY_CLAIM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    LEAVE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_TODAY_FIELD_NUMBER: _ClassVar[int]
    OPEN_LEADS_FIELD_NUMBER: _ClassVar[int]
    CONVERSION_RATE_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_FIELD_NUMBER: _ClassVar[int]
    LOST_FIELD_NUMBER: _ClassVar[int]
    CONVERSION_RATES_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    rep_id: str
    name: str
    team: str
    manager_id: str
    region: str
    native_place: str
    languages: _containers.RepeatedScalarFieldContainer[str]
    industries: _containers.RepeatedScalarFieldContainer[str]
    seniority: str
    capacity: int
    daily_claim_limit: int
    leave: _containers.RepeatedCompositeFieldContainer[LeaveRange]
    active: bool
    available_today: bool
    open_leads: int
    conversion_rate: float
    converted: int
    lost: int
    conversion_rates: _containers.RepeatedCompositeFieldContainer[SegmentConversion]
    updated_by: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, rep_id: _Optional[str] = ..., name: _Optional[str] = ..., team: _Optional[str] = ..., manager_id: _Optional[str] = ..., region: _Optional[str] = ..., native_place: _Optional[str] = ..., languages: _Optional[_Iterable[str]] = ..., industries: _Optional[_Iterable[str]] = ..., seniority: _Optional[str] = ..., capacity: _Optional[int] = ..., daily_claim_limit: _Optional[int] = ..., leave: _Optional[_Iterable[_Union[LeaveRange, _Mapping]]] = ..., active: bool = ..., available_today: bool = ..., open_leads: _Optional[int] = ..., conversion_rate: _Optional[float] = ..., converted: _Optional[int] = ..., lost: _Optional[int] = ..., conversion_rates: _Optional[_Iterable[_Union[SegmentConversion, _Mapping]]] = ..., updated_by: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PutRepRequest(_message.Message):
    __slots__ = ("rep_id", "name", "team", "manager_id", "region", "native_place", "languages", "industries", "seniority", "capacity", "daily_claim_limit", "leave", "active")
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    NATIVE_PLACE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    INDUSTRIES_FIELD_NUMBER: _ClassVar[int]
    SENIORITY_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    DAILY_CLAIM_LIMIT_FIELD_NUMBER: _ClassVar[int]
    LEAVE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    rep_id: str
    name: str
    team: str
    manager_id: str
    region: str
    native_place: str
    languages: _containers.RepeatedScalarFieldContainer[str]
    industries: _containers.RepeatedScalarFieldContainer[str]
    seniority: str
    capacity: int
    daily_claim_limit: int
    leave: _containers.RepeatedCompositeFieldContainer[LeaveRange]
    active: bool
    def __init__(self, rep_id: _Optional[str] = ..., name: _Optional[str] = ..., team: _Optional[str] = ..., manager_id: _Optional[str] = ..., region: _Optional[str] = ..., native_place: _Optional[str] = ..., languages: _Optional[_Iterable[str]] = ..., industries: _Optional[_Iterable[str]] = ..., seniority: _Optional[str] = ..., capacity: _Optional[int] = ..., daily_claim_limit: _Optional[int] = ..., leave: _Optional[_Iterable[_Union[LeaveRange, _Mapping]]] = ..., active: bool = ...) -> None: ...

class PutRepResponse(_message.Message):
    __slots__ = ("rep", "created")
    REP_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    rep: Rep
    created: bool
    def __init__(self, rep: _Optional[_Union[Rep, _Mapping]] = ..., created: bool = ...) -> None: ...

class GetRepRequest(_message.Message):
    __slots__ = ("rep_id",)
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    rep_id: str
    def __init__(self, rep_id: _Optional[str] = ...) -> None: ...

class GetRepResponse(_message.Message):
    __slots__ = ("rep",)
    REP_FIELD_NUMBER: _ClassVar[int]
    rep: Rep
    def __init__(self, rep: _Optional[_Union[Rep, _Mapping]] = ...) -> None: ...

class ListRepsRequest(_message.Message):
    __slots__ = ("team",)
    TEAM_FIELD_NUMBER: _ClassVar[int]
    team: str
    def __init__(self, team: _Optional[str] = ...) -> None: ...

class ListRepsResponse(_message.Message):
    __slots__ = ("reps",)
    REPS_FIELD_NUMBER: _ClassVar[int]
    reps: _containers.RepeatedCompositeFieldContainer[Rep]
    def __init__(self, reps: _Optional[_Iterable[_Union[Rep, _Mapping]]] = ...) -> None: ...
