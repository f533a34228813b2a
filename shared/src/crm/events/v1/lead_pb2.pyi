from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LeadCreated(_message.Message):
    __slots__ = ("lead_id", "company_name", "credit_code", "phone", "source", "owner_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    company_name: str
    credit_code: str
    phone: str
    source: str
    owner_id: str
    def __init__(self, lead_id: _Optional[str] = ..., company_name: _Optional[str] = ..., credit_code: _Optional[str] = ..., phone: _Optional[str] = ..., source: _Optional[str] = ..., owner_id: _Optional[str] = ...) -> None: ...

class LeadConverted(_message.Message):
    __slots__ = ("lead_id", "company_name", "credit_code", "contact_name", "phone", "province", "city", "district", "owner_id", "opportunity_name", "expected_amount", "source", "address", "latitude", "longitude", "industry_tags", "sources", "coordinates_approximate", "partner_org_id", "registration_id", "partner_name")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_TAGS_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    COORDINATES_APPROXIMATE_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_NAME_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    company_name: str
    credit_code: str
    contact_name: str
    phone: str
    province: str
    city: str
    district: str
    owner_id: str
    opportunity_name: str
    expected_amount: _common_pb2.Money
    source: str
    address: str
    latitude: float
    longitude: float
    industry_tags: _containers.RepeatedScalarFieldContainer[str]
    sources: _containers.RepeatedScalarFieldContainer[str]
    coordinates_approximate: bool
    partner_org_id: str
    registration_id: str
    partner_name: str
    def __init__(self, lead_id: _Optional[str] = ..., company_name: _Optional[str] = ..., credit_code: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone: _Optional[str] = ..., province: _Optional[str] = ..., city: _Optional[str] = ..., district: _Optional[str] = ..., owner_id: _Optional[str] = ..., opportunity_name: _Optional[str] = ..., expected_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., source: _Optional[str] = ..., address: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., industry_tags: _Optional[_Iterable[str]] = ..., sources: _Optional[_Iterable[str]] = ..., coordinates_approximate: bool = ..., partner_org_id: _Optional[str] = ..., registration_id: _Optional[str] = ..., partner_name: _Optional[str] = ...) -> None: ...

class LeadMerged(_message.Message):
    __slots__ = ("lead_id", "matched_by", "source", "sources", "channel", "campaign")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MATCHED_BY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    matched_by: str
    source: str
    sources: _containers.RepeatedScalarFieldContainer[str]
    channel: str
    campaign: str
    def __init__(self, lead_id: _Optional[str] = ..., matched_by: _Optional[str] = ..., source: _Optional[str] = ..., sources: _Optional[_Iterable[str]] = ..., channel: _Optional[str] = ..., campaign: _Optional[str] = ...) -> None: ...

class LeadAssigned(_message.Message):
    __slots__ = ("lead_id", "rep_id", "mode", "actor_id", "route_id", "score", "first_touch_due", "company_name")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    FIRST_TOUCH_DUE_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    rep_id: str
    mode: str
    actor_id: str
    route_id: str
    score: float
    first_touch_due: str
    company_name: str
    def __init__(self, lead_id: _Optional[str] = ..., rep_id: _Optional[str] = ..., mode: _Optional[str] = ..., actor_id: _Optional[str] = ..., route_id: _Optional[str] = ..., score: _Optional[float] = ..., first_touch_due: _Optional[str] = ..., company_name: _Optional[str] = ...) -> None: ...

class LeadReleased(_message.Message):
    __slots__ = ("lead_id", "rep_id", "actor_id", "reason")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    rep_id: str
    actor_id: str
    reason: str
    def __init__(self, lead_id: _Optional[str] = ..., rep_id: _Optional[str] = ..., actor_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class LeadReclaimed(_message.Message):
    __slots__ = ("lead_id", "rep_id", "route_id", "deadline", "cooldown_until")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    COOLDOWN_UNTIL_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    rep_id: str
    route_id: str
    deadline: str
    cooldown_until: str
    def __init__(self, lead_id: _Optional[str] = ..., rep_id: _Optional[str] = ..., route_id: _Optional[str] = ..., deadline: _Optional[str] = ..., cooldown_until: _Optional[str] = ...) -> None: ...

class LeadLost(_message.Message):
    __slots__ = ("lead_id", "owner_id", "reason", "source", "industry_tags", "actor_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_TAGS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    owner_id: str
    reason: str
    source: str
    industry_tags: _containers.RepeatedScalarFieldContainer[str]
    actor_id: str
    def __init__(self, lead_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., reason: _Optional[str] = ..., source: _Optional[str] = ..., industry_tags: _Optional[_Iterable[str]] = ..., actor_id: _Optional[str] = ...) -> None: ...
