from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class CheckSubjectAccessRequest(_message.Message):
    __slots__ = ("tenant_id", "user_id", "role", "subject_type", "subject_id", "organisation")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    user_id: str
    role: str
    subject_type: str
    subject_id: str
    organisation: str
    def __init__(self, tenant_id: _Optional[str] = ..., user_id: _Optional[str] = ..., role: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., organisation: _Optional[str] = ...) -> None: ...

class CheckSubjectAccessResponse(_message.Message):
    __slots__ = ("exists", "readable", "writable")
    EXISTS_FIELD_NUMBER: _ClassVar[int]
    READABLE_FIELD_NUMBER: _ClassVar[int]
    WRITABLE_FIELD_NUMBER: _ClassVar[int]
    exists: bool
    readable: bool
    writable: bool
    def __init__(self, exists: bool = ..., readable: bool = ..., writable: bool = ...) -> None: ...
