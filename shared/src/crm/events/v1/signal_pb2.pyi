import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TagHit(_message.Message):
    __slots__ = ("tag", "words")
    TAG_FIELD_NUMBER: _ClassVar[int]
    WORDS_FIELD_NUMBER: _ClassVar[int]
    tag: str
    words: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tag: _Optional[str] = ..., words: _Optional[_Iterable[str]] = ...) -> None: ...

class ActivityTagged(_message.Message):
    __slots__ = ("activity_id", "customer_id", "opportunity_id", "kind", "actor_id", "occurred_at", "tags", "source", "action")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    customer_id: str
    opportunity_id: str
    kind: str
    actor_id: str
    occurred_at: _timestamp_pb2.Timestamp
    tags: _containers.RepeatedCompositeFieldContainer[TagHit]
    source: str
    action: str
    def __init__(self, activity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., kind: _Optional[str] = ..., actor_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tags: _Optional[_Iterable[_Union[TagHit, _Mapping]]] = ..., source: _Optional[str] = ..., action: _Optional[str] = ...) -> None: ...
