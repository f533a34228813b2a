from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class CustomerReassigned(_message.Message):
    __slots__ = ("customer_ids", "from_owner_id", "to_owner_id", "actor_id", "opportunities", "open_tasks", "notes")
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    FROM_OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITIES_FIELD_NUMBER: _ClassVar[int]
    OPEN_TASKS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    from_owner_id: str
    to_owner_id: str
    actor_id: str
    opportunities: int
    open_tasks: int
    notes: int
    def __init__(self, customer_ids: _Optional[_Iterable[str]] = ..., from_owner_id: _Optional[str] = ..., to_owner_id: _Optional[str] = ..., actor_id: _Optional[str] = ..., opportunities: _Optional[int] = ..., open_tasks: _Optional[int] = ..., notes: _Optional[int] = ...) -> None: ...

class CustomerServiceRequested(_message.Message):
    __slots__ = ("request_id", "customer_id", "summary")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    customer_id: str
    summary: str
    def __init__(self, request_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., summary: _Optional[str] = ...) -> None: ...
