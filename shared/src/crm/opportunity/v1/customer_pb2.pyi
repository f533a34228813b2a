import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Location(_message.Message):
    __slots__ = ("province", "city", "district", "address", "latitude", "longitude")
    PROVINCE_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    province: str
    city: str
    district: str
    address: str
    latitude: float
    longitude: float
    def __init__(self, province: _Optional[str] = ..., city: _Optional[str] = ..., district: _Optional[str] = ..., address: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ...) -> None: ...

class Customer(_message.Message):
    __slots__ = ("customer_id", "tenant_id", "name", "credit_code", "phone", "location", "industry", "size_tier", "cooperation_stage", "value_tier", "tags", "owner_id", "last_interaction_at", "purchase_total", "service_request_count", "next_follow_up_at", "follow_up_moves", "follow_up_flagged", "created_at", "updated_at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_FIELD_NUMBER: _ClassVar[int]
    SIZE_TIER_FIELD_NUMBER: _ClassVar[int]
    COOPERATION_STAGE_FIELD_NUMBER: _ClassVar[int]
    VALUE_TIER_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    LAST_INTERACTION_AT_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_TOTAL_FIELD_NUMBER: _ClassVar[int]
    SERVICE_REQUEST_COUNT_FIELD_NUMBER: _ClassVar[int]
    NEXT_FOLLOW_UP_AT_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_MOVES_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FLAGGED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    tenant_id: str
    name: str
    credit_code: str
    phone: str
    location: Location
    industry: str
    size_tier: str
    cooperation_stage: str
    value_tier: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    owner_id: str
    last_interaction_at: _timestamp_pb2.Timestamp
    purchase_total: _common_pb2.Money
    service_request_count: int
    next_follow_up_at: _timestamp_pb2.Timestamp
    follow_up_moves: int
    follow_up_flagged: bool
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., credit_code: _Optional[str] = ..., phone: _Optional[str] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., industry: _Optional[str] = ..., size_tier: _Optional[str] = ..., cooperation_stage: _Optional[str] = ..., value_tier: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., owner_id: _Optional[str] = ..., last_interaction_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., purchase_total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., service_request_count: _Optional[int] = ..., next_follow_up_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., follow_up_moves: _Optional[int] = ..., follow_up_flagged: bool = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateCustomerRequest(_message.Message):
    __slots__ = ("name", "credit_code", "phone", "location", "industry", "size_tier", "cooperation_stage", "value_tier", "tags", "owner_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_FIELD_NUMBER: _ClassVar[int]
    SIZE_TIER_FIELD_NUMBER: _ClassVar[int]
    COOPERATION_STAGE_FIELD_NUMBER: _ClassVar[int]
    VALUE_TIER_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    credit_code: str
    phone: str
    location: Location
    industry: str
    size_tier: str
    cooperation_stage: str
    value_tier: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    owner_id: str
    def __init__(self, name: _Optional[str] = ..., credit_code: _Optional[str] = ..., phone: _Optional[str] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., industry: _Optional[str] = ..., size_tier: _Optional[str] = ..., cooperation_stage: _Optional[str] = ..., value_tier: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., owner_id: _Optional[str] = ...) -> None: ...

class CreateCustomerResponse(_message.Message):
    __slots__ = ("customer",)
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ...) -> None: ...

class GetCustomerRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class GetCustomerResponse(_message.Message):
    __slots__ = ("customer",)
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ...) -> None: ...

class ListCustomersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "owner_id", "value_tier")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    VALUE_TIER_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    owner_id: str
    value_tier: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., owner_id: _Optional[str] = ..., value_tier: _Optional[str] = ...) -> None: ...

class ListCustomersResponse(_message.Message):
    __slots__ = ("customers", "next_page_token")
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    customers: _containers.RepeatedCompositeFieldContainer[Customer]
    next_page_token: str
    def __init__(self, customers: _Optional[_Iterable[_Union[Customer, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class FindCustomersRequest(_message.Message):
    __slots__ = ("credit_code", "phone", "city")
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    credit_code: str
    phone: str
    city: str
    def __init__(self, credit_code: _Optional[str] = ..., phone: _Optional[str] = ..., city: _Optional[str] = ...) -> None: ...

class CustomerCandidate(_message.Message):
    __slots__ = ("customer_id", "name", "credit_code", "phone", "city", "created_at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    name: str
    credit_code: str
    phone: str
    city: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., name: _Optional[str] = ..., credit_code: _Optional[str] = ..., phone: _Optional[str] = ..., city: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FindCustomersResponse(_message.Message):
    __slots__ = ("customers", "truncated")
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    customers: _containers.RepeatedCompositeFieldContainer[CustomerCandidate]
    truncated: bool
    def __init__(self, customers: _Optional[_Iterable[_Union[CustomerCandidate, _Mapping]]] = ..., truncated: bool = ...) -> None: ...

class UpdateCustomerRequest(_message.Message):
    __slots__ = ("customer_id", "name", "phone", "location", "industry", "size_tier", "cooperation_stage", "value_tier", "tags", "replace_tags", "credit_code", "clear_coordinates")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_FIELD_NUMBER: _ClassVar[int]
    SIZE_TIER_FIELD_NUMBER: _ClassVar[int]
    COOPERATION_STAGE_FIELD_NUMBER: _ClassVar[int]
    VALUE_TIER_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    REPLACE_TAGS_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    CLEAR_COORDINATES_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    name: str
    phone: str
    location: Location
    industry: str
    size_tier: str
    cooperation_stage: str
    value_tier: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    replace_tags: bool
    credit_code: str
    clear_coordinates: bool
    def __init__(self, customer_id: _Optional[str] = ..., name: _Optional[str] = ..., phone: _Optional[str] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., industry: _Optional[str] = ..., size_tier: _Optional[str] = ..., cooperation_stage: _Optional[str] = ..., value_tier: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., replace_tags: bool = ..., credit_code: _Optional[str] = ..., clear_coordinates: bool = ...) -> None: ...

class UpdateCustomerResponse(_message.Message):
    __slots__ = ("customer",)
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ...) -> None: ...

class ContactVersion(_message.Message):
    __slots__ = ("version", "name", "title", "phone", "email", "purchase_role", "influence", "personality", "changed_by", "changed_at")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_ROLE_FIELD_NUMBER: _ClassVar[int]
    INFLUENCE_FIELD_NUMBER: _ClassVar[int]
    PERSONALITY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    version: int
    name: str
    title: str
    phone: str
    email: str
    purchase_role: str
    influence: int
    personality: str
    changed_by: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, version: _Optional[int] = ..., name: _Optional[str] = ..., title: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., purchase_role: _Optional[str] = ..., influence: _Optional[int] = ..., personality: _Optional[str] = ..., changed_by: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Contact(_message.Message):
    __slots__ = ("contact_id", "customer_id", "name", "title", "phone", "email", "purchase_role", "influence", "personality", "version", "history")
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_ROLE_FIELD_NUMBER: _ClassVar[int]
    INFLUENCE_FIELD_NUMBER: _ClassVar[int]
    PERSONALITY_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    customer_id: str
    name: str
    title: str
    phone: str
    email: str
    purchase_role: str
    influence: int
    personality: str
    version: int
    history: _containers.RepeatedCompositeFieldContainer[ContactVersion]
    def __init__(self, contact_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., name: _Optional[str] = ..., title: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., purchase_role: _Optional[str] = ..., influence: _Optional[int] = ..., personality: _Optional[str] = ..., version: _Optional[int] = ..., history: _Optional[_Iterable[_Union[ContactVersion, _Mapping]]] = ...) -> None: ...

class AddContactRequest(_message.Message):
    __slots__ = ("customer_id", "name", "title", "phone", "email", "purchase_role", "influence", "personality")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_ROLE_FIELD_NUMBER: _ClassVar[int]
    INFLUENCE_FIELD_NUMBER: _ClassVar[int]
    PERSONALITY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    name: str
    title: str
    phone: str
    email: str
    purchase_role: str
    influence: int
    personality: str
    def __init__(self, customer_id: _Optional[str] = ..., name: _Optional[str] = ..., title: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., purchase_role: _Optional[str] = ..., influence: _Optional[int] = ..., personality: _Optional[str] = ...) -> None: ...

class AddContactResponse(_message.Message):
    __slots__ = ("contact",)
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    contact: Contact
    def __init__(self, contact: _Optional[_Union[Contact, _Mapping]] = ...) -> None: ...

class UpdateContactRequest(_message.Message):
    __slots__ = ("customer_id", "contact_id", "name", "title", "phone", "email", "purchase_role", "influence", "personality")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_ROLE_FIELD_NUMBER: _ClassVar[int]
    INFLUENCE_FIELD_NUMBER: _ClassVar[int]
    PERSONALITY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    contact_id: str
    name: str
    title: str
    phone: str
    email: str
    purchase_role: str
    influence: int
    personality: str
    def __init__(self, customer_id: _Optional[str] = ..., contact_id: _Optional[str] = ..., name: _Optional[str] = ..., title: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., purchase_role: _Optional[str] = ..., influence: _Optional[int] = ..., personality: _Optional[str] = ...) -> None: ...

class UpdateContactResponse(_message.Message):
    __slots__ = ("contact",)
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    contact: Contact
    def __init__(self, contact: _Optional[_Union[Contact, _Mapping]] = ...) -> None: ...

class ListContactsRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class ListContactsResponse(_message.Message):
    __slots__ = ("contacts",)
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    contacts: _containers.RepeatedCompositeFieldContainer[Contact]
    def __init__(self, contacts: _Optional[_Iterable[_Union[Contact, _Mapping]]] = ...) -> None: ...

class NoteVersion(_message.Message):
    __slots__ = ("version", "text", "edited_by", "edited_at")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    EDITED_BY_FIELD_NUMBER: _ClassVar[int]
    EDITED_AT_FIELD_NUMBER: _ClassVar[int]
    version: int
    text: str
    edited_by: str
    edited_at: _timestamp_pb2.Timestamp
    def __init__(self, version: _Optional[int] = ..., text: _Optional[str] = ..., edited_by: _Optional[str] = ..., edited_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Note(_message.Message):
    __slots__ = ("note_id", "customer_id", "author_id", "text", "version", "created_at", "updated_at", "history")
    NOTE_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    note_id: str
    customer_id: str
    author_id: str
    text: str
    version: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    history: _containers.RepeatedCompositeFieldContainer[NoteVersion]
    def __init__(self, note_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., author_id: _Optional[str] = ..., text: _Optional[str] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., history: _Optional[_Iterable[_Union[NoteVersion, _Mapping]]] = ...) -> None: ...

class AddNoteRequest(_message.Message):
    __slots__ = ("customer_id", "text")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    text: str
    def __init__(self, customer_id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class AddNoteResponse(_message.Message):
    __slots__ = ("note",)
    NOTE_FIELD_NUMBER: _ClassVar[int]
    note: Note
    def __init__(self, note: _Optional[_Union[Note, _Mapping]] = ...) -> None: ...

class EditNoteRequest(_message.Message):
    __slots__ = ("customer_id", "note_id", "text")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    note_id: str
    text: str
    def __init__(self, customer_id: _Optional[str] = ..., note_id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class EditNoteResponse(_message.Message):
    __slots__ = ("note",)
    NOTE_FIELD_NUMBER: _ClassVar[int]
    note: Note
    def __init__(self, note: _Optional[_Union[Note, _Mapping]] = ...) -> None: ...

class ListNotesRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class ListNotesResponse(_message.Message):
    __slots__ = ("notes",)
    NOTES_FIELD_NUMBER: _ClassVar[int]
    notes: _containers.RepeatedCompositeFieldContainer[Note]
    def __init__(self, notes: _Optional[_Iterable[_Union[Note, _Mapping]]] = ...) -> None: ...

class CheckIn(_message.Message):
    __slots__ = ("latitude", "longitude")
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    latitude: float
    longitude: float
    def __init__(self, latitude: _Optional[float] = ..., longitude: _Optional[float] = ...) -> None: ...

class EvidenceViolation(_message.Message):
    __slots__ = ("check", "description")
    CHECK_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    check: str
    description: str
    def __init__(self, check: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class Activity(_message.Message):
    __slots__ = ("activity_id", "customer_id", "opportunity_id", "lead_id", "kind", "actor_id", "occurred_at", "recorded_at", "state", "summary", "relation", "refers_to", "check_in_latitude", "check_in_longitude", "checked_in_at", "photo_id", "photo_sha256", "needs", "competitors", "next_follow_up_at", "violations", "seq", "prev_hash", "hash", "completed_by")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    REFERS_TO_FIELD_NUMBER: _ClassVar[int]
    CHECK_IN_LATITUDE_FIELD_NUMBER: _ClassVar[int]
    CHECK_IN_LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_AT_FIELD_NUMBER: _ClassVar[int]
    PHOTO_ID_FIELD_NUMBER: _ClassVar[int]
    PHOTO_SHA256_FIELD_NUMBER: _ClassVar[int]
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    COMPETITORS_FIELD_NUMBER: _ClassVar[int]
    NEXT_FOLLOW_UP_AT_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    PREV_HASH_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_BY_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    customer_id: str
    opportunity_id: str
    lead_id: str
    kind: str
    actor_id: str
    occurred_at: _timestamp_pb2.Timestamp
    recorded_at: _timestamp_pb2.Timestamp
    state: str
    summary: str
    relation: str
    refers_to: str
    check_in_latitude: float
    check_in_longitude: float
    checked_in_at: _timestamp_pb2.Timestamp
    photo_id: str
    photo_sha256: str
    needs: str
    competitors: str
    next_follow_up_at: _timestamp_pb2.Timestamp
    violations: _containers.RepeatedCompositeFieldContainer[EvidenceViolation]
    seq: int
    prev_hash: str
    hash: str
    completed_by: str
    def __init__(self, activity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., kind: _Optional[str] = ..., actor_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[str] = ..., summary: _Optional[str] = ..., relation: _Optional[str] = ..., refers_to: _Optional[str] = ..., check_in_latitude: _Optional[float] = ..., check_in_longitude: _Optional[float] = ..., checked_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., photo_id: _Optional[str] = ..., photo_sha256: _Optional[str] = ..., needs: _Optional[str] = ..., competitors: _Optional[str] = ..., next_follow_up_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., violations: _Optional[_Iterable[_Union[EvidenceViolation, _Mapping]]] = ..., seq: _Optional[int] = ..., prev_hash: _Optional[str] = ..., hash: _Optional[str] = ..., completed_by: _Optional[str] = ...) -> None: ...

class LogActivityRequest(_message.Message):
    __slots__ = ("customer_id", "opportunity_id", "kind", "occurred_at", "summary", "check_in", "photo", "photo_content_type", "needs", "competitors", "next_follow_up_at", "corrects_activity_id", "clear_follow_up", "duration_seconds")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    CHECK_IN_FIELD_NUMBER: _ClassVar[int]
    PHOTO_FIELD_NUMBER: _ClassVar[int]
    PHOTO_CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    COMPETITORS_FIELD_NUMBER: _ClassVar[int]
    NEXT_FOLLOW_UP_AT_FIELD_NUMBER: _ClassVar[int]
    CORRECTS_ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    opportunity_id: str
    kind: str
    occurred_at: _timestamp_pb2.Timestamp
    summary: str
    check_in: CheckIn
    photo: bytes
    photo_content_type: str
    needs: str
    competitors: str
    next_follow_up_at: _timestamp_pb2.Timestamp
    corrects_activity_id: str
    clear_follow_up: bool
    duration_seconds: int
    def __init__(self, customer_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., kind: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., summary: _Optional[str] = ..., check_in: _Optional[_Union[CheckIn, _Mapping]] = ..., photo: _Optional[bytes] = ..., photo_content_type: _Optional[str] = ..., needs: _Optional[str] = ..., competitors: _Optional[str] = ..., next_follow_up_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., corrects_activity_id: _Optional[str] = ..., clear_follow_up: bool = ..., duration_seconds: _Optional[int] = ...) -> None: ...

class LogActivityResponse(_message.Message):
    __slots__ = ("activity",)
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    activity: Activity
    def __init__(self, activity: _Optional[_Union[Activity, _Mapping]] = ...) -> None: ...

class SubmitActivityRequest(_message.Message):
    __slots__ = ("customer_id", "activity_id", "check_in", "photo", "photo_content_type", "needs", "competitors", "next_follow_up_at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    CHECK_IN_FIELD_NUMBER: _ClassVar[int]
    PHOTO_FIELD_NUMBER: _ClassVar[int]
    PHOTO_CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    COMPETITORS_FIELD_NUMBER: _ClassVar[int]
    NEXT_FOLLOW_UP_AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    activity_id: str
    check_in: CheckIn
    photo: bytes
    photo_content_type: str
    needs: str
    competitors: str
    next_follow_up_at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., activity_id: _Optional[str] = ..., check_in: _Optional[_Union[CheckIn, _Mapping]] = ..., photo: _Optional[bytes] = ..., photo_content_type: _Optional[str] = ..., needs: _Optional[str] = ..., competitors: _Optional[str] = ..., next_follow_up_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubmitActivityResponse(_message.Message):
    __slots__ = ("activity",)
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    activity: Activity
    def __init__(self, activity: _Optional[_Union[Activity, _Mapping]] = ...) -> None: ...

class ListActivitiesRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class ListActivitiesResponse(_message.Message):
    __slots__ = ("activities",)
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    activities: _containers.RepeatedCompositeFieldContainer[Activity]
    def __init__(self, activities: _Optional[_Iterable[_Union[Activity, _Mapping]]] = ...) -> None: ...

class ActivityDraft(_message.Message):
    __slots__ = ("activity", "customer_name", "rep_name")
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    REP_NAME_FIELD_NUMBER: _ClassVar[int]
    activity: Activity
    customer_name: str
    rep_name: str
    def __init__(self, activity: _Optional[_Union[Activity, _Mapping]] = ..., customer_name: _Optional[str] = ..., rep_name: _Optional[str] = ...) -> None: ...

class ListActivityDraftsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListActivityDraftsResponse(_message.Message):
    __slots__ = ("drafts", "next_page_token")
    DRAFTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    drafts: _containers.RepeatedCompositeFieldContainer[ActivityDraft]
    next_page_token: str
    def __init__(self, drafts: _Optional[_Iterable[_Union[ActivityDraft, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetActivityPhotoRequest(_message.Message):
    __slots__ = ("customer_id", "photo_id")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PHOTO_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    photo_id: str
    def __init__(self, customer_id: _Optional[str] = ..., photo_id: _Optional[str] = ...) -> None: ...

class GetActivityPhotoResponse(_message.Message):
    __slots__ = ("photo_id", "sha256", "content_type", "content", "taken_at")
    PHOTO_ID_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    TAKEN_AT_FIELD_NUMBER: _ClassVar[int]
    photo_id: str
    sha256: str
    content_type: str
    content: bytes
    taken_at: _timestamp_pb2.Timestamp
    def __init__(self, photo_id: _Optional[str] = ..., sha256: _Optional[str] = ..., content_type: _Optional[str] = ..., content: _Optional[bytes] = ..., taken_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class VerifyActivityChainRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class VerifyActivityChainResponse(_message.Message):
    __slots__ = ("intact", "entries", "first_broken_activity_id", "first_broken_seq", "reason")
    INTACT_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    FIRST_BROKEN_ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_BROKEN_SEQ_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    intact: bool
    entries: int
    first_broken_activity_id: str
    first_broken_seq: int
    reason: str
    def __init__(self, intact: bool = ..., entries: _Optional[int] = ..., first_broken_activity_id: _Optional[str] = ..., first_broken_seq: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class RescheduleFollowUpRequest(_message.Message):
    __slots__ = ("customer_id", "next_follow_up_at", "reason")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    NEXT_FOLLOW_UP_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    next_follow_up_at: _timestamp_pb2.Timestamp
    reason: str
    def __init__(self, customer_id: _Optional[str] = ..., next_follow_up_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class RescheduleFollowUpResponse(_message.Message):
    __slots__ = ("customer",)
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ...) -> None: ...

class ReassignCustomerRequest(_message.Message):
    __slots__ = ("customer_id", "to_owner_id")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    to_owner_id: str
    def __init__(self, customer_id: _Optional[str] = ..., to_owner_id: _Optional[str] = ...) -> None: ...

class Moved(_message.Message):
    __slots__ = ("customers", "opportunities", "open_tasks", "notes", "contacts", "activities")
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITIES_FIELD_NUMBER: _ClassVar[int]
    OPEN_TASKS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    customers: int
    opportunities: int
    open_tasks: int
    notes: int
    contacts: int
    activities: int
    def __init__(self, customers: _Optional[int] = ..., opportunities: _Optional[int] = ..., open_tasks: _Optional[int] = ..., notes: _Optional[int] = ..., contacts: _Optional[int] = ..., activities: _Optional[int] = ...) -> None: ...

class ReassignCustomerResponse(_message.Message):
    __slots__ = ("customer", "moved")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    MOVED_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    moved: Moved
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ..., moved: _Optional[_Union[Moved, _Mapping]] = ...) -> None: ...

class HandOverRepRequest(_message.Message):
    __slots__ = ("from_owner_id", "to_owner_id")
    FROM_OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    from_owner_id: str
    to_owner_id: str
    def __init__(self, from_owner_id: _Optional[str] = ..., to_owner_id: _Optional[str] = ...) -> None: ...

class HandOverRepResponse(_message.Message):
    __slots__ = ("customer_ids", "moved")
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    MOVED_FIELD_NUMBER: _ClassVar[int]
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    moved: Moved
    def __init__(self, customer_ids: _Optional[_Iterable[str]] = ..., moved: _Optional[_Union[Moved, _Mapping]] = ...) -> None: ...
