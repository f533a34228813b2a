import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ApprovalDecision(_message.Message):
    __slots__ = ("approval_id", "decision", "decided_by", "decided_at", "kind")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    decision: str
    decided_by: str
    decided_at: _timestamp_pb2.Timestamp
    kind: str
    def __init__(self, approval_id: _Optional[str] = ..., decision: _Optional[str] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[str] = ...) -> None: ...

class Opportunity(_message.Message):
    __slots__ = ("opportunity_id", "tenant_id", "customer_id", "customer_name", "customer_credit_code", "name", "stage", "amount", "owner_id", "lead_id", "created_at", "approvals", "pipeline_id", "probability", "status", "forecast_category", "expected_close_date", "contract_end_date", "product_line", "decision_maker", "flags", "red", "close_reason", "closed_at", "stage_entered_at", "partner_org_id", "registration_id", "partner_protected", "partner_name")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    APPROVALS_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FORECAST_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_END_DATE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    DECISION_MAKER_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    RED_FIELD_NUMBER: _ClassVar[int]
    CLOSE_REASON_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    STAGE_ENTERED_AT_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_PROTECTED_FIELD_NUMBER: _ClassVar[int]
    PARTNER_NAME_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    tenant_id: str
    customer_id: str
    customer_name: str
    customer_credit_code: str
    name: str
    stage: str
    amount: _common_pb2.Money
    owner_id: str
    lead_id: str
    created_at: _timestamp_pb2.Timestamp
    approvals: _containers.RepeatedCompositeFieldContainer[ApprovalDecision]
    pipeline_id: str
    probability: int
    status: str
    forecast_category: str
    expected_close_date: str
    contract_end_date: str
    product_line: str
    decision_maker: str
    flags: _containers.RepeatedScalarFieldContainer[str]
    red: bool
    close_reason: str
    closed_at: _timestamp_pb2.Timestamp
    stage_entered_at: _timestamp_pb2.Timestamp
    partner_org_id: str
    registration_id: str
    partner_protected: bool
    partner_name: str
    def __init__(self, opportunity_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., customer_credit_code: _Optional[str] = ..., name: _Optional[str] = ..., stage: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., owner_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., approvals: _Optional[_Iterable[_Union[ApprovalDecision, _Mapping]]] = ..., pipeline_id: _Optional[str] = ..., probability: _Optional[int] = ..., status: _Optional[str] = ..., forecast_category: _Optional[str] = ..., expected_close_date: _Optional[str] = ..., contract_end_date: _Optional[str] = ..., product_line: _Optional[str] = ..., decision_maker: _Optional[str] = ..., flags: _Optional[_Iterable[str]] = ..., red: bool = ..., close_reason: _Optional[str] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., stage_entered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., partner_org_id: _Optional[str] = ..., registration_id: _Optional[str] = ..., partner_protected: bool = ..., partner_name: _Optional[str] = ...) -> None: ...

class CreateOpportunityRequest(_message.Message):
    __slots__ = ("customer_name", "customer_credit_code", "name", "amount", "owner_id", "pipeline_id", "expected_close_date", "product_line", "contract_end_date", "decision_maker")
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_END_DATE_FIELD_NUMBER: _ClassVar[int]
    DECISION_MAKER_FIELD_NUMBER: _ClassVar[int]
    customer_name: str
    customer_credit_code: str
    name: str
    amount: _common_pb2.Money
    owner_id: str
    pipeline_id: str
    expected_close_date: str
    product_line: str
    contract_end_date: str
    decision_maker: str
    def __init__(self, customer_name: _Optional[str] = ..., customer_credit_code: _Optional[str] = ..., name: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., owner_id: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., expected_close_date: _Optional[str] = ..., product_line: _Optional[str] = ..., contract_end_date: _Optional[str] = ..., decision_maker: _Optional[str] = ...) -> None: ...

class UpdateOpportunityRequest(_message.Message):
    __slots__ = ("opportunity_id", "name", "amount", "expected_close_date", "contract_end_date", "product_line", "decision_maker")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_END_DATE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    DECISION_MAKER_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    name: str
    amount: _common_pb2.Money
    expected_close_date: str
    contract_end_date: str
    product_line: str
    decision_maker: str
    def __init__(self, opportunity_id: _Optional[str] = ..., name: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., expected_close_date: _Optional[str] = ..., contract_end_date: _Optional[str] = ..., product_line: _Optional[str] = ..., decision_maker: _Optional[str] = ...) -> None: ...

class UpdateOpportunityResponse(_message.Message):
    __slots__ = ("opportunity",)
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    opportunity: Opportunity
    def __init__(self, opportunity: _Optional[_Union[Opportunity, _Mapping]] = ...) -> None: ...

class CreateOpportunityResponse(_message.Message):
    __slots__ = ("opportunity",)
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    opportunity: Opportunity
    def __init__(self, opportunity: _Optional[_Union[Opportunity, _Mapping]] = ...) -> None: ...

class GetOpportunityRequest(_message.Message):
    __slots__ = ("opportunity_id",)
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    def __init__(self, opportunity_id: _Optional[str] = ...) -> None: ...

class GetOpportunityResponse(_message.Message):
    __slots__ = ("opportunity",)
    OPPORTUNITY_FIELD_NUMBER: _ClassVar[int]
    opportunity: Opportunity
    def __init__(self, opportunity: _Optional[_Union[Opportunity, _Mapping]] = ...) -> None: ...

class ListOpportunitiesRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "lead_id", "pipeline_id", "stage", "status", "owner_id", "team", "region", "product_line", "customer_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    lead_id: str
    pipeline_id: str
    stage: str
    status: str
    owner_id: str
    team: str
    region: str
    product_line: str
    customer_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., lead_id: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., stage: _Optional[str] = ..., status: _Optional[str] = ..., owner_id: _Optional[str] = ..., team: _Optional[str] = ..., region: _Optional[str] = ..., product_line: _Optional[str] = ..., customer_id: _Optional[str] = ...) -> None: ...

class ListOpportunitiesResponse(_message.Message):
    __slots__ = ("opportunities", "next_page_token")
    OPPORTUNITIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    opportunities: _containers.RepeatedCompositeFieldContainer[Opportunity]
    next_page_token: str
    def __init__(self, opportunities: _Optional[_Iterable[_Union[Opportunity, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ("delivery_id", "opportunity_id", "contract_id", "kind", "on", "note", "recorded_by", "recorded_at")
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    opportunity_id: str
    contract_id: str
    kind: str
    on: str
    note: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, delivery_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., kind: _Optional[str] = ..., on: _Optional[str] = ..., note: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordDeliveryRequest(_message.Message):
    __slots__ = ("opportunity_id", "contract_id", "kind", "on", "note")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    contract_id: str
    kind: str
    on: str
    note: str
    def __init__(self, opportunity_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., kind: _Optional[str] = ..., on: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RecordDeliveryResponse(_message.Message):
    __slots__ = ("delivery",)
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    delivery: Delivery
    def __init__(self, delivery: _Optional[_Union[Delivery, _Mapping]] = ...) -> None: ...

class ListDeliveriesRequest(_message.Message):
    __slots__ = ("opportunity_id",)
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    def __init__(self, opportunity_id: _Optional[str] = ...) -> None: ...

class ListDeliveriesResponse(_message.Message):
    __slots__ = ("deliveries",)
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[Delivery]
    def __init__(self, deliveries: _Optional[_Iterable[_Union[Delivery, _Mapping]]] = ...) -> None: ...
