import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProtectionExtension(_message.Message):
    __slots__ = ("extension_id", "registration_id", "days", "reason", "requested_by", "requested_at", "status", "approval_id", "decision_comment", "decided_at")
    EXTENSION_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_COMMENT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    extension_id: str
    registration_id: str
    days: int
    reason: str
    requested_by: str
    requested_at: _timestamp_pb2.Timestamp
    status: str
    approval_id: str
    decision_comment: str
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, extension_id: _Optional[str] = ..., registration_id: _Optional[str] = ..., days: _Optional[int] = ..., reason: _Optional[str] = ..., requested_by: _Optional[str] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[str] = ..., approval_id: _Optional[str] = ..., decision_comment: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RequestExtensionRequest(_message.Message):
    __slots__ = ("registration_id", "days", "reason")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    days: int
    reason: str
    def __init__(self, registration_id: _Optional[str] = ..., days: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class RequestExtensionResponse(_message.Message):
    __slots__ = ("extension",)
    EXTENSION_FIELD_NUMBER: _ClassVar[int]
    extension: ProtectionExtension
    def __init__(self, extension: _Optional[_Union[ProtectionExtension, _Mapping]] = ...) -> None: ...

class ListExtensionsRequest(_message.Message):
    __slots__ = ("registration_id",)
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    def __init__(self, registration_id: _Optional[str] = ...) -> None: ...

class ListExtensionsResponse(_message.Message):
    __slots__ = ("extensions",)
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    extensions: _containers.RepeatedCompositeFieldContainer[ProtectionExtension]
    def __init__(self, extensions: _Optional[_Iterable[_Union[ProtectionExtension, _Mapping]]] = ...) -> None: ...

class ProtectionTerms(_message.Message):
    __slots__ = ("protection_days", "max_extension_days", "updated_by", "updated_at")
    PROTECTION_DAYS_FIELD_NUMBER: _ClassVar[int]
    MAX_EXTENSION_DAYS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    protection_days: int
    max_extension_days: int
    updated_by: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, protection_days: _Optional[int] = ..., max_extension_days: _Optional[int] = ..., updated_by: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetProtectionTermsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetProtectionTermsResponse(_message.Message):
    __slots__ = ("terms",)
    TERMS_FIELD_NUMBER: _ClassVar[int]
    terms: ProtectionTerms
    def __init__(self, terms: _Optional[_Union[ProtectionTerms, _Mapping]] = ...) -> None: ...

class SetProtectionTermsRequest(_message.Message):
    __slots__ = ("protection_days", "max_extension_days")
    PROTECTION_DAYS_FIELD_NUMBER: _ClassVar[int]
    MAX_EXTENSION_DAYS_FIELD_NUMBER: _ClassVar[int]
    protection_days: int
    max_extension_days: int
    def __init__(self, protection_days: _Optional[int] = ..., max_extension_days: _Optional[int] = ...) -> None: ...

class SetProtectionTermsResponse(_message.Message):
    __slots__ = ("terms",)
    TERMS_FIELD_NUMBER: _ClassVar[int]
    terms: ProtectionTerms
    def __init__(self, terms: _Optional[_Union[ProtectionTerms, _Mapping]] = ...) -> None: ...
