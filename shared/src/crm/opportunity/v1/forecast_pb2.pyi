import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReliabilityBin(_message.Message):
    __slots__ = ("mean_predicted", "fraction_won", "count")
    MEAN_PREDICTED_FIELD_NUMBER: _ClassVar[int]
    FRACTION_WON_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    mean_predicted: float
    fraction_won: float
    count: int
    def __init__(self, mean_predicted: _Optional[float] = ..., fraction_won: _Optional[float] = ..., count: _Optional[int] = ...) -> None: ...

class PredictorScores(_message.Message):
    __slots__ = ("predictor", "brier", "log_loss", "curve")
    PREDICTOR_FIELD_NUMBER: _ClassVar[int]
    BRIER_FIELD_NUMBER: _ClassVar[int]
    LOG_LOSS_FIELD_NUMBER: _ClassVar[int]
    CURVE_FIELD_NUMBER: _ClassVar[int]
    predictor: str
    brier: float
    log_loss: float
    curve: _containers.RepeatedCompositeFieldContainer[ReliabilityBin]
    def __init__(self, predictor: _Optional[str] = ..., brier: _Optional[float] = ..., log_loss: _Optional[float] = ..., curve: _Optional[_Iterable[_Union[ReliabilityBin, _Mapping]]] = ...) -> None: ...

class WinModelReport(_message.Message):
    __slots__ = ("model_version", "trained_at", "trained_by", "duration_ms", "method", "train_opportunities", "train_rows", "holdout_opportunities", "holdout_rows", "holdout_won_share", "scores", "scored")
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    TRAINED_AT_FIELD_NUMBER: _ClassVar[int]
    TRAINED_BY_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    TRAIN_OPPORTUNITIES_FIELD_NUMBER: _ClassVar[int]
    TRAIN_ROWS_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_OPPORTUNITIES_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_ROWS_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_WON_SHARE_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    SCORED_FIELD_NUMBER: _ClassVar[int]
    model_version: int
    trained_at: _timestamp_pb2.Timestamp
    trained_by: str
    duration_ms: int
    method: str
    train_opportunities: int
    train_rows: int
    holdout_opportunities: int
    holdout_rows: int
    holdout_won_share: float
    scores: _containers.RepeatedCompositeFieldContainer[PredictorScores]
    scored: int
    def __init__(self, model_version: _Optional[int] = ..., trained_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., trained_by: _Optional[str] = ..., duration_ms: _Optional[int] = ..., method: _Optional[str] = ..., train_opportunities: _Optional[int] = ..., train_rows: _Optional[int] = ..., holdout_opportunities: _Optional[int] = ..., holdout_rows: _Optional[int] = ..., holdout_won_share: _Optional[float] = ..., scores: _Optional[_Iterable[_Union[PredictorScores, _Mapping]]] = ..., scored: _Optional[int] = ...) -> None: ...

class WinProbability(_message.Message):
    __slots__ = ("opportunity_id", "owner_id", "stage", "stage_probability", "model_probability", "manual_probability", "probability", "source", "rating", "model_version")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    STAGE_PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    MODEL_PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    MANUAL_PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    owner_id: str
    stage: str
    stage_probability: int
    model_probability: int
    manual_probability: int
    probability: int
    source: str
    rating: str
    model_version: int
    def __init__(self, opportunity_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., stage: _Optional[str] = ..., stage_probability: _Optional[int] = ..., model_probability: _Optional[int] = ..., manual_probability: _Optional[int] = ..., probability: _Optional[int] = ..., source: _Optional[str] = ..., rating: _Optional[str] = ..., model_version: _Optional[int] = ...) -> None: ...

class TrainWinModelRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TrainWinModelResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: WinModelReport
    def __init__(self, report: _Optional[_Union[WinModelReport, _Mapping]] = ...) -> None: ...

class GetWinModelReportRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetWinModelReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: WinModelReport
    def __init__(self, report: _Optional[_Union[WinModelReport, _Mapping]] = ...) -> None: ...

class GetWinProbabilityRequest(_message.Message):
    __slots__ = ("opportunity_id",)
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    def __init__(self, opportunity_id: _Optional[str] = ...) -> None: ...

class GetWinProbabilityResponse(_message.Message):
    __slots__ = ("probability",)
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    probability: WinProbability
    def __init__(self, probability: _Optional[_Union[WinProbability, _Mapping]] = ...) -> None: ...

class ListScoredOpportunitiesRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListScoredOpportunitiesResponse(_message.Message):
    __slots__ = ("items", "next_page_token")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[WinProbability]
    next_page_token: str
    def __init__(self, items: _Optional[_Iterable[_Union[WinProbability, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SetManualProbabilityRequest(_message.Message):
    __slots__ = ("opportunity_id", "probability", "clear")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    CLEAR_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    probability: int
    clear: bool
    def __init__(self, opportunity_id: _Optional[str] = ..., probability: _Optional[int] = ..., clear: bool = ...) -> None: ...

class SetManualProbabilityResponse(_message.Message):
    __slots__ = ("probability",)
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    probability: WinProbability
    def __init__(self, probability: _Optional[_Union[WinProbability, _Mapping]] = ...) -> None: ...

class ForecastCell(_message.Message):
    __slots__ = ("key", "count", "amount", "expected", "commit", "best_case", "pipeline")
    KEY_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    COMMIT_FIELD_NUMBER: _ClassVar[int]
    BEST_CASE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    key: _containers.RepeatedScalarFieldContainer[str]
    count: int
    amount: _common_pb2.Money
    expected: _common_pb2.Money
    commit: _common_pb2.Money
    best_case: _common_pb2.Money
    pipeline: _common_pb2.Money
    def __init__(self, key: _Optional[_Iterable[str]] = ..., count: _Optional[int] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., expected: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., commit: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., best_case: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., pipeline: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class GetForecastRequest(_message.Message):
    __slots__ = ("group_by", "from_month", "to_month")
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    FROM_MONTH_FIELD_NUMBER: _ClassVar[int]
    TO_MONTH_FIELD_NUMBER: _ClassVar[int]
    group_by: str
    from_month: str
    to_month: str
    def __init__(self, group_by: _Optional[str] = ..., from_month: _Optional[str] = ..., to_month: _Optional[str] = ...) -> None: ...

class GetForecastResponse(_message.Message):
    __slots__ = ("group_by", "cells", "totals")
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    CELLS_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    group_by: str
    cells: _containers.RepeatedCompositeFieldContainer[ForecastCell]
    totals: _containers.RepeatedCompositeFieldContainer[ForecastCell]
    def __init__(self, group_by: _Optional[str] = ..., cells: _Optional[_Iterable[_Union[ForecastCell, _Mapping]]] = ..., totals: _Optional[_Iterable[_Union[ForecastCell, _Mapping]]] = ...) -> None: ...

class GetForecastMatrixRequest(_message.Message):
    __slots__ = ("from_month", "to_month")
    FROM_MONTH_FIELD_NUMBER: _ClassVar[int]
    TO_MONTH_FIELD_NUMBER: _ClassVar[int]
    from_month: str
    to_month: str
    def __init__(self, from_month: _Optional[str] = ..., to_month: _Optional[str] = ...) -> None: ...

class GetForecastMatrixResponse(_message.Message):
    __slots__ = ("regions", "product_lines", "cells", "totals")
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINES_FIELD_NUMBER: _ClassVar[int]
    CELLS_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    regions: _containers.RepeatedScalarFieldContainer[str]
    product_lines: _containers.RepeatedScalarFieldContainer[str]
    cells: _containers.RepeatedCompositeFieldContainer[ForecastCell]
    totals: _containers.RepeatedCompositeFieldContainer[ForecastCell]
    def __init__(self, regions: _Optional[_Iterable[str]] = ..., product_lines: _Optional[_Iterable[str]] = ..., cells: _Optional[_Iterable[_Union[ForecastCell, _Mapping]]] = ..., totals: _Optional[_Iterable[_Union[ForecastCell, _Mapping]]] = ...) -> None: ...

class WinModelSettings(_message.Message):
    __slots__ = ("version", "high_min", "medium_min", "half_life_days")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    HIGH_MIN_FIELD_NUMBER: _ClassVar[int]
    MEDIUM_MIN_FIELD_NUMBER: _ClassVar[int]
    HALF_LIFE_DAYS_FIELD_NUMBER: _ClassVar[int]
    version: int
    high_min: int
    medium_min: int
    half_life_days: int
    def __init__(self, version: _Optional[int] = ..., high_min: _Optional[int] = ..., medium_min: _Optional[int] = ..., half_life_days: _Optional[int] = ...) -> None: ...

class GetWinModelSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetWinModelSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: WinModelSettings
    def __init__(self, settings: _Optional[_Union[WinModelSettings, _Mapping]] = ...) -> None: ...

class PutWinModelSettingsRequest(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: WinModelSettings
    def __init__(self, settings: _Optional[_Union[WinModelSettings, _Mapping]] = ...) -> None: ...

class PutWinModelSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: WinModelSettings
    def __init__(self, settings: _Optional[_Union[WinModelSettings, _Mapping]] = ...) -> None: ...
