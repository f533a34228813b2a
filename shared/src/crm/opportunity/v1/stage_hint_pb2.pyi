import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UnmetGate(_message.Message):
    __slots__ = ("gate", "description")
    GATE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    gate: str
    description: str
    def __init__(self, gate: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class StageHint(_message.Message):
    __slots__ = ("hint_id", "opportunity_id", "customer_id", "activity_id", "tag", "suggested_stage", "words", "state", "unmet", "created_at", "decided_at", "decided_by")
    HINT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_STAGE_FIELD_NUMBER: _ClassVar[int]
    WORDS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    UNMET_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    hint_id: str
    opportunity_id: str
    customer_id: str
    activity_id: str
    tag: str
    suggested_stage: str
    words: _containers.RepeatedScalarFieldContainer[str]
    state: str
    unmet: _containers.RepeatedCompositeFieldContainer[UnmetGate]
    created_at: _timestamp_pb2.Timestamp
    decided_at: _timestamp_pb2.Timestamp
    decided_by: str
    def __init__(self, hint_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., activity_id: _Optional[str] = ..., tag: _Optional[str] = ..., suggested_stage: _Optional[str] = ..., words: _Optional[_Iterable[str]] = ..., state: _Optional[str] = ..., unmet: _Optional[_Iterable[_Union[UnmetGate, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_by: _Optional[str] = ...) -> None: ...

class HintRule(_message.Message):
    __slots__ = ("tag", "stage", "pipeline_id")
    TAG_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    tag: str
    stage: str
    pipeline_id: str
    def __init__(self, tag: _Optional[str] = ..., stage: _Optional[str] = ..., pipeline_id: _Optional[str] = ...) -> None: ...

class StageHintSettings(_message.Message):
    __slots__ = ("version", "auto_move", "rules", "max_age_days")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    AUTO_MOVE_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    MAX_AGE_DAYS_FIELD_NUMBER: _ClassVar[int]
    version: int
    auto_move: bool
    rules: _containers.RepeatedCompositeFieldContainer[HintRule]
    max_age_days: int
    def __init__(self, version: _Optional[int] = ..., auto_move: bool = ..., rules: _Optional[_Iterable[_Union[HintRule, _Mapping]]] = ..., max_age_days: _Optional[int] = ...) -> None: ...

class ListStageHintsRequest(_message.Message):
    __slots__ = ("opportunity_id",)
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    def __init__(self, opportunity_id: _Optional[str] = ...) -> None: ...

class ListStageHintsResponse(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[StageHint]
    def __init__(self, items: _Optional[_Iterable[_Union[StageHint, _Mapping]]] = ...) -> None: ...

class ApplyStageHintRequest(_message.Message):
    __slots__ = ("opportunity_id", "hint_id")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    HINT_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    hint_id: str
    def __init__(self, opportunity_id: _Optional[str] = ..., hint_id: _Optional[str] = ...) -> None: ...

class ApplyStageHintResponse(_message.Message):
    __slots__ = ("hint",)
    HINT_FIELD_NUMBER: _ClassVar[int]
    hint: StageHint
    def __init__(self, hint: _Optional[_Union[StageHint, _Mapping]] = ...) -> None: ...

class DismissStageHintRequest(_message.Message):
    __slots__ = ("opportunity_id", "hint_id")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    HINT_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    hint_id: str
    def __init__(self, opportunity_id: _Optional[str] = ..., hint_id: _Optional[str] = ...) -> None: ...

class DismissStageHintResponse(_message.Message):
    __slots__ = ("hint",)
    HINT_FIELD_NUMBER: _ClassVar[int]
    hint: StageHint
    def __init__(self, hint: _Optional[_Union[StageHint, _Mapping]] = ...) -> None: ...

class GetStageHintSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetStageHintSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: StageHintSettings
    def __init__(self, settings: _Optional[_Union[StageHintSettings, _Mapping]] = ...) -> None: ...

class PutStageHintSettingsRequest(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: StageHintSettings
    def __init__(self, settings: _Optional[_Union[StageHintSettings, _Mapping]] = ...) -> None: ...

class PutStageHintSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: StageHintSettings
    def __init__(self, settings: _Optional[_Union[StageHintSettings, _Mapping]] = ...) -> None: ...
