from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetAgingRequest(_message.Message):
    __slots__ = ("as_of", "group_by", "customer_id", "contract_id", "page_size", "page_token")
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    as_of: str
    group_by: str
    customer_id: str
    contract_id: str
    page_size: int
    page_token: str
    def __init__(self, as_of: _Optional[str] = ..., group_by: _Optional[str] = ..., customer_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class AgingBuckets(_message.Message):
    __slots__ = ("not_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90")
    NOT_DUE_FIELD_NUMBER: _ClassVar[int]
    DAYS_1_30_FIELD_NUMBER: _ClassVar[int]
    DAYS_31_60_FIELD_NUMBER: _ClassVar[int]
    DAYS_61_90_FIELD_NUMBER: _ClassVar[int]
    DAYS_OVER_90_FIELD_NUMBER: _ClassVar[int]
    not_due: _common_pb2.Money
    days_1_30: _common_pb2.Money
    days_31_60: _common_pb2.Money
    days_61_90: _common_pb2.Money
    days_over_90: _common_pb2.Money
    def __init__(self, not_due: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., days_1_30: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., days_31_60: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., days_61_90: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., days_over_90: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class AgingRow(_message.Message):
    __slots__ = ("key", "currency", "buckets", "total", "overdue", "red", "red_amount", "red_instalments")
    KEY_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    BUCKETS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    RED_FIELD_NUMBER: _ClassVar[int]
    RED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RED_INSTALMENTS_FIELD_NUMBER: _ClassVar[int]
    key: str
    currency: str
    buckets: AgingBuckets
    total: _common_pb2.Money
    overdue: _common_pb2.Money
    red: bool
    red_amount: _common_pb2.Money
    red_instalments: int
    def __init__(self, key: _Optional[str] = ..., currency: _Optional[str] = ..., buckets: _Optional[_Union[AgingBuckets, _Mapping]] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., overdue: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., red: bool = ..., red_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., red_instalments: _Optional[int] = ...) -> None: ...

class GetAgingResponse(_message.Message):
    __slots__ = ("as_of", "group_by", "rows", "totals", "next_page_token")
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    as_of: str
    group_by: str
    rows: _containers.RepeatedCompositeFieldContainer[AgingRow]
    totals: _containers.RepeatedCompositeFieldContainer[AgingRow]
    next_page_token: str
    def __init__(self, as_of: _Optional[str] = ..., group_by: _Optional[str] = ..., rows: _Optional[_Iterable[_Union[AgingRow, _Mapping]]] = ..., totals: _Optional[_Iterable[_Union[AgingRow, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class FollowUp(_message.Message):
    __slots__ = ("follow_up_id", "kind", "instalment_id", "customer_id", "owner_id", "assignee", "days", "outstanding", "status", "created_at", "done_by", "done_at", "note")
    FOLLOW_UP_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDING_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DONE_BY_FIELD_NUMBER: _ClassVar[int]
    DONE_AT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    follow_up_id: str
    kind: str
    instalment_id: str
    customer_id: str
    owner_id: str
    assignee: str
    days: int
    outstanding: _common_pb2.Money
    status: str
    created_at: str
    done_by: str
    done_at: str
    note: str
    def __init__(self, follow_up_id: _Optional[str] = ..., kind: _Optional[str] = ..., instalment_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., assignee: _Optional[str] = ..., days: _Optional[int] = ..., outstanding: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., status: _Optional[str] = ..., created_at: _Optional[str] = ..., done_by: _Optional[str] = ..., done_at: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ListFollowUpsRequest(_message.Message):
    __slots__ = ("status", "page_size", "page_token")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    status: str
    page_size: int
    page_token: str
    def __init__(self, status: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListFollowUpsResponse(_message.Message):
    __slots__ = ("follow_ups", "next_page_token")
    FOLLOW_UPS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    follow_ups: _containers.RepeatedCompositeFieldContainer[FollowUp]
    next_page_token: str
    def __init__(self, follow_ups: _Optional[_Iterable[_Union[FollowUp, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CompleteFollowUpRequest(_message.Message):
    __slots__ = ("follow_up_id", "note")
    FOLLOW_UP_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    follow_up_id: str
    note: str
    def __init__(self, follow_up_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class CompleteFollowUpResponse(_message.Message):
    __slots__ = ("follow_up",)
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    follow_up: FollowUp
    def __init__(self, follow_up: _Optional[_Union[FollowUp, _Mapping]] = ...) -> None: ...

class GetCustomerPaymentStatsRequest(_message.Message):
    __slots__ = ("customer_id", "as_of", "period_days")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    PERIOD_DAYS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    as_of: str
    period_days: int
    def __init__(self, customer_id: _Optional[str] = ..., as_of: _Optional[str] = ..., period_days: _Optional[int] = ...) -> None: ...

class CustomerPaymentStats(_message.Message):
    __slots__ = ("currency", "due_count", "on_time_count", "on_time_rate_bp", "receivable", "billed", "dso_tenths")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DUE_COUNT_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_COUNT_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    RECEIVABLE_FIELD_NUMBER: _ClassVar[int]
    BILLED_FIELD_NUMBER: _ClassVar[int]
    DSO_TENTHS_FIELD_NUMBER: _ClassVar[int]
    currency: str
    due_count: int
    on_time_count: int
    on_time_rate_bp: int
    receivable: _common_pb2.Money
    billed: _common_pb2.Money
    dso_tenths: int
    def __init__(self, currency: _Optional[str] = ..., due_count: _Optional[int] = ..., on_time_count: _Optional[int] = ..., on_time_rate_bp: _Optional[int] = ..., receivable: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., billed: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., dso_tenths: _Optional[int] = ...) -> None: ...

class GetCustomerPaymentStatsResponse(_message.Message):
    __slots__ = ("customer_id", "as_of", "period_days", "stats")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    PERIOD_DAYS_FIELD_NUMBER: _ClassVar[int]
    STATS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    as_of: str
    period_days: int
    stats: _containers.RepeatedCompositeFieldContainer[CustomerPaymentStats]
    def __init__(self, customer_id: _Optional[str] = ..., as_of: _Optional[str] = ..., period_days: _Optional[int] = ..., stats: _Optional[_Iterable[_Union[CustomerPaymentStats, _Mapping]]] = ...) -> None: ...

class GetCollectionReportRequest(_message.Message):
    __slots__ = ("group_by", "period", "to")
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    group_by: str
    period: str
    to: str
    def __init__(self, group_by: _Optional[str] = ..., period: _Optional[str] = ..., to: _Optional[str] = ..., **kwargs) -> None: ...

class CollectionReportRow(_message.Message):
    __slots__ = ("period", "key", "currency", "expected", "actual")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_FIELD_NUMBER: _ClassVar[int]
    period: str
    key: str
    currency: str
    expected: _common_pb2.Money
    actual: _common_pb2.Money
    def __init__(self, period: _Optional[str] = ..., key: _Optional[str] = ..., currency: _Optional[str] = ..., expected: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., actual: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class GetCollectionReportResponse(_message.Message):
    __slots__ = ("group_by", "period", "rows")
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    group_by: str
    period: str
    rows: _containers.RepeatedCompositeFieldContainer[CollectionReportRow]
    def __init__(self, group_by: _Optional[str] = ..., period: _Optional[str] = ..., rows: _Optional[_Iterable[_Union[CollectionReportRow, _Mapping]]] = ...) -> None: ...
