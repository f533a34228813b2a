import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TaskAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_ACTION_UNSPECIFIED: _ClassVar[TaskAction]
    TASK_ACTION_APPROVE: _ClassVar[TaskAction]
    TASK_ACTION_REJECT: _ClassVar[TaskAction]
    TASK_ACTION_SEND_BACK: _ClassVar[TaskAction]
    TASK_ACTION_ADD_SIGNERS: _ClassVar[TaskAction]
    TASK_ACTION_REMOVE_SIGNER: _ClassVar[TaskAction]
    TASK_ACTION_TRANSFER: _ClassVar[TaskAction]
    TASK_ACTION_DELEGATE: _ClassVar[TaskAction]
    TASK_ACTION_CONFIRM: _ClassVar[TaskAction]

class Placement(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PLACEMENT_UNSPECIFIED: _ClassVar[Placement]
    PLACEMENT_BEFORE: _ClassVar[Placement]
    PLACEMENT_AFTER: _ClassVar[Placement]
    PLACEMENT_ALONGSIDE: _ClassVar[Placement]
TASK_ACTION_UNSPECIFIED: TaskAction
TASK_ACTION_APPROVE: TaskAction
TASK_ACTION_REJECT: TaskAction
TASK_ACTION_SEND_BACK: TaskAction
TASK_ACTION_ADD_SIGNERS: TaskAction
TASK_ACTION_REMOVE_SIGNER: TaskAction
TASK_ACTION_TRANSFER: TaskAction
TASK_ACTION_DELEGATE: TaskAction
TASK_ACTION_CONFIRM: TaskAction
PLACEMENT_UNSPECIFIED: Placement
PLACEMENT_BEFORE: Placement
PLACEMENT_AFTER: Placement
PLACEMENT_ALONGSIDE: Placement

class ApprovalRequest(_message.Message):
    __slots__ = ("approval_id", "tenant_id", "subject_type", "subject_id", "document_version_id", "reason", "status", "requested_by", "decided_by", "comment", "requested_at", "decided_at", "kind", "stale", "facts", "impact_scope", "amount_minor", "currency", "document_sha256", "policy_id", "policy_version", "current_stage", "locked_fields", "channel", "cc_users")
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
    KIND_FIELD_NUMBER: _ClassVar[int]
    STALE_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    IMPACT_SCOPE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    POLICY_VERSION_FIELD_NUMBER: _ClassVar[int]
    CURRENT_STAGE_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CC_USERS_FIELD_NUMBER: _ClassVar[int]
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
    kind: str
    stale: bool
    facts: _containers.RepeatedCompositeFieldContainer[Fact]
    impact_scope: str
    amount_minor: int
    currency: str
    document_sha256: str
    policy_id: str
    policy_version: int
    current_stage: int
    locked_fields: _containers.RepeatedScalarFieldContainer[str]
    channel: str
    cc_users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, approval_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., document_version_id: _Optional[str] = ..., reason: _Optional[str] = ..., status: _Optional[str] = ..., requested_by: _Optional[str] = ..., decided_by: _Optional[str] = ..., comment: _Optional[str] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[str] = ..., stale: bool = ..., facts: _Optional[_Iterable[_Union[Fact, _Mapping]]] = ..., impact_scope: _Optional[str] = ..., amount_minor: _Optional[int] = ..., currency: _Optional[str] = ..., document_sha256: _Optional[str] = ..., policy_id: _Optional[str] = ..., policy_version: _Optional[int] = ..., current_stage: _Optional[int] = ..., locked_fields: _Optional[_Iterable[str]] = ..., channel: _Optional[str] = ..., cc_users: _Optional[_Iterable[str]] = ...) -> None: ...

class Fact(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class ApprovalTask(_message.Message):
    __slots__ = ("task_id", "approval_id", "stage_id", "step_id", "step_name", "department_id", "assignee", "original_assignee", "delegated_from", "mode", "status", "position", "started_at", "due_at", "decided_at", "comment", "dwell_seconds", "dwell_working_seconds", "escalated", "reminders", "placement", "stage_name")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    DELEGATED_FROM_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    DWELL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DWELL_WORKING_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_FIELD_NUMBER: _ClassVar[int]
    REMINDERS_FIELD_NUMBER: _ClassVar[int]
    PLACEMENT_FIELD_NUMBER: _ClassVar[int]
    STAGE_NAME_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    approval_id: str
    stage_id: str
    step_id: str
    step_name: str
    department_id: str
    assignee: str
    original_assignee: str
    delegated_from: str
    mode: str
    status: str
    position: int
    started_at: _timestamp_pb2.Timestamp
    due_at: _timestamp_pb2.Timestamp
    decided_at: _timestamp_pb2.Timestamp
    comment: str
    dwell_seconds: int
    dwell_working_seconds: int
    escalated: bool
    reminders: int
    placement: str
    stage_name: str
    def __init__(self, task_id: _Optional[str] = ..., approval_id: _Optional[str] = ..., stage_id: _Optional[str] = ..., step_id: _Optional[str] = ..., step_name: _Optional[str] = ..., department_id: _Optional[str] = ..., assignee: _Optional[str] = ..., original_assignee: _Optional[str] = ..., delegated_from: _Optional[str] = ..., mode: _Optional[str] = ..., status: _Optional[str] = ..., position: _Optional[int] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., comment: _Optional[str] = ..., dwell_seconds: _Optional[int] = ..., dwell_working_seconds: _Optional[int] = ..., escalated: bool = ..., reminders: _Optional[int] = ..., placement: _Optional[str] = ..., stage_name: _Optional[str] = ...) -> None: ...

class HistoryEntry(_message.Message):
    __slots__ = ("entry_id", "task_id", "at", "actor", "action", "comment", "channel", "details")
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    entry_id: str
    task_id: str
    at: _timestamp_pb2.Timestamp
    actor: str
    action: str
    comment: str
    channel: str
    details: _containers.RepeatedCompositeFieldContainer[Fact]
    def __init__(self, entry_id: _Optional[str] = ..., task_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ..., action: _Optional[str] = ..., comment: _Optional[str] = ..., channel: _Optional[str] = ..., details: _Optional[_Iterable[_Union[Fact, _Mapping]]] = ...) -> None: ...

class SubmitApprovalRequest(_message.Message):
    __slots__ = ("subject_type", "subject_id", "document_version_id", "reason", "kind", "impact_scope", "discount_percent", "document_sha256", "cc_users", "channel", "given")
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    IMPACT_SCOPE_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_PERCENT_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    CC_USERS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    GIVEN_FIELD_NUMBER: _ClassVar[int]
    subject_type: str
    subject_id: str
    document_version_id: str
    reason: str
    kind: str
    impact_scope: str
    discount_percent: int
    document_sha256: str
    cc_users: _containers.RepeatedScalarFieldContainer[str]
    channel: str
    given: _containers.RepeatedCompositeFieldContainer[Fact]
    def __init__(self, subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., document_version_id: _Optional[str] = ..., reason: _Optional[str] = ..., kind: _Optional[str] = ..., impact_scope: _Optional[str] = ..., discount_percent: _Optional[int] = ..., document_sha256: _Optional[str] = ..., cc_users: _Optional[_Iterable[str]] = ..., channel: _Optional[str] = ..., given: _Optional[_Iterable[_Union[Fact, _Mapping]]] = ...) -> None: ...

class SubmitApprovalResponse(_message.Message):
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
    __slots__ = ("approval", "tasks", "history")
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    approval: ApprovalRequest
    tasks: _containers.RepeatedCompositeFieldContainer[ApprovalTask]
    history: _containers.RepeatedCompositeFieldContainer[HistoryEntry]
    def __init__(self, approval: _Optional[_Union[ApprovalRequest, _Mapping]] = ..., tasks: _Optional[_Iterable[_Union[ApprovalTask, _Mapping]]] = ..., history: _Optional[_Iterable[_Union[HistoryEntry, _Mapping]]] = ...) -> None: ...

class GetLatestApprovalRequest(_message.Message):
    __slots__ = ("subject_type", "subject_id", "kind")
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    subject_type: str
    subject_id: str
    kind: str
    def __init__(self, subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class GetLatestApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: ApprovalRequest
    def __init__(self, approval: _Optional[_Union[ApprovalRequest, _Mapping]] = ...) -> None: ...

class ActOnTaskRequest(_message.Message):
    __slots__ = ("task_id", "action", "comment", "channel", "send_back_to", "users", "placement", "mode", "target_user")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SEND_BACK_TO_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    PLACEMENT_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    TARGET_USER_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    action: TaskAction
    comment: str
    channel: str
    send_back_to: str
    users: _containers.RepeatedScalarFieldContainer[str]
    placement: Placement
    mode: str
    target_user: str
    def __init__(self, task_id: _Optional[str] = ..., action: _Optional[_Union[TaskAction, str]] = ..., comment: _Optional[str] = ..., channel: _Optional[str] = ..., send_back_to: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ..., placement: _Optional[_Union[Placement, str]] = ..., mode: _Optional[str] = ..., target_user: _Optional[str] = ...) -> None: ...

class ActOnTaskResponse(_message.Message):
    __slots__ = ("approval", "tasks")
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    approval: ApprovalRequest
    tasks: _containers.RepeatedCompositeFieldContainer[ApprovalTask]
    def __init__(self, approval: _Optional[_Union[ApprovalRequest, _Mapping]] = ..., tasks: _Optional[_Iterable[_Union[ApprovalTask, _Mapping]]] = ...) -> None: ...

class BatchDecideRequest(_message.Message):
    __slots__ = ("task_ids", "action", "comment", "channel")
    TASK_IDS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    task_ids: _containers.RepeatedScalarFieldContainer[str]
    action: TaskAction
    comment: str
    channel: str
    def __init__(self, task_ids: _Optional[_Iterable[str]] = ..., action: _Optional[_Union[TaskAction, str]] = ..., comment: _Optional[str] = ..., channel: _Optional[str] = ...) -> None: ...

class BatchOutcome(_message.Message):
    __slots__ = ("task_id", "ok", "error", "approval_id", "approval_status")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    OK_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_STATUS_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    ok: bool
    error: str
    approval_id: str
    approval_status: str
    def __init__(self, task_id: _Optional[str] = ..., ok: bool = ..., error: _Optional[str] = ..., approval_id: _Optional[str] = ..., approval_status: _Optional[str] = ...) -> None: ...

class BatchDecideResponse(_message.Message):
    __slots__ = ("outcomes",)
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    outcomes: _containers.RepeatedCompositeFieldContainer[BatchOutcome]
    def __init__(self, outcomes: _Optional[_Iterable[_Union[BatchOutcome, _Mapping]]] = ...) -> None: ...

class RecallApprovalRequest(_message.Message):
    __slots__ = ("approval_id", "comment", "channel")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    comment: str
    channel: str
    def __init__(self, approval_id: _Optional[str] = ..., comment: _Optional[str] = ..., channel: _Optional[str] = ...) -> None: ...

class RecallApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: ApprovalRequest
    def __init__(self, approval: _Optional[_Union[ApprovalRequest, _Mapping]] = ...) -> None: ...

class RemindApprovalRequest(_message.Message):
    __slots__ = ("approval_id", "comment", "channel")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    comment: str
    channel: str
    def __init__(self, approval_id: _Optional[str] = ..., comment: _Optional[str] = ..., channel: _Optional[str] = ...) -> None: ...

class RemindApprovalResponse(_message.Message):
    __slots__ = ("reminded",)
    REMINDED_FIELD_NUMBER: _ClassVar[int]
    reminded: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, reminded: _Optional[_Iterable[str]] = ...) -> None: ...

class ResubmitApprovalRequest(_message.Message):
    __slots__ = ("approval_id", "comment", "channel", "reason", "document_version_id", "document_sha256", "discount_percent", "impact_scope")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_PERCENT_FIELD_NUMBER: _ClassVar[int]
    IMPACT_SCOPE_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    comment: str
    channel: str
    reason: str
    document_version_id: str
    document_sha256: str
    discount_percent: int
    impact_scope: str
    def __init__(self, approval_id: _Optional[str] = ..., comment: _Optional[str] = ..., channel: _Optional[str] = ..., reason: _Optional[str] = ..., document_version_id: _Optional[str] = ..., document_sha256: _Optional[str] = ..., discount_percent: _Optional[int] = ..., impact_scope: _Optional[str] = ...) -> None: ...

class ResubmitApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: ApprovalRequest
    def __init__(self, approval: _Optional[_Union[ApprovalRequest, _Mapping]] = ...) -> None: ...

class CopyApprovalRequest(_message.Message):
    __slots__ = ("approval_id", "users", "comment", "channel")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    users: _containers.RepeatedScalarFieldContainer[str]
    comment: str
    channel: str
    def __init__(self, approval_id: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ..., comment: _Optional[str] = ..., channel: _Optional[str] = ...) -> None: ...

class CopyApprovalResponse(_message.Message):
    __slots__ = ("cc_users",)
    CC_USERS_FIELD_NUMBER: _ClassVar[int]
    cc_users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, cc_users: _Optional[_Iterable[str]] = ...) -> None: ...

class CommentOnApprovalRequest(_message.Message):
    __slots__ = ("approval_id", "comment", "attachment_version_ids", "channel")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENT_VERSION_IDS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    comment: str
    attachment_version_ids: _containers.RepeatedScalarFieldContainer[str]
    channel: str
    def __init__(self, approval_id: _Optional[str] = ..., comment: _Optional[str] = ..., attachment_version_ids: _Optional[_Iterable[str]] = ..., channel: _Optional[str] = ...) -> None: ...

class CommentOnApprovalResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: HistoryEntry
    def __init__(self, entry: _Optional[_Union[HistoryEntry, _Mapping]] = ...) -> None: ...
