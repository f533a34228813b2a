import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DiffVersionsRequest(_message.Message):
    __slots__ = ("document_id", "from_version_id", "to_version_id", "include_html")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    TO_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_HTML_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    from_version_id: str
    to_version_id: str
    include_html: bool
    def __init__(self, document_id: _Optional[str] = ..., from_version_id: _Optional[str] = ..., to_version_id: _Optional[str] = ..., include_html: bool = ...) -> None: ...

class DiffSide(_message.Message):
    __slots__ = ("version_id", "version_number", "filename", "content_type", "scanned", "pages", "truncated", "note", "created_by", "created_at", "change_summary")
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SCANNED_FIELD_NUMBER: _ClassVar[int]
    PAGES_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANGE_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    version_id: str
    version_number: int
    filename: str
    content_type: str
    scanned: bool
    pages: int
    truncated: bool
    note: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    change_summary: str
    def __init__(self, version_id: _Optional[str] = ..., version_number: _Optional[int] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., scanned: bool = ..., pages: _Optional[int] = ..., truncated: bool = ..., note: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., change_summary: _Optional[str] = ...) -> None: ...

class TextSegment(_message.Message):
    __slots__ = ("op", "text")
    OP_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    op: str
    text: str
    def __init__(self, op: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class TextChange(_message.Message):
    __slots__ = ("before", "after", "context_before", "context_after", "from_offset", "to_offset", "summary")
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_AFTER_FIELD_NUMBER: _ClassVar[int]
    FROM_OFFSET_FIELD_NUMBER: _ClassVar[int]
    TO_OFFSET_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    before: str
    after: str
    context_before: str
    context_after: str
    from_offset: int
    to_offset: int
    summary: str
    def __init__(self, before: _Optional[str] = ..., after: _Optional[str] = ..., context_before: _Optional[str] = ..., context_after: _Optional[str] = ..., from_offset: _Optional[int] = ..., to_offset: _Optional[int] = ..., summary: _Optional[str] = ...) -> None: ...

class FieldChange(_message.Message):
    __slots__ = ("field", "change", "key", "attribute", "before", "after", "path")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTE_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    field: str
    change: str
    key: str
    attribute: str
    before: str
    after: str
    path: str
    def __init__(self, field: _Optional[str] = ..., change: _Optional[str] = ..., key: _Optional[str] = ..., attribute: _Optional[str] = ..., before: _Optional[str] = ..., after: _Optional[str] = ..., path: _Optional[str] = ...) -> None: ...

class DiffVersionsResponse(_message.Message):
    __slots__ = ("document_id", "from_version", "to_version", "segments", "changes", "field_changes", "text_complete", "html")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_VERSION_FIELD_NUMBER: _ClassVar[int]
    TO_VERSION_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    FIELD_CHANGES_FIELD_NUMBER: _ClassVar[int]
    TEXT_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    from_version: DiffSide
    to_version: DiffSide
    segments: _containers.RepeatedCompositeFieldContainer[TextSegment]
    changes: _containers.RepeatedCompositeFieldContainer[TextChange]
    field_changes: _containers.RepeatedCompositeFieldContainer[FieldChange]
    text_complete: bool
    html: str
    def __init__(self, document_id: _Optional[str] = ..., from_version: _Optional[_Union[DiffSide, _Mapping]] = ..., to_version: _Optional[_Union[DiffSide, _Mapping]] = ..., segments: _Optional[_Iterable[_Union[TextSegment, _Mapping]]] = ..., changes: _Optional[_Iterable[_Union[TextChange, _Mapping]]] = ..., field_changes: _Optional[_Iterable[_Union[FieldChange, _Mapping]]] = ..., text_complete: bool = ..., html: _Optional[str] = ...) -> None: ...
