import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CustomerValueTierChanged(_message.Message):
    __slots__ = ("customer_id", "tier", "previous_tier", "score", "reason", "settings_version", "computed_at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_TIER_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_VERSION_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    tier: str
    previous_tier: str
    score: float
    reason: str
    settings_version: int
    computed_at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., tier: _Optional[str] = ..., previous_tier: _Optional[str] = ..., score: _Optional[float] = ..., reason: _Optional[str] = ..., settings_version: _Optional[int] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CustomerHealthAlertRaised(_message.Message):
    __slots__ = ("customer_id", "period", "owner_id", "on_time_rate_bp", "consultations")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    CONSULTATIONS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    period: str
    owner_id: str
    on_time_rate_bp: _containers.RepeatedScalarFieldContainer[int]
    consultations: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, customer_id: _Optional[str] = ..., period: _Optional[str] = ..., owner_id: _Optional[str] = ..., on_time_rate_bp: _Optional[_Iterable[int]] = ..., consultations: _Optional[_Iterable[int]] = ...) -> None: ...
