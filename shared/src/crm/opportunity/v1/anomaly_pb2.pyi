import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AnomalyFlag(_message.Message):
    __slots__ = ("flag_id", "kind", "rep_id", "rep_name", "subject_type", "subject_id", "title", "evidence_json", "raised_at", "state", "dismissed_by", "dismissed_at", "reason")
    FLAG_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    REP_NAME_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_JSON_FIELD_NUMBER: _ClassVar[int]
    RAISED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DISMISSED_BY_FIELD_NUMBER: _ClassVar[int]
    DISMISSED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    flag_id: str
    kind: str
    rep_id: str
    rep_name: str
    subject_type: str
    subject_id: str
    title: str
    evidence_json: str
    raised_at: _timestamp_pb2.Timestamp
    state: str
    dismissed_by: str
    dismissed_at: _timestamp_pb2.Timestamp
    reason: str
    def __init__(self, flag_id: _Optional[str] = ..., kind: _Optional[str] = ..., rep_id: _Optional[str] = ..., rep_name: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., title: _Optional[str] = ..., evidence_json: _Optional[str] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[str] = ..., dismissed_by: _Optional[str] = ..., dismissed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class ListAnomalyFlagsRequest(_message.Message):
    __slots__ = ("state", "rep_id", "kind")
    STATE_FIELD_NUMBER: _ClassVar[int]
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    state: str
    rep_id: str
    kind: str
    def __init__(self, state: _Optional[str] = ..., rep_id: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class ListAnomalyFlagsResponse(_message.Message):
    __slots__ = ("flags",)
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    flags: _containers.RepeatedCompositeFieldContainer[AnomalyFlag]
    def __init__(self, flags: _Optional[_Iterable[_Union[AnomalyFlag, _Mapping]]] = ...) -> None: ...

class DismissAnomalyFlagRequest(_message.Message):
    __slots__ = ("flag_id", "reason")
    FLAG_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    flag_id: str
    reason: str
    def __init__(self, flag_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DismissAnomalyFlagResponse(_message.Message):
    __slots__ = ("flag",)
    FLAG_FIELD_NUMBER: _ClassVar[int]
    flag: AnomalyFlag
    def __init__(self, flag: _Optional[_Union[AnomalyFlag, _Mapping]] = ...) -> None: ...

class ScanAnomaliesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ScanAnomaliesResponse(_message.Message):
    __slots__ = ("raised",)
    RAISED_FIELD_NUMBER: _ClassVar[int]
    raised: _containers.RepeatedCompositeFieldContainer[KindCount]
    def __init__(self, raised: _Optional[_Iterable[_Union[KindCount, _Mapping]]] = ...) -> None: ...

class KindCount(_message.Message):
    __slots__ = ("kind", "count")
    KIND_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    kind: str
    count: int
    def __init__(self, kind: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class GetAnomalySettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AnomalySettings(_message.Message):
    __slots__ = ("version", "thresholds_json")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    THRESHOLDS_JSON_FIELD_NUMBER: _ClassVar[int]
    version: int
    thresholds_json: str
    def __init__(self, version: _Optional[int] = ..., thresholds_json: _Optional[str] = ...) -> None: ...

class GetAnomalySettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: AnomalySettings
    def __init__(self, settings: _Optional[_Union[AnomalySettings, _Mapping]] = ...) -> None: ...

class PutAnomalySettingsRequest(_message.Message):
    __slots__ = ("version", "thresholds_json")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    THRESHOLDS_JSON_FIELD_NUMBER: _ClassVar[int]
    version: int
    thresholds_json: str
    def __init__(self, version: _Optional[int] = ..., thresholds_json: _Optional[str] = ...) -> None: ...

class PutAnomalySettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: AnomalySettings
    def __init__(self, settings: _Optional[_Union[AnomalySettings, _Mapping]] = ...) -> None: ...
