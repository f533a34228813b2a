import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from crm.opportunity.v1 import opportunity_pb2 as _opportunity_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Gate(_message.Message):
    __slots__ = ("required_fields", "required_documents", "requires_approval", "approval_kinds")
    REQUIRED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_APPROVAL_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_KINDS_FIELD_NUMBER: _ClassVar[int]
    required_fields: _containers.RepeatedScalarFieldContainer[str]
    required_documents: _containers.RepeatedScalarFieldContainer[str]
    requires_approval: bool
    approval_kinds: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, required_fields: _Optional[_Iterable[str]] = ..., required_documents: _Optional[_Iterable[str]] = ..., requires_approval: bool = ..., approval_kinds: _Optional[_Iterable[str]] = ...) -> None: ...

class Stage(_message.Message):
    __slots__ = ("name", "probability", "forecast_category", "gate", "max_days", "playbook")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    FORECAST_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    GATE_FIELD_NUMBER: _ClassVar[int]
    MAX_DAYS_FIELD_NUMBER: _ClassVar[int]
    PLAYBOOK_FIELD_NUMBER: _ClassVar[int]
    name: str
    probability: int
    forecast_category: str
    gate: Gate
    max_days: int
    playbook: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., probability: _Optional[int] = ..., forecast_category: _Optional[str] = ..., gate: _Optional[_Union[Gate, _Mapping]] = ..., max_days: _Optional[int] = ..., playbook: _Optional[_Iterable[str]] = ...) -> None: ...

class Pipeline(_message.Message):
    __slots__ = ("pipeline_id", "tenant_id", "name", "product_line", "stages", "created_at", "updated_at")
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    pipeline_id: str
    tenant_id: str
    name: str
    product_line: str
    stages: _containers.RepeatedCompositeFieldContainer[Stage]
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, pipeline_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., product_line: _Optional[str] = ..., stages: _Optional[_Iterable[_Union[Stage, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreatePipelineRequest(_message.Message):
    __slots__ = ("name", "product_line", "stages")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    name: str
    product_line: str
    stages: _containers.RepeatedCompositeFieldContainer[Stage]
    def __init__(self, name: _Optional[str] = ..., product_line: _Optional[str] = ..., stages: _Optional[_Iterable[_Union[Stage, _Mapping]]] = ...) -> None: ...

class CreatePipelineResponse(_message.Message):
    __slots__ = ("pipeline",)
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    pipeline: Pipeline
    def __init__(self, pipeline: _Optional[_Union[Pipeline, _Mapping]] = ...) -> None: ...

class UpdatePipelineRequest(_message.Message):
    __slots__ = ("pipeline_id", "name", "product_line", "stages")
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    pipeline_id: str
    name: str
    product_line: str
    stages: _containers.RepeatedCompositeFieldContainer[Stage]
    def __init__(self, pipeline_id: _Optional[str] = ..., name: _Optional[str] = ..., product_line: _Optional[str] = ..., stages: _Optional[_Iterable[_Union[Stage, _Mapping]]] = ...) -> None: ...

class UpdatePipelineResponse(_message.Message):
    __slots__ = ("pipeline",)
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    pipeline: Pipeline
    def __init__(self, pipeline: _Optional[_Union[Pipeline, _Mapping]] = ...) -> None: ...

class GetPipelineRequest(_message.Message):
    __slots__ = ("pipeline_id",)
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    pipeline_id: str
    def __init__(self, pipeline_id: _Optional[str] = ...) -> None: ...

class GetPipelineResponse(_message.Message):
    __slots__ = ("pipeline",)
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    pipeline: Pipeline
    def __init__(self, pipeline: _Optional[_Union[Pipeline, _Mapping]] = ...) -> None: ...

class ListPipelinesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListPipelinesResponse(_message.Message):
    __slots__ = ("pipelines",)
    PIPELINES_FIELD_NUMBER: _ClassVar[int]
    pipelines: _containers.RepeatedCompositeFieldContainer[Pipeline]
    def __init__(self, pipelines: _Optional[_Iterable[_Union[Pipeline, _Mapping]]] = ...) -> None: ...

class PlaceOpportunityRequest(_message.Message):
    __slots__ = ("opportunity_id", "pipeline_id")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    pipeline_id: str
    def __init__(self, opportunity_id: _Optional[str] = ..., pipeline_id: _Optional[str] = ...) -> None: ...

class PlaceOpportunityResponse(_message.Message):
    __slots__ = ("opportunity",)
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    opportunity: _opportunity_pb2.Opportunity
    def __init__(self, opportunity: _Optional[_Union[_opportunity_pb2.Opportunity, _Mapping]] = ...) -> None: ...

class MoveStageRequest(_message.Message):
    __slots__ = ("opportunity_id", "stage")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    stage: str
    def __init__(self, opportunity_id: _Optional[str] = ..., stage: _Optional[str] = ...) -> None: ...

class MoveStageResponse(_message.Message):
    __slots__ = ("opportunity",)
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    opportunity: _opportunity_pb2.Opportunity
    def __init__(self, opportunity: _Optional[_Union[_opportunity_pb2.Opportunity, _Mapping]] = ...) -> None: ...

class CloseWonRequest(_message.Message):
    __slots__ = ("opportunity_id", "reason")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    reason: str
    def __init__(self, opportunity_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CloseWonResponse(_message.Message):
    __slots__ = ("opportunity",)
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    opportunity: _opportunity_pb2.Opportunity
    def __init__(self, opportunity: _Optional[_Union[_opportunity_pb2.Opportunity, _Mapping]] = ...) -> None: ...

class CloseLostRequest(_message.Message):
    __slots__ = ("opportunity_id", "reason")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    reason: str
    def __init__(self, opportunity_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CloseLostResponse(_message.Message):
    __slots__ = ("opportunity",)
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    opportunity: _opportunity_pb2.Opportunity
    def __init__(self, opportunity: _Optional[_Union[_opportunity_pb2.Opportunity, _Mapping]] = ...) -> None: ...

class ReopenRequest(_message.Message):
    __slots__ = ("opportunity_id",)
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    def __init__(self, opportunity_id: _Optional[str] = ...) -> None: ...

class ReopenResponse(_message.Message):
    __slots__ = ("opportunity",)
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    opportunity: _opportunity_pb2.Opportunity
    def __init__(self, opportunity: _Optional[_Union[_opportunity_pb2.Opportunity, _Mapping]] = ...) -> None: ...

class StageStay(_message.Message):
    __slots__ = ("stage", "pipeline_id", "entered_at", "left_at", "seconds", "entered_by", "entered_via", "left_via", "reason")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    ENTERED_AT_FIELD_NUMBER: _ClassVar[int]
    LEFT_AT_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    ENTERED_BY_FIELD_NUMBER: _ClassVar[int]
    ENTERED_VIA_FIELD_NUMBER: _ClassVar[int]
    LEFT_VIA_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    stage: str
    pipeline_id: str
    entered_at: _timestamp_pb2.Timestamp
    left_at: _timestamp_pb2.Timestamp
    seconds: int
    entered_by: str
    entered_via: str
    left_via: str
    reason: str
    def __init__(self, stage: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., entered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., left_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., seconds: _Optional[int] = ..., entered_by: _Optional[str] = ..., entered_via: _Optional[str] = ..., left_via: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class StageTime(_message.Message):
    __slots__ = ("stage", "seconds")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    stage: str
    seconds: int
    def __init__(self, stage: _Optional[str] = ..., seconds: _Optional[int] = ...) -> None: ...

class GetStageHistoryRequest(_message.Message):
    __slots__ = ("opportunity_id",)
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    def __init__(self, opportunity_id: _Optional[str] = ...) -> None: ...

class GetStageHistoryResponse(_message.Message):
    __slots__ = ("stays", "time_per_stage")
    STAYS_FIELD_NUMBER: _ClassVar[int]
    TIME_PER_STAGE_FIELD_NUMBER: _ClassVar[int]
    stays: _containers.RepeatedCompositeFieldContainer[StageStay]
    time_per_stage: _containers.RepeatedCompositeFieldContainer[StageTime]
    def __init__(self, stays: _Optional[_Iterable[_Union[StageStay, _Mapping]]] = ..., time_per_stage: _Optional[_Iterable[_Union[StageTime, _Mapping]]] = ...) -> None: ...

class GetBoardRequest(_message.Message):
    __slots__ = ("pipeline_id", "owner_id", "team", "region", "product_line")
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    pipeline_id: str
    owner_id: str
    team: str
    region: str
    product_line: str
    def __init__(self, pipeline_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., team: _Optional[str] = ..., region: _Optional[str] = ..., product_line: _Optional[str] = ...) -> None: ...

class BoardColumn(_message.Message):
    __slots__ = ("stage", "forecast_category", "count", "amount", "weighted_amount")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    FORECAST_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    WEIGHTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    stage: str
    forecast_category: str
    count: int
    amount: _common_pb2.Money
    weighted_amount: _common_pb2.Money
    def __init__(self, stage: _Optional[str] = ..., forecast_category: _Optional[str] = ..., count: _Optional[int] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., weighted_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class GetBoardResponse(_message.Message):
    __slots__ = ("pipeline_id", "columns", "won_count", "won_amount", "lost_count")
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    WON_COUNT_FIELD_NUMBER: _ClassVar[int]
    WON_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    LOST_COUNT_FIELD_NUMBER: _ClassVar[int]
    pipeline_id: str
    columns: _containers.RepeatedCompositeFieldContainer[BoardColumn]
    won_count: int
    won_amount: _common_pb2.Money
    lost_count: int
    def __init__(self, pipeline_id: _Optional[str] = ..., columns: _Optional[_Iterable[_Union[BoardColumn, _Mapping]]] = ..., won_count: _Optional[int] = ..., won_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., lost_count: _Optional[int] = ...) -> None: ...

class Task(_message.Message):
    __slots__ = ("task_id", "owner_id", "customer_id", "opportunity_id", "rule", "title", "due_at", "state", "created_at", "completed_at")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    owner_id: str
    customer_id: str
    opportunity_id: str
    rule: str
    title: str
    due_at: _timestamp_pb2.Timestamp
    state: str
    created_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, task_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., rule: _Optional[str] = ..., title: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListTasksRequest(_message.Message):
    __slots__ = ("state", "owner_id", "opportunity_id", "customer_id")
    STATE_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    state: str
    owner_id: str
    opportunity_id: str
    customer_id: str
    def __init__(self, state: _Optional[str] = ..., owner_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ...) -> None: ...

class ListTasksResponse(_message.Message):
    __slots__ = ("tasks",)
    TASKS_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[Task]
    def __init__(self, tasks: _Optional[_Iterable[_Union[Task, _Mapping]]] = ...) -> None: ...

class CompleteTaskRequest(_message.Message):
    __slots__ = ("task_id",)
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    def __init__(self, task_id: _Optional[str] = ...) -> None: ...

class CompleteTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: Task
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ...) -> None: ...
