import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EcnTask(_message.Message):
    __slots__ = ("task_id", "ecn_id", "opportunity_id", "contract_id", "owner_id", "title", "due_at", "state", "answer", "answer_note", "overdue", "completed_at", "completed_by", "escalated_at")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    ECN_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    ANSWER_NOTE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_BY_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    ecn_id: str
    opportunity_id: str
    contract_id: str
    owner_id: str
    title: str
    due_at: _timestamp_pb2.Timestamp
    state: str
    answer: str
    answer_note: str
    overdue: bool
    completed_at: _timestamp_pb2.Timestamp
    completed_by: str
    escalated_at: _timestamp_pb2.Timestamp
    def __init__(self, task_id: _Optional[str] = ..., ecn_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., title: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[str] = ..., answer: _Optional[str] = ..., answer_note: _Optional[str] = ..., overdue: bool = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_by: _Optional[str] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListEcnTasksRequest(_message.Message):
    __slots__ = ("ecn_id",)
    ECN_ID_FIELD_NUMBER: _ClassVar[int]
    ecn_id: str
    def __init__(self, ecn_id: _Optional[str] = ...) -> None: ...

class ListEcnTasksResponse(_message.Message):
    __slots__ = ("tasks", "confirmed", "outstanding", "overdue")
    TASKS_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDING_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[EcnTask]
    confirmed: int
    outstanding: int
    overdue: int
    def __init__(self, tasks: _Optional[_Iterable[_Union[EcnTask, _Mapping]]] = ..., confirmed: _Optional[int] = ..., outstanding: _Optional[int] = ..., overdue: _Optional[int] = ...) -> None: ...

class AnswerEcnTaskRequest(_message.Message):
    __slots__ = ("task_id", "answer", "note")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    answer: str
    note: str
    def __init__(self, task_id: _Optional[str] = ..., answer: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class AnswerEcnTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: EcnTask
    def __init__(self, task: _Optional[_Union[EcnTask, _Mapping]] = ...) -> None: ...
