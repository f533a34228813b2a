import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class IntentSignal(_message.Message):
    __slots__ = ("name", "condition")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONDITION_FIELD_NUMBER: _ClassVar[int]
    name: str
    condition: str
    def __init__(self, name: _Optional[str] = ..., condition: _Optional[str] = ...) -> None: ...

class HighIntentRule(_message.Message):
    __slots__ = ("min_signals", "window_days", "signals")
    MIN_SIGNALS_FIELD_NUMBER: _ClassVar[int]
    WINDOW_DAYS_FIELD_NUMBER: _ClassVar[int]
    SIGNALS_FIELD_NUMBER: _ClassVar[int]
    min_signals: int
    window_days: int
    signals: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, min_signals: _Optional[int] = ..., window_days: _Optional[int] = ..., signals: _Optional[_Iterable[str]] = ...) -> None: ...

class IntentSettings(_message.Message):
    __slots__ = ("version", "signals", "rule", "proposal_hours", "proposal_doc_types", "updated_by")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SIGNALS_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_HOURS_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_DOC_TYPES_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    version: int
    signals: _containers.RepeatedCompositeFieldContainer[IntentSignal]
    rule: HighIntentRule
    proposal_hours: int
    proposal_doc_types: _containers.RepeatedScalarFieldContainer[str]
    updated_by: str
    def __init__(self, version: _Optional[int] = ..., signals: _Optional[_Iterable[_Union[IntentSignal, _Mapping]]] = ..., rule: _Optional[_Union[HighIntentRule, _Mapping]] = ..., proposal_hours: _Optional[int] = ..., proposal_doc_types: _Optional[_Iterable[str]] = ..., updated_by: _Optional[str] = ...) -> None: ...

class SignalHit(_message.Message):
    __slots__ = ("name", "activity_id", "occurred_at")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    name: str
    activity_id: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., activity_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ToolEntry(_message.Message):
    __slots__ = ("document_id", "title", "tags")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    title: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, document_id: _Optional[str] = ..., title: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class Countdown(_message.Message):
    __slots__ = ("due_at", "state")
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    due_at: _timestamp_pb2.Timestamp
    state: str
    def __init__(self, due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[str] = ...) -> None: ...

class HighIntent(_message.Message):
    __slots__ = ("customer_id", "customer_name", "opportunity_id", "owner_id", "entered_at", "signals", "countdown", "tool_pack", "opportunity_name")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    ENTERED_AT_FIELD_NUMBER: _ClassVar[int]
    SIGNALS_FIELD_NUMBER: _ClassVar[int]
    COUNTDOWN_FIELD_NUMBER: _ClassVar[int]
    TOOL_PACK_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_NAME_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    customer_name: str
    opportunity_id: str
    owner_id: str
    entered_at: _timestamp_pb2.Timestamp
    signals: _containers.RepeatedCompositeFieldContainer[SignalHit]
    countdown: Countdown
    tool_pack: _containers.RepeatedCompositeFieldContainer[ToolEntry]
    opportunity_name: str
    def __init__(self, customer_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., entered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., signals: _Optional[_Iterable[_Union[SignalHit, _Mapping]]] = ..., countdown: _Optional[_Union[Countdown, _Mapping]] = ..., tool_pack: _Optional[_Iterable[_Union[ToolEntry, _Mapping]]] = ..., opportunity_name: _Optional[str] = ...) -> None: ...

class GetIntentSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetIntentSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: IntentSettings
    def __init__(self, settings: _Optional[_Union[IntentSettings, _Mapping]] = ...) -> None: ...

class PutIntentSettingsRequest(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: IntentSettings
    def __init__(self, settings: _Optional[_Union[IntentSettings, _Mapping]] = ...) -> None: ...

class PutIntentSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: IntentSettings
    def __init__(self, settings: _Optional[_Union[IntentSettings, _Mapping]] = ...) -> None: ...

class GetCustomerIntentRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class GetCustomerIntentResponse(_message.Message):
    __slots__ = ("high_intent", "episode", "signals")
    HIGH_INTENT_FIELD_NUMBER: _ClassVar[int]
    EPISODE_FIELD_NUMBER: _ClassVar[int]
    SIGNALS_FIELD_NUMBER: _ClassVar[int]
    high_intent: bool
    episode: HighIntent
    signals: _containers.RepeatedCompositeFieldContainer[SignalHit]
    def __init__(self, high_intent: bool = ..., episode: _Optional[_Union[HighIntent, _Mapping]] = ..., signals: _Optional[_Iterable[_Union[SignalHit, _Mapping]]] = ...) -> None: ...

class ListHighIntentsRequest(_message.Message):
    __slots__ = ("state", "owner_id", "team")
    STATE_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    state: str
    owner_id: str
    team: str
    def __init__(self, state: _Optional[str] = ..., owner_id: _Optional[str] = ..., team: _Optional[str] = ...) -> None: ...

class ListHighIntentsResponse(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[HighIntent]
    def __init__(self, items: _Optional[_Iterable[_Union[HighIntent, _Mapping]]] = ...) -> None: ...

class RecordIntentActionRequest(_message.Message):
    __slots__ = ("customer_id", "action", "opportunity_id", "note")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    action: str
    opportunity_id: str
    note: str
    def __init__(self, customer_id: _Optional[str] = ..., action: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RecordIntentActionResponse(_message.Message):
    __slots__ = ("activity_id", "kind", "occurred_at")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    kind: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, activity_id: _Optional[str] = ..., kind: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetIntentConversionRequest(_message.Message):
    __slots__ = ("period_start", "period_end", "group_by")
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    period_start: _timestamp_pb2.Timestamp
    period_end: _timestamp_pb2.Timestamp
    group_by: str
    def __init__(self, period_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., group_by: _Optional[str] = ...) -> None: ...

class ConversionRow(_message.Message):
    __slots__ = ("key", "entered", "won", "rate")
    KEY_FIELD_NUMBER: _ClassVar[int]
    ENTERED_FIELD_NUMBER: _ClassVar[int]
    WON_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    key: str
    entered: int
    won: int
    rate: float
    def __init__(self, key: _Optional[str] = ..., entered: _Optional[int] = ..., won: _Optional[int] = ..., rate: _Optional[float] = ...) -> None: ...

class GetIntentConversionResponse(_message.Message):
    __slots__ = ("items", "total")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[ConversionRow]
    total: ConversionRow
    def __init__(self, items: _Optional[_Iterable[_Union[ConversionRow, _Mapping]]] = ..., total: _Optional[_Union[ConversionRow, _Mapping]] = ...) -> None: ...
