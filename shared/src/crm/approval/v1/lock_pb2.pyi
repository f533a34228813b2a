from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetSubjectLocksRequest(_message.Message):
    __slots__ = ("subject_type", "subject_id")
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    subject_type: str
    subject_id: str
    def __init__(self, subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ...) -> None: ...

class SubjectLock(_message.Message):
    __slots__ = ("approval_id", "kind", "fields", "title")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    kind: str
    fields: _containers.RepeatedScalarFieldContainer[str]
    title: str
    def __init__(self, approval_id: _Optional[str] = ..., kind: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ..., title: _Optional[str] = ...) -> None: ...

class GetSubjectLocksResponse(_message.Message):
    __slots__ = ("locks",)
    LOCKS_FIELD_NUMBER: _ClassVar[int]
    locks: _containers.RepeatedCompositeFieldContainer[SubjectLock]
    def __init__(self, locks: _Optional[_Iterable[_Union[SubjectLock, _Mapping]]] = ...) -> None: ...
