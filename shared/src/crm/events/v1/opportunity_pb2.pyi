import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OpportunityCreated(_message.Message):
    __slots__ = ("opportunity_id", "customer_id", "customer_name", "name", "owner_id", "lead_id", "amount", "partner_org_id", "registration_id")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    customer_id: str
    customer_name: str
    name: str
    owner_id: str
    lead_id: str
    amount: _common_pb2.Money
    partner_org_id: str
    registration_id: str
    def __init__(self, opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., name: _Optional[str] = ..., owner_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., partner_org_id: _Optional[str] = ..., registration_id: _Optional[str] = ...) -> None: ...

class OpportunityApprovalRecorded(_message.Message):
    __slots__ = ("opportunity_id", "approval_id", "decision", "kind")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    approval_id: str
    decision: str
    kind: str
    def __init__(self, opportunity_id: _Optional[str] = ..., approval_id: _Optional[str] = ..., decision: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class ActivityLogged(_message.Message):
    __slots__ = ("activity_id", "customer_id", "opportunity_id", "lead_id", "kind", "actor_id", "occurred_at")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    customer_id: str
    opportunity_id: str
    lead_id: str
    kind: str
    actor_id: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, activity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., kind: _Optional[str] = ..., actor_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpportunityStageChanged(_message.Message):
    __slots__ = ("opportunity_id", "pipeline_id", "from_stage", "to_stage", "actor_id")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_STAGE_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    pipeline_id: str
    from_stage: str
    to_stage: str
    actor_id: str
    def __init__(self, opportunity_id: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., from_stage: _Optional[str] = ..., to_stage: _Optional[str] = ..., actor_id: _Optional[str] = ...) -> None: ...

class OpportunityClosed(_message.Message):
    __slots__ = ("opportunity_id", "customer_id", "lead_id", "owner_id", "outcome", "reason", "amount", "latitude", "longitude", "province", "city", "district", "closed_at", "product_line")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    customer_id: str
    lead_id: str
    owner_id: str
    outcome: str
    reason: str
    amount: _common_pb2.Money
    latitude: float
    longitude: float
    province: str
    city: str
    district: str
    closed_at: _timestamp_pb2.Timestamp
    product_line: str
    def __init__(self, opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., outcome: _Optional[str] = ..., reason: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., province: _Optional[str] = ..., city: _Optional[str] = ..., district: _Optional[str] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., product_line: _Optional[str] = ...) -> None: ...

class OpportunityDeliveryRecorded(_message.Message):
    __slots__ = ("delivery_id", "opportunity_id", "contract_id", "kind", "on", "recorded_by")
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    opportunity_id: str
    contract_id: str
    kind: str
    on: str
    recorded_by: str
    def __init__(self, delivery_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., kind: _Optional[str] = ..., on: _Optional[str] = ..., recorded_by: _Optional[str] = ...) -> None: ...
