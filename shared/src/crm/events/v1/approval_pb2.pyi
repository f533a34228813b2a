import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ApprovalRequested(_message.Message):
    __slots__ = ("approval_id", "subject_type", "subject_id", "requested_by", "document_version_id", "kind", "policy_id", "policy_version", "title", "impact_scope", "amount_minor", "document_sha256", "locked_fields", "resubmitted")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    POLICY_VERSION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    IMPACT_SCOPE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    RESUBMITTED_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    subject_type: str
    subject_id: str
    requested_by: str
    document_version_id: str
    kind: str
    policy_id: str
    policy_version: int
    title: str
    impact_scope: str
    amount_minor: int
    document_sha256: str
    locked_fields: _containers.RepeatedScalarFieldContainer[str]
    resubmitted: bool
    def __init__(self, approval_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., requested_by: _Optional[str] = ..., document_version_id: _Optional[str] = ..., kind: _Optional[str] = ..., policy_id: _Optional[str] = ..., policy_version: _Optional[int] = ..., title: _Optional[str] = ..., impact_scope: _Optional[str] = ..., amount_minor: _Optional[int] = ..., document_sha256: _Optional[str] = ..., locked_fields: _Optional[_Iterable[str]] = ..., resubmitted: bool = ...) -> None: ...

class ApprovalTaskAssigned(_message.Message):
    __slots__ = ("approval_id", "task_id", "stage_id", "step_id", "assignee", "original_assignee", "due_at", "kind", "subject_type", "subject_id")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    task_id: str
    stage_id: str
    step_id: str
    assignee: str
    original_assignee: str
    due_at: _timestamp_pb2.Timestamp
    kind: str
    subject_type: str
    subject_id: str
    def __init__(self, approval_id: _Optional[str] = ..., task_id: _Optional[str] = ..., stage_id: _Optional[str] = ..., step_id: _Optional[str] = ..., assignee: _Optional[str] = ..., original_assignee: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ...) -> None: ...

class ApprovalOpinion(_message.Message):
    __slots__ = ("task_id", "step_id", "actor", "decision", "comment")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    step_id: str
    actor: str
    decision: str
    comment: str
    def __init__(self, task_id: _Optional[str] = ..., step_id: _Optional[str] = ..., actor: _Optional[str] = ..., decision: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class ApprovalStepCompleted(_message.Message):
    __slots__ = ("approval_id", "stage_id", "step_id", "outcome", "opinions")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    OPINIONS_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    stage_id: str
    step_id: str
    outcome: str
    opinions: _containers.RepeatedCompositeFieldContainer[ApprovalOpinion]
    def __init__(self, approval_id: _Optional[str] = ..., stage_id: _Optional[str] = ..., step_id: _Optional[str] = ..., outcome: _Optional[str] = ..., opinions: _Optional[_Iterable[_Union[ApprovalOpinion, _Mapping]]] = ...) -> None: ...

class ApprovalDecided(_message.Message):
    __slots__ = ("approval_id", "subject_type", "subject_id", "decision", "decided_by", "comment", "kind", "opinions", "unlocked_fields")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OPINIONS_FIELD_NUMBER: _ClassVar[int]
    UNLOCKED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    subject_type: str
    subject_id: str
    decision: str
    decided_by: str
    comment: str
    kind: str
    opinions: _containers.RepeatedCompositeFieldContainer[ApprovalOpinion]
    unlocked_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, approval_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., decision: _Optional[str] = ..., decided_by: _Optional[str] = ..., comment: _Optional[str] = ..., kind: _Optional[str] = ..., opinions: _Optional[_Iterable[_Union[ApprovalOpinion, _Mapping]]] = ..., unlocked_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class ApprovalSentBack(_message.Message):
    __slots__ = ("approval_id", "subject_type", "subject_id", "by", "to", "comment", "kind")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    subject_type: str
    subject_id: str
    by: str
    to: str
    comment: str
    kind: str
    def __init__(self, approval_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., by: _Optional[str] = ..., to: _Optional[str] = ..., comment: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class ApprovalEscalated(_message.Message):
    __slots__ = ("approval_id", "task_id", "from_assignee", "to_users", "note", "kind")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    TO_USERS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    task_id: str
    from_assignee: str
    to_users: _containers.RepeatedScalarFieldContainer[str]
    note: str
    kind: str
    def __init__(self, approval_id: _Optional[str] = ..., task_id: _Optional[str] = ..., from_assignee: _Optional[str] = ..., to_users: _Optional[_Iterable[str]] = ..., note: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class ApprovalRecalled(_message.Message):
    __slots__ = ("approval_id", "subject_type", "subject_id", "by", "kind", "unlocked_fields")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    UNLOCKED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    subject_type: str
    subject_id: str
    by: str
    kind: str
    unlocked_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, approval_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., by: _Optional[str] = ..., kind: _Optional[str] = ..., unlocked_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class ApprovalVoided(_message.Message):
    __slots__ = ("approval_id", "subject_type", "subject_id", "kind", "document_id", "approved_version_id", "approved_sha256", "new_version_id", "new_sha256", "unlocked_fields")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_SHA256_FIELD_NUMBER: _ClassVar[int]
    NEW_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_SHA256_FIELD_NUMBER: _ClassVar[int]
    UNLOCKED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    subject_type: str
    subject_id: str
    kind: str
    document_id: str
    approved_version_id: str
    approved_sha256: str
    new_version_id: str
    new_sha256: str
    unlocked_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, approval_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., kind: _Optional[str] = ..., document_id: _Optional[str] = ..., approved_version_id: _Optional[str] = ..., approved_sha256: _Optional[str] = ..., new_version_id: _Optional[str] = ..., new_sha256: _Optional[str] = ..., unlocked_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class ApprovalStale(_message.Message):
    __slots__ = ("approval_id", "subject_type", "subject_id", "kind", "document_id", "approved_version_id", "approved_sha256", "new_version_id", "new_sha256")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_SHA256_FIELD_NUMBER: _ClassVar[int]
    NEW_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_SHA256_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    subject_type: str
    subject_id: str
    kind: str
    document_id: str
    approved_version_id: str
    approved_sha256: str
    new_version_id: str
    new_sha256: str
    def __init__(self, approval_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., kind: _Optional[str] = ..., document_id: _Optional[str] = ..., approved_version_id: _Optional[str] = ..., approved_sha256: _Optional[str] = ..., new_version_id: _Optional[str] = ..., new_sha256: _Optional[str] = ...) -> None: ...
