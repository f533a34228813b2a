import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DocumentVersion(_message.Message):
    __slots__ = ("version_id", "document_id", "tenant_id", "version_number", "opportunity_id", "doc_type", "title", "filename", "content_type", "size_bytes", "sha256", "created_by", "created_at")
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
    def __init__(self, version_id: _Optional[str] = ..., document_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., version_number: _Optional[int] = ..., opportunity_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., title: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Document(_message.Message):
    __slots__ = ("document_id", "opportunity_id", "doc_type", "title", "latest_version_number", "latest_version_id")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    opportunity_id: str
    doc_type: str
    title: str
    latest_version_number: int
    latest_version_id: str
    def __init__(self, document_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., title: _Optional[str] = ..., latest_version_number: _Optional[int] = ..., latest_version_id: _Optional[str] = ...) -> None: ...

class UploadVersionRequest(_message.Message):
    __slots__ = ("document_id", "opportunity_id", "doc_type", "title", "filename", "content_type", "content")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    opportunity_id: str
    doc_type: str
    title: str
    filename: str
    content_type: str
    content: bytes
    def __init__(self, document_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., title: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

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
    __slots__ = ("document_id",)
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    def __init__(self, document_id: _Optional[str] = ...) -> None: ...

class ListVersionsResponse(_message.Message):
    __slots__ = ("versions",)
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[DocumentVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[DocumentVersion, _Mapping]]] = ...) -> None: ...

class ListDocumentsRequest(_message.Message):
    __slots__ = ("opportunity_id", "doc_type")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    doc_type: str
    def __init__(self, opportunity_id: _Optional[str] = ..., doc_type: _Optional[str] = ...) -> None: ...

class ListDocumentsResponse(_message.Message):
    __slots__ = ("documents",)
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.RepeatedCompositeFieldContainer[Document]
    def __init__(self, documents: _Optional[_Iterable[_Union[Document, _Mapping]]] = ...) -> None: ...
