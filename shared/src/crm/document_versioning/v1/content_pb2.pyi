from crm.document_versioning.v1 import document_versioning_pb2 as _document_versioning_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UploadContentRequest(_message.Message):
    __slots__ = ("header", "chunk")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    header: _document_versioning_pb2.UploadVersionRequest
    chunk: bytes
    def __init__(self, header: _Optional[_Union[_document_versioning_pb2.UploadVersionRequest, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class UploadContentResponse(_message.Message):
    __slots__ = ("version", "unchanged")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    version: _document_versioning_pb2.DocumentVersion
    unchanged: bool
    def __init__(self, version: _Optional[_Union[_document_versioning_pb2.DocumentVersion, _Mapping]] = ..., unchanged: bool = ...) -> None: ...

class ReadContentRequest(_message.Message):
    __slots__ = ("version_id", "offset", "length", "suffix_length", "if_none_match")
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    SUFFIX_LENGTH_FIELD_NUMBER: _ClassVar[int]
    IF_NONE_MATCH_FIELD_NUMBER: _ClassVar[int]
    version_id: str
    offset: int
    length: int
    suffix_length: int
    if_none_match: str
    def __init__(self, version_id: _Optional[str] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ..., suffix_length: _Optional[int] = ..., if_none_match: _Optional[str] = ...) -> None: ...

class ContentHeader(_message.Message):
    __slots__ = ("version", "offset", "length", "not_modified", "range_unsatisfiable")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    NOT_MODIFIED_FIELD_NUMBER: _ClassVar[int]
    RANGE_UNSATISFIABLE_FIELD_NUMBER: _ClassVar[int]
    version: _document_versioning_pb2.DocumentVersion
    offset: int
    length: int
    not_modified: bool
    range_unsatisfiable: bool
    def __init__(self, version: _Optional[_Union[_document_versioning_pb2.DocumentVersion, _Mapping]] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ..., not_modified: bool = ..., range_unsatisfiable: bool = ...) -> None: ...

class ReadContentResponse(_message.Message):
    __slots__ = ("header", "chunk")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    header: ContentHeader
    chunk: bytes
    def __init__(self, header: _Optional[_Union[ContentHeader, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...
