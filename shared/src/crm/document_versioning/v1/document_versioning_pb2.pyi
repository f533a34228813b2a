import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Instalment(_message.Message):
    __slots__ = ("name", "trigger", "days", "percent_bp", "amount_minor")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    PERCENT_BP_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    trigger: str
    days: int
    percent_bp: int
    amount_minor: int
    def __init__(self, name: _Optional[str] = ..., trigger: _Optional[str] = ..., days: _Optional[int] = ..., percent_bp: _Optional[int] = ..., amount_minor: _Optional[int] = ...) -> None: ...

class EquipmentRow(_message.Message):
    __slots__ = ("model", "description", "quantity", "unit_price_minor")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_MINOR_FIELD_NUMBER: _ClassVar[int]
    model: str
    description: str
    quantity: int
    unit_price_minor: int
    def __init__(self, model: _Optional[str] = ..., description: _Optional[str] = ..., quantity: _Optional[int] = ..., unit_price_minor: _Optional[int] = ...) -> None: ...

class VersionFields(_message.Message):
    __slots__ = ("currency", "total_minor", "instalments", "delivery_lead_time_days", "warranty_months", "equipment", "source")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_MINOR_FIELD_NUMBER: _ClassVar[int]
    INSTALMENTS_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_LEAD_TIME_DAYS_FIELD_NUMBER: _ClassVar[int]
    WARRANTY_MONTHS_FIELD_NUMBER: _ClassVar[int]
    EQUIPMENT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    currency: str
    total_minor: int
    instalments: _containers.RepeatedCompositeFieldContainer[Instalment]
    delivery_lead_time_days: int
    warranty_months: int
    equipment: _containers.RepeatedCompositeFieldContainer[EquipmentRow]
    source: str
    def __init__(self, currency: _Optional[str] = ..., total_minor: _Optional[int] = ..., instalments: _Optional[_Iterable[_Union[Instalment, _Mapping]]] = ..., delivery_lead_time_days: _Optional[int] = ..., warranty_months: _Optional[int] = ..., equipment: _Optional[_Iterable[_Union[EquipmentRow, _Mapping]]] = ..., source: _Optional[str] = ...) -> None: ...

class DocumentVersion(_message.Message):
    __slots__ = ("version_id", "document_id", "tenant_id", "version_number", "opportunity_id", "doc_type", "title", "filename", "content_type", "size_bytes", "sha256", "created_by", "created_at", "subject_type", "subject_id", "change_summary", "parent_version_id", "fields")
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGE_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    PARENT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    version_id: str
    document_id: str
    tenant_id: str
    version_number: int
    opportunity_id: str
    doc_type: str
    title: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    subject_type: str
    subject_id: str
    change_summary: str
    parent_version_id: str
    fields: VersionFields
    def __init__(self, version_id: _Optional[str] = ..., document_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., version_number: _Optional[int] = ..., opportunity_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., title: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., change_summary: _Optional[str] = ..., parent_version_id: _Optional[str] = ..., fields: _Optional[_Union[VersionFields, _Mapping]] = ...) -> None: ...

class Document(_message.Message):
    __slots__ = ("document_id", "opportunity_id", "doc_type", "title", "latest_version_number", "latest_version_id", "subject_type", "subject_id", "created_by", "created_at")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    opportunity_id: str
    doc_type: str
    title: str
    latest_version_number: int
    latest_version_id: str
    subject_type: str
    subject_id: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, document_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., title: _Optional[str] = ..., latest_version_number: _Optional[int] = ..., latest_version_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UploadVersionRequest(_message.Message):
    __slots__ = ("document_id", "opportunity_id", "doc_type", "title", "filename", "content_type", "content", "subject_type", "subject_id", "change_summary", "fields_json")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGE_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    FIELDS_JSON_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    opportunity_id: str
    doc_type: str
    title: str
    filename: str
    content_type: str
    content: bytes
    subject_type: str
    subject_id: str
    change_summary: str
    fields_json: str
    def __init__(self, document_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., title: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., content: _Optional[bytes] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., change_summary: _Optional[str] = ..., fields_json: _Optional[str] = ...) -> None: ...

class UploadVersionResponse(_message.Message):
    __slots__ = ("version", "unchanged")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    version: DocumentVersion
    unchanged: bool
    def __init__(self, version: _Optional[_Union[DocumentVersion, _Mapping]] = ..., unchanged: bool = ...) -> None: ...

class GetVersionRequest(_message.Message):
    __slots__ = ("version_id", "include_content")
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_CONTENT_FIELD_NUMBER: _ClassVar[int]
    version_id: str
    include_content: bool
    def __init__(self, version_id: _Optional[str] = ..., include_content: bool = ...) -> None: ...

class GetVersionResponse(_message.Message):
    __slots__ = ("version", "content")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    version: DocumentVersion
    content: bytes
    def __init__(self, version: _Optional[_Union[DocumentVersion, _Mapping]] = ..., content: _Optional[bytes] = ...) -> None: ...

class ListVersionsRequest(_message.Message):
    __slots__ = ("document_id", "page_size", "page_token")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    page_size: int
    page_token: str
    def __init__(self, document_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListVersionsResponse(_message.Message):
    __slots__ = ("versions", "next_page_token")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[DocumentVersion]
    next_page_token: str
    def __init__(self, versions: _Optional[_Iterable[_Union[DocumentVersion, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListDocumentsRequest(_message.Message):
    __slots__ = ("opportunity_id", "doc_type", "subject_type", "subject_id", "page_size", "page_token")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    doc_type: str
    subject_type: str
    subject_id: str
    page_size: int
    page_token: str
    def __init__(self, opportunity_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDocumentsResponse(_message.Message):
    __slots__ = ("documents", "next_page_token")
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.RepeatedCompositeFieldContainer[Document]
    next_page_token: str
    def __init__(self, documents: _Optional[_Iterable[_Union[Document, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Snapshot(_message.Message):
    __slots__ = ("snapshot_id", "version_id", "document_id", "opportunity_id", "purpose", "version_number", "doc_type", "title", "sha256", "note", "created_by", "created_at")
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    VERSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    snapshot_id: str
    version_id: str
    document_id: str
    opportunity_id: str
    purpose: str
    version_number: int
    doc_type: str
    title: str
    sha256: str
    note: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, snapshot_id: _Optional[str] = ..., version_id: _Optional[str] = ..., document_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., purpose: _Optional[str] = ..., version_number: _Optional[int] = ..., doc_type: _Optional[str] = ..., title: _Optional[str] = ..., sha256: _Optional[str] = ..., note: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateSnapshotRequest(_message.Message):
    __slots__ = ("version_id", "opportunity_id", "purpose", "note")
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    version_id: str
    opportunity_id: str
    purpose: str
    note: str
    def __init__(self, version_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., purpose: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class CreateSnapshotResponse(_message.Message):
    __slots__ = ("snapshot", "existing")
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    EXISTING_FIELD_NUMBER: _ClassVar[int]
    snapshot: Snapshot
    existing: bool
    def __init__(self, snapshot: _Optional[_Union[Snapshot, _Mapping]] = ..., existing: bool = ...) -> None: ...

class ListSnapshotsRequest(_message.Message):
    __slots__ = ("opportunity_id", "purpose", "page_size", "page_token")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    purpose: str
    page_size: int
    page_token: str
    def __init__(self, opportunity_id: _Optional[str] = ..., purpose: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSnapshotsResponse(_message.Message):
    __slots__ = ("snapshots", "next_page_token")
    SNAPSHOTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    snapshots: _containers.RepeatedCompositeFieldContainer[Snapshot]
    next_page_token: str
    def __init__(self, snapshots: _Optional[_Iterable[_Union[Snapshot, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DocumentType(_message.Message):
    __slots__ = ("code", "name", "carries_fields", "seeded")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CARRIES_FIELDS_FIELD_NUMBER: _ClassVar[int]
    SEEDED_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    carries_fields: bool
    seeded: bool
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., carries_fields: bool = ..., seeded: bool = ...) -> None: ...

class ListDocumentTypesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListDocumentTypesResponse(_message.Message):
    __slots__ = ("types",)
    TYPES_FIELD_NUMBER: _ClassVar[int]
    types: _containers.RepeatedCompositeFieldContainer[DocumentType]
    def __init__(self, types: _Optional[_Iterable[_Union[DocumentType, _Mapping]]] = ...) -> None: ...

class SaveDocumentTypeRequest(_message.Message):
    __slots__ = ("code", "name", "carries_fields")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CARRIES_FIELDS_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    carries_fields: bool
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., carries_fields: bool = ...) -> None: ...

class SaveDocumentTypeResponse(_message.Message):
    __slots__ = ("type", "created")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    type: DocumentType
    created: bool
    def __init__(self, type: _Optional[_Union[DocumentType, _Mapping]] = ..., created: bool = ...) -> None: ...
