import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class InboxItem(_message.Message):
    __slots__ = ("task_id", "approval_id", "kind", "subject_type", "subject_id", "title", "stage_id", "step_id", "step_name", "amount_minor", "currency", "impact_scope", "requested_by", "started_at", "due_at", "has_due", "working_minutes_left", "overdue", "reminders", "escalated", "original_assignee")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    IMPACT_SCOPE_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    HAS_DUE_FIELD_NUMBER: _ClassVar[int]
    WORKING_MINUTES_LEFT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    REMINDERS_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    approval_id: str
    kind: str
    subject_type: str
    subject_id: str
    title: str
    stage_id: str
    step_id: str
    step_name: str
    amount_minor: int
    currency: str
    impact_scope: str
    requested_by: str
    started_at: _timestamp_pb2.Timestamp
    due_at: _timestamp_pb2.Timestamp
    has_due: bool
    working_minutes_left: int
    overdue: bool
    reminders: int
    escalated: bool
    original_assignee: str
    def __init__(self, task_id: _Optional[str] = ..., approval_id: _Optional[str] = ..., kind: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., title: _Optional[str] = ..., stage_id: _Optional[str] = ..., step_id: _Optional[str] = ..., step_name: _Optional[str] = ..., amount_minor: _Optional[int] = ..., currency: _Optional[str] = ..., impact_scope: _Optional[str] = ..., requested_by: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., has_due: bool = ..., working_minutes_left: _Optional[int] = ..., overdue: bool = ..., reminders: _Optional[int] = ..., escalated: bool = ..., original_assignee: _Optional[str] = ...) -> None: ...

class ListInboxRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "kind", "impact_scope", "overdue_only")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    IMPACT_SCOPE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_ONLY_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    kind: str
    impact_scope: str
    overdue_only: bool
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., kind: _Optional[str] = ..., impact_scope: _Optional[str] = ..., overdue_only: bool = ...) -> None: ...

class ListInboxResponse(_message.Message):
    __slots__ = ("items", "next_page_token")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[InboxItem]
    next_page_token: str
    def __init__(self, items: _Optional[_Iterable[_Union[InboxItem, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RequestSummary(_message.Message):
    __slots__ = ("approval_id", "kind", "subject_type", "subject_id", "title", "status", "stale", "amount_minor", "currency", "impact_scope", "requested_by", "requested_at", "decided_at", "waiting_on", "next_due_at", "overdue")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STALE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    IMPACT_SCOPE_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    WAITING_ON_FIELD_NUMBER: _ClassVar[int]
    NEXT_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    kind: str
    subject_type: str
    subject_id: str
    title: str
    status: str
    stale: bool
    amount_minor: int
    currency: str
    impact_scope: str
    requested_by: str
    requested_at: _timestamp_pb2.Timestamp
    decided_at: _timestamp_pb2.Timestamp
    waiting_on: _containers.RepeatedScalarFieldContainer[str]
    next_due_at: _timestamp_pb2.Timestamp
    overdue: bool
    def __init__(self, approval_id: _Optional[str] = ..., kind: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., title: _Optional[str] = ..., status: _Optional[str] = ..., stale: bool = ..., amount_minor: _Optional[int] = ..., currency: _Optional[str] = ..., impact_scope: _Optional[str] = ..., requested_by: _Optional[str] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., waiting_on: _Optional[_Iterable[str]] = ..., next_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue: bool = ...) -> None: ...

class ListOutboxRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "kind", "status")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    kind: str
    status: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., kind: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class ListOutboxResponse(_message.Message):
    __slots__ = ("items", "next_page_token")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[RequestSummary]
    next_page_token: str
    def __init__(self, items: _Optional[_Iterable[_Union[RequestSummary, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListTeamRequestsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "kind", "status", "rep_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    kind: str
    status: str
    rep_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., kind: _Optional[str] = ..., status: _Optional[str] = ..., rep_id: _Optional[str] = ...) -> None: ...

class ListTeamRequestsResponse(_message.Message):
    __slots__ = ("items", "next_page_token")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[RequestSummary]
    next_page_token: str
    def __init__(self, items: _Optional[_Iterable[_Union[RequestSummary, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetBottleneckReportRequest(_message.Message):
    __slots__ = ("decided_from", "decided_to", "kind", "dimension")
    DECIDED_FROM_FIELD_NUMBER: _ClassVar[int]
    DECIDED_TO_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    decided_from: _timestamp_pb2.Timestamp
    decided_to: _timestamp_pb2.Timestamp
    kind: str
    dimension: str
    def __init__(self, decided_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[str] = ..., dimension: _Optional[str] = ...) -> None: ...

class BottleneckRow(_message.Message):
    __slots__ = ("dimension", "policy_id", "stage_id", "step_id", "step_name", "department_id", "approver", "count", "median_working_seconds", "p90_working_seconds", "median_seconds", "p90_seconds", "total_working_seconds", "share_of_delay_percent", "overdue", "escalations")
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVER_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_WORKING_SECONDS_FIELD_NUMBER: _ClassVar[int]
    P90_WORKING_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    P90_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_WORKING_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SHARE_OF_DELAY_PERCENT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    ESCALATIONS_FIELD_NUMBER: _ClassVar[int]
    dimension: str
    policy_id: str
    stage_id: str
    step_id: str
    step_name: str
    department_id: str
    approver: str
    count: int
    median_working_seconds: int
    p90_working_seconds: int
    median_seconds: int
    p90_seconds: int
    total_working_seconds: int
    share_of_delay_percent: float
    overdue: int
    escalations: int
    def __init__(self, dimension: _Optional[str] = ..., policy_id: _Optional[str] = ..., stage_id: _Optional[str] = ..., step_id: _Optional[str] = ..., step_name: _Optional[str] = ..., department_id: _Optional[str] = ..., approver: _Optional[str] = ..., count: _Optional[int] = ..., median_working_seconds: _Optional[int] = ..., p90_working_seconds: _Optional[int] = ..., median_seconds: _Optional[int] = ..., p90_seconds: _Optional[int] = ..., total_working_seconds: _Optional[int] = ..., share_of_delay_percent: _Optional[float] = ..., overdue: _Optional[int] = ..., escalations: _Optional[int] = ...) -> None: ...

class GetBottleneckReportResponse(_message.Message):
    __slots__ = ("rows", "tasks", "total_working_seconds", "total_seconds")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_WORKING_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[BottleneckRow]
    tasks: int
    total_working_seconds: int
    total_seconds: int
    def __init__(self, rows: _Optional[_Iterable[_Union[BottleneckRow, _Mapping]]] = ..., tasks: _Optional[int] = ..., total_working_seconds: _Optional[int] = ..., total_seconds: _Optional[int] = ...) -> None: ...
