from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class DocumentVersionCreated(_message.Message):
    __slots__ = ("document_id", "version_id", "version_number", "opportunity_id", "doc_type", "sha256", "subject_type", "subject_id", "previous_version_id", "previous_sha256", "created_by", "has_fields")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_SHA256_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    HAS_FIELDS_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    version_id: str
    version_number: int
    opportunity_id: str
    doc_type: str
    sha256: str
    subject_type: str
    subject_id: str
    previous_version_id: str
    previous_sha256: str
    created_by: str
    has_fields: bool
    def __init__(self, document_id: _Optional[str] = ..., version_id: _Optional[str] = ..., version_number: _Optional[int] = ..., opportunity_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., sha256: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., previous_version_id: _Optional[str] = ..., previous_sha256: _Optional[str] = ..., created_by: _Optional[str] = ..., has_fields: bool = ...) -> None: ...

class DocumentSnapshotCreated(_message.Message):
    __slots__ = ("snapshot_id", "document_id", "version_id", "version_number", "opportunity_id", "purpose", "sha256", "created_by")
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    snapshot_id: str
    document_id: str
    version_id: str
    version_number: int
    opportunity_id: str
    purpose: str
    sha256: str
    created_by: str
    def __init__(self, snapshot_id: _Optional[str] = ..., document_id: _Optional[str] = ..., version_id: _Optional[str] = ..., version_number: _Optional[int] = ..., opportunity_id: _Optional[str] = ..., purpose: _Optional[str] = ..., sha256: _Optional[str] = ..., created_by: _Optional[str] = ...) -> None: ...
