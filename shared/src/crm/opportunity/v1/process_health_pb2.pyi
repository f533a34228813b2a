import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class IndicatorEvidence(_message.Message):
    __slots__ = ("opportunity_id", "stage", "recommended", "done", "customer_id", "fields", "kind", "task_id", "hours")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDED_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    HOURS_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    stage: str
    recommended: _containers.RepeatedScalarFieldContainer[str]
    done: _containers.RepeatedScalarFieldContainer[str]
    customer_id: str
    fields: _containers.RepeatedScalarFieldContainer[str]
    kind: str
    task_id: str
    hours: float
    def __init__(self, opportunity_id: _Optional[str] = ..., stage: _Optional[str] = ..., recommended: _Optional[_Iterable[str]] = ..., done: _Optional[_Iterable[str]] = ..., customer_id: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ..., kind: _Optional[str] = ..., task_id: _Optional[str] = ..., hours: _Optional[float] = ...) -> None: ...

class Indicator(_message.Message):
    __slots__ = ("name", "value_bp", "threshold_bp", "healthy", "numerator", "denominator", "evidence")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_BP_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_BP_FIELD_NUMBER: _ClassVar[int]
    HEALTHY_FIELD_NUMBER: _ClassVar[int]
    NUMERATOR_FIELD_NUMBER: _ClassVar[int]
    DENOMINATOR_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value_bp: int
    threshold_bp: int
    healthy: bool
    numerator: int
    denominator: int
    evidence: _containers.RepeatedCompositeFieldContainer[IndicatorEvidence]
    def __init__(self, name: _Optional[str] = ..., value_bp: _Optional[int] = ..., threshold_bp: _Optional[int] = ..., healthy: bool = ..., numerator: _Optional[int] = ..., denominator: _Optional[int] = ..., evidence: _Optional[_Iterable[_Union[IndicatorEvidence, _Mapping]]] = ...) -> None: ...

class RepPhi(_message.Message):
    __slots__ = ("rep_id", "indicators", "composite_bp", "saturation_warning")
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    COMPOSITE_BP_FIELD_NUMBER: _ClassVar[int]
    SATURATION_WARNING_FIELD_NUMBER: _ClassVar[int]
    rep_id: str
    indicators: _containers.RepeatedCompositeFieldContainer[Indicator]
    composite_bp: int
    saturation_warning: bool
    def __init__(self, rep_id: _Optional[str] = ..., indicators: _Optional[_Iterable[_Union[Indicator, _Mapping]]] = ..., composite_bp: _Optional[int] = ..., saturation_warning: bool = ...) -> None: ...

class TeamAverage(_message.Message):
    __slots__ = ("name", "value_bp")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_BP_FIELD_NUMBER: _ClassVar[int]
    name: str
    value_bp: int
    def __init__(self, name: _Optional[str] = ..., value_bp: _Optional[int] = ...) -> None: ...

class GetTeamPhiRequest(_message.Message):
    __slots__ = ("period", "team")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    period: str
    team: str
    def __init__(self, period: _Optional[str] = ..., team: _Optional[str] = ...) -> None: ...

class GetTeamPhiResponse(_message.Message):
    __slots__ = ("period", "reps", "team_average", "computed_at")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REPS_FIELD_NUMBER: _ClassVar[int]
    TEAM_AVERAGE_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    period: str
    reps: _containers.RepeatedCompositeFieldContainer[RepPhi]
    team_average: _containers.RepeatedCompositeFieldContainer[TeamAverage]
    computed_at: _timestamp_pb2.Timestamp
    def __init__(self, period: _Optional[str] = ..., reps: _Optional[_Iterable[_Union[RepPhi, _Mapping]]] = ..., team_average: _Optional[_Iterable[_Union[TeamAverage, _Mapping]]] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProcessHealthWeights(_message.Message):
    __slots__ = ("key_actions", "freshness", "collaboration")
    KEY_ACTIONS_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    COLLABORATION_FIELD_NUMBER: _ClassVar[int]
    key_actions: int
    freshness: int
    collaboration: int
    def __init__(self, key_actions: _Optional[int] = ..., freshness: _Optional[int] = ..., collaboration: _Optional[int] = ...) -> None: ...

class ProcessHealthSettings(_message.Message):
    __slots__ = ("version", "key_actions_min_bp", "freshness_min_bp", "collaboration_max_bp", "collaboration_baseline_hours", "freshness_days", "key_actions_warn_bp", "weights", "monthly_visit_target", "effective_call_seconds", "updated_by")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    KEY_ACTIONS_MIN_BP_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_MIN_BP_FIELD_NUMBER: _ClassVar[int]
    COLLABORATION_MAX_BP_FIELD_NUMBER: _ClassVar[int]
    COLLABORATION_BASELINE_HOURS_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_DAYS_FIELD_NUMBER: _ClassVar[int]
    KEY_ACTIONS_WARN_BP_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_VISIT_TARGET_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_CALL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    version: int
    key_actions_min_bp: int
    freshness_min_bp: int
    collaboration_max_bp: int
    collaboration_baseline_hours: int
    freshness_days: int
    key_actions_warn_bp: int
    weights: ProcessHealthWeights
    monthly_visit_target: int
    effective_call_seconds: int
    updated_by: str
    def __init__(self, version: _Optional[int] = ..., key_actions_min_bp: _Optional[int] = ..., freshness_min_bp: _Optional[int] = ..., collaboration_max_bp: _Optional[int] = ..., collaboration_baseline_hours: _Optional[int] = ..., freshness_days: _Optional[int] = ..., key_actions_warn_bp: _Optional[int] = ..., weights: _Optional[_Union[ProcessHealthWeights, _Mapping]] = ..., monthly_visit_target: _Optional[int] = ..., effective_call_seconds: _Optional[int] = ..., updated_by: _Optional[str] = ...) -> None: ...

class GetProcessHealthSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetProcessHealthSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: ProcessHealthSettings
    def __init__(self, settings: _Optional[_Union[ProcessHealthSettings, _Mapping]] = ...) -> None: ...

class PutProcessHealthSettingsRequest(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: ProcessHealthSettings
    def __init__(self, settings: _Optional[_Union[ProcessHealthSettings, _Mapping]] = ...) -> None: ...

class PutProcessHealthSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: ProcessHealthSettings
    def __init__(self, settings: _Optional[_Union[ProcessHealthSettings, _Mapping]] = ...) -> None: ...

class StageDays(_message.Message):
    __slots__ = ("stage", "days_tenths")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    DAYS_TENTHS_FIELD_NUMBER: _ClassVar[int]
    stage: str
    days_tenths: int
    def __init__(self, stage: _Optional[str] = ..., days_tenths: _Optional[int] = ...) -> None: ...

class KpiFigures(_message.Message):
    __slots__ = ("rep_id", "sales", "visits", "visit_target", "visit_rate_bp", "call_seconds", "effective_call_seconds", "effective_call_bp", "stage_days")
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    SALES_FIELD_NUMBER: _ClassVar[int]
    VISITS_FIELD_NUMBER: _ClassVar[int]
    VISIT_TARGET_FIELD_NUMBER: _ClassVar[int]
    VISIT_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    CALL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_CALL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_CALL_BP_FIELD_NUMBER: _ClassVar[int]
    STAGE_DAYS_FIELD_NUMBER: _ClassVar[int]
    rep_id: str
    sales: _containers.RepeatedCompositeFieldContainer[_common_pb2.Money]
    visits: int
    visit_target: int
    visit_rate_bp: int
    call_seconds: int
    effective_call_seconds: int
    effective_call_bp: int
    stage_days: _containers.RepeatedCompositeFieldContainer[StageDays]
    def __init__(self, rep_id: _Optional[str] = ..., sales: _Optional[_Iterable[_Union[_common_pb2.Money, _Mapping]]] = ..., visits: _Optional[int] = ..., visit_target: _Optional[int] = ..., visit_rate_bp: _Optional[int] = ..., call_seconds: _Optional[int] = ..., effective_call_seconds: _Optional[int] = ..., effective_call_bp: _Optional[int] = ..., stage_days: _Optional[_Iterable[_Union[StageDays, _Mapping]]] = ...) -> None: ...

class GetTeamKpiRequest(_message.Message):
    __slots__ = ("period", "team")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    period: str
    team: str
    def __init__(self, period: _Optional[str] = ..., team: _Optional[str] = ...) -> None: ...

class GetTeamKpiResponse(_message.Message):
    __slots__ = ("period", "reps", "team_average", "computed_at")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REPS_FIELD_NUMBER: _ClassVar[int]
    TEAM_AVERAGE_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    period: str
    reps: _containers.RepeatedCompositeFieldContainer[KpiFigures]
    team_average: KpiFigures
    computed_at: _timestamp_pb2.Timestamp
    def __init__(self, period: _Optional[str] = ..., reps: _Optional[_Iterable[_Union[KpiFigures, _Mapping]]] = ..., team_average: _Optional[_Union[KpiFigures, _Mapping]] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CustomerTypeFigures(_message.Message):
    __slots__ = ("customer_type", "closed", "won", "win_rate_bp", "won_amount")
    CUSTOMER_TYPE_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    WON_FIELD_NUMBER: _ClassVar[int]
    WIN_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    WON_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    customer_type: str
    closed: int
    won: int
    win_rate_bp: int
    won_amount: _containers.RepeatedCompositeFieldContainer[_common_pb2.Money]
    def __init__(self, customer_type: _Optional[str] = ..., closed: _Optional[int] = ..., won: _Optional[int] = ..., win_rate_bp: _Optional[int] = ..., won_amount: _Optional[_Iterable[_Union[_common_pb2.Money, _Mapping]]] = ...) -> None: ...

class StageConversion(_message.Message):
    __slots__ = ("stage", "entered", "reached_next", "rate_bp")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    ENTERED_FIELD_NUMBER: _ClassVar[int]
    REACHED_NEXT_FIELD_NUMBER: _ClassVar[int]
    RATE_BP_FIELD_NUMBER: _ClassVar[int]
    stage: str
    entered: int
    reached_next: int
    rate_bp: int
    def __init__(self, stage: _Optional[str] = ..., entered: _Optional[int] = ..., reached_next: _Optional[int] = ..., rate_bp: _Optional[int] = ...) -> None: ...

class SignalCount(_message.Message):
    __slots__ = ("signal", "count")
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    signal: str
    count: int
    def __init__(self, signal: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class GetRepProfileRequest(_message.Message):
    __slots__ = ("rep_id", "month")
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    rep_id: str
    month: str
    def __init__(self, rep_id: _Optional[str] = ..., month: _Optional[str] = ...) -> None: ...

class GetRepProfileResponse(_message.Message):
    __slots__ = ("rep_id", "month", "rep_customer_types", "team_customer_types", "rep_conversion", "team_conversion", "signals", "computed_at")
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    REP_CUSTOMER_TYPES_FIELD_NUMBER: _ClassVar[int]
    TEAM_CUSTOMER_TYPES_FIELD_NUMBER: _ClassVar[int]
    REP_CONVERSION_FIELD_NUMBER: _ClassVar[int]
    TEAM_CONVERSION_FIELD_NUMBER: _ClassVar[int]
    SIGNALS_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    rep_id: str
    month: str
    rep_customer_types: _containers.RepeatedCompositeFieldContainer[CustomerTypeFigures]
    team_customer_types: _containers.RepeatedCompositeFieldContainer[CustomerTypeFigures]
    rep_conversion: _containers.RepeatedCompositeFieldContainer[StageConversion]
    team_conversion: _containers.RepeatedCompositeFieldContainer[StageConversion]
    signals: _containers.RepeatedCompositeFieldContainer[SignalCount]
    computed_at: _timestamp_pb2.Timestamp
    def __init__(self, rep_id: _Optional[str] = ..., month: _Optional[str] = ..., rep_customer_types: _Optional[_Iterable[_Union[CustomerTypeFigures, _Mapping]]] = ..., team_customer_types: _Optional[_Iterable[_Union[CustomerTypeFigures, _Mapping]]] = ..., rep_conversion: _Optional[_Iterable[_Union[StageConversion, _Mapping]]] = ..., team_conversion: _Optional[_Iterable[_Union[StageConversion, _Mapping]]] = ..., signals: _Optional[_Iterable[_Union[SignalCount, _Mapping]]] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
