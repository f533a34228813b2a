import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Decision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_UNSPECIFIED: _ClassVar[Decision]
    DECISION_APPROVE: _ClassVar[Decision]
    DECISION_REJECT: _ClassVar[Decision]
DECISION_UNSPECIFIED: Decision
DECISION_APPROVE: Decision
DECISION_REJECT: Decision

class ApprovalRequest(_message.Message):
    __slots__ = ("approval_id", "tenant_id", "subject_type", "subject_id", "document_version_id", "reason", "status", "requested_by", "decided_by", "comment", "requested_at", "decided_at")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    tenant_id: str
    subject_type: str
    subject_id: str
    document_version_id: str
    reason: str
    status: str
    requested_by: str
    decided_by: str
    comment: str
    requested_at: _timestamp_pb2.Timestamp
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, approval_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., document_version_id: _Optional[str] = ..., reason: _Optional[str] = ..., status: _Optional[str] = ..., requested_by: _Optional[str] = ..., decided_by: _Optional[str] = ..., comment: _Optional[str] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubmitApprovalRequest(_message.Message):
    __slots__ = ("subject_type", "subject_id", "document_version_id", "reason")
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    subject_type: str
    subject_id: str
    document_version_id: str
    reason: str
    def __init__(self, subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., document_version_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class SubmitApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: ApprovalRequest
    def __init__(self, approval: _Optional[_Union[ApprovalRequest, _Mapping]] = ...) -> None: ...

class DecideApprovalRequest(_message.Message):
    __slots__ = ("approval_id", "decision", "comment")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    decision: Decision
    comment: str
    def __init__(self, approval_id: _Optional[str] = ..., decision: _Optional[_Union[Decision, str]] = ..., comment: _Optional[str] = ...) -> None: ...

class DecideApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: ApprovalRequest
    def __init__(self, approval: _Optional[_Union[ApprovalRequest, _Mapping]] = ...) -> None: ...

class GetApprovalRequest(_message.Message):
    __slots__ = ("approval_id",)
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    def __init__(self, approval_id: _Optional[str] = ...) -> None: ...

class GetApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: ApprovalRequest
    def __init__(self, approval: _Optional[_Union[ApprovalRequest, _Mapping]] = ...) -> None: ...

class GetLatestApprovalRequest(_message.Message):
    __slots__ = ("subject_type", "subject_id")
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    subject_type: str
    subject_id: str
    def __init__(self, subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ...) -> None: ...

class GetLatestApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: ApprovalRequest
    def __init__(self, approval: _Optional[_Union[ApprovalRequest, _Mapping]] = ...) -> None: ...
