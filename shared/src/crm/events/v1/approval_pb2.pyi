from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ApprovalRequested(_message.Message):
    __slots__ = ("approval_id", "subject_type", "subject_id", "requested_by", "document_version_id")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    subject_type: str
    subject_id: str
    requested_by: str
    document_version_id: str
    def __init__(self, approval_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., requested_by: _Optional[str] = ..., document_version_id: _Optional[str] = ...) -> None: ...

class ApprovalDecided(_message.Message):
    __slots__ = ("approval_id", "subject_type", "subject_id", "decision", "decided_by", "comment")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    subject_type: str
    subject_id: str
    decision: str
    decided_by: str
    comment: str
    def __init__(self, approval_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., decision: _Optional[str] = ..., decided_by: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...
