import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CdiWeights(_message.Message):
    __slots__ = ("coverage", "needs", "closure")
    COVERAGE_FIELD_NUMBER: _ClassVar[int]
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    CLOSURE_FIELD_NUMBER: _ClassVar[int]
    coverage: float
    needs: float
    closure: float
    def __init__(self, coverage: _Optional[float] = ..., needs: _Optional[float] = ..., closure: _Optional[float] = ...) -> None: ...

class CdiSettings(_message.Message):
    __slots__ = ("version", "touch_kinds", "touch_window_days", "touch_min_kinds", "grace_hours", "lookback_days", "weights")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TOUCH_KINDS_FIELD_NUMBER: _ClassVar[int]
    TOUCH_WINDOW_DAYS_FIELD_NUMBER: _ClassVar[int]
    TOUCH_MIN_KINDS_FIELD_NUMBER: _ClassVar[int]
    GRACE_HOURS_FIELD_NUMBER: _ClassVar[int]
    LOOKBACK_DAYS_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    version: int
    touch_kinds: _containers.RepeatedScalarFieldContainer[str]
    touch_window_days: int
    touch_min_kinds: int
    grace_hours: int
    lookback_days: int
    weights: CdiWeights
    def __init__(self, version: _Optional[int] = ..., touch_kinds: _Optional[_Iterable[str]] = ..., touch_window_days: _Optional[int] = ..., touch_min_kinds: _Optional[int] = ..., grace_hours: _Optional[int] = ..., lookback_days: _Optional[int] = ..., weights: _Optional[_Union[CdiWeights, _Mapping]] = ...) -> None: ...

class CdiTouch(_message.Message):
    __slots__ = ("activity_id", "kind", "occurred_at")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    kind: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, activity_id: _Optional[str] = ..., kind: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CdiTag(_message.Message):
    __slots__ = ("tag", "activity_id", "words")
    TAG_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    WORDS_FIELD_NUMBER: _ClassVar[int]
    tag: str
    activity_id: str
    words: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tag: _Optional[str] = ..., activity_id: _Optional[str] = ..., words: _Optional[_Iterable[str]] = ...) -> None: ...

class CdiPlan(_message.Message):
    __slots__ = ("activity_id", "due_at", "state", "met_by", "met_at")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    MET_BY_FIELD_NUMBER: _ClassVar[int]
    MET_AT_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    due_at: _timestamp_pb2.Timestamp
    state: str
    met_by: str
    met_at: _timestamp_pb2.Timestamp
    def __init__(self, activity_id: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[str] = ..., met_by: _Optional[str] = ..., met_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CdiFactor(_message.Message):
    __slots__ = ("value", "applicable")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    APPLICABLE_FIELD_NUMBER: _ClassVar[int]
    value: float
    applicable: bool
    def __init__(self, value: _Optional[float] = ..., applicable: bool = ...) -> None: ...

class CustomerCdi(_message.Message):
    __slots__ = ("customer_id", "customer_name", "owner_id", "province", "value_tier", "cdi", "coverage", "needs", "closure", "red", "plans_due", "plans_on_time", "last_contact_at", "computed_at", "touches", "tags", "plans")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_FIELD_NUMBER: _ClassVar[int]
    VALUE_TIER_FIELD_NUMBER: _ClassVar[int]
    CDI_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_FIELD_NUMBER: _ClassVar[int]
    NEEDS_FIELD_NUMBER: _ClassVar[int]
    CLOSURE_FIELD_NUMBER: _ClassVar[int]
    RED_FIELD_NUMBER: _ClassVar[int]
    PLANS_DUE_FIELD_NUMBER: _ClassVar[int]
    PLANS_ON_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_CONTACT_AT_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    TOUCHES_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    PLANS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    customer_name: str
    owner_id: str
    province: str
    value_tier: str
    cdi: float
    coverage: CdiFactor
    needs: CdiFactor
    closure: CdiFactor
    red: bool
    plans_due: int
    plans_on_time: int
    last_contact_at: _timestamp_pb2.Timestamp
    computed_at: _timestamp_pb2.Timestamp
    touches: _containers.RepeatedCompositeFieldContainer[CdiTouch]
    tags: _containers.RepeatedCompositeFieldContainer[CdiTag]
    plans: _containers.RepeatedCompositeFieldContainer[CdiPlan]
    def __init__(self, customer_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., owner_id: _Optional[str] = ..., province: _Optional[str] = ..., value_tier: _Optional[str] = ..., cdi: _Optional[float] = ..., coverage: _Optional[_Union[CdiFactor, _Mapping]] = ..., needs: _Optional[_Union[CdiFactor, _Mapping]] = ..., closure: _Optional[_Union[CdiFactor, _Mapping]] = ..., red: bool = ..., plans_due: _Optional[int] = ..., plans_on_time: _Optional[int] = ..., last_contact_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., touches: _Optional[_Iterable[_Union[CdiTouch, _Mapping]]] = ..., tags: _Optional[_Iterable[_Union[CdiTag, _Mapping]]] = ..., plans: _Optional[_Iterable[_Union[CdiPlan, _Mapping]]] = ...) -> None: ...

class CdiGroup(_message.Message):
    __slots__ = ("key", "average_cdi", "customers", "red")
    KEY_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_CDI_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    RED_FIELD_NUMBER: _ClassVar[int]
    key: str
    average_cdi: float
    customers: int
    red: int
    def __init__(self, key: _Optional[str] = ..., average_cdi: _Optional[float] = ..., customers: _Optional[int] = ..., red: _Optional[int] = ...) -> None: ...

class ListCdiGroupsRequest(_message.Message):
    __slots__ = ("group_by",)
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    group_by: str
    def __init__(self, group_by: _Optional[str] = ...) -> None: ...

class ListCdiGroupsResponse(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[CdiGroup]
    def __init__(self, items: _Optional[_Iterable[_Union[CdiGroup, _Mapping]]] = ...) -> None: ...

class ListCdiCustomersRequest(_message.Message):
    __slots__ = ("group_by", "key", "red_only", "sort", "page", "page_size")
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    RED_ONLY_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    group_by: str
    key: str
    red_only: bool
    sort: str
    page: int
    page_size: int
    def __init__(self, group_by: _Optional[str] = ..., key: _Optional[str] = ..., red_only: bool = ..., sort: _Optional[str] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListCdiCustomersResponse(_message.Message):
    __slots__ = ("items", "total")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[CustomerCdi]
    total: int
    def __init__(self, items: _Optional[_Iterable[_Union[CustomerCdi, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class GetCustomerCdiRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class GetCustomerCdiResponse(_message.Message):
    __slots__ = ("cdi",)
    CDI_FIELD_NUMBER: _ClassVar[int]
    cdi: CustomerCdi
    def __init__(self, cdi: _Optional[_Union[CustomerCdi, _Mapping]] = ...) -> None: ...

class GetCdiSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetCdiSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: CdiSettings
    def __init__(self, settings: _Optional[_Union[CdiSettings, _Mapping]] = ...) -> None: ...

class PutCdiSettingsRequest(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: CdiSettings
    def __init__(self, settings: _Optional[_Union[CdiSettings, _Mapping]] = ...) -> None: ...

class PutCdiSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: CdiSettings
    def __init__(self, settings: _Optional[_Union[CdiSettings, _Mapping]] = ...) -> None: ...

class HeatMapCell(_message.Message):
    __slots__ = ("bucket", "customers")
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    bucket: str
    customers: int
    def __init__(self, bucket: _Optional[str] = ..., customers: _Optional[int] = ...) -> None: ...

class HeatMapRow(_message.Message):
    __slots__ = ("tier", "cells", "total", "untouched_share")
    TIER_FIELD_NUMBER: _ClassVar[int]
    CELLS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    UNTOUCHED_SHARE_FIELD_NUMBER: _ClassVar[int]
    tier: str
    cells: _containers.RepeatedCompositeFieldContainer[HeatMapCell]
    total: int
    untouched_share: float
    def __init__(self, tier: _Optional[str] = ..., cells: _Optional[_Iterable[_Union[HeatMapCell, _Mapping]]] = ..., total: _Optional[int] = ..., untouched_share: _Optional[float] = ...) -> None: ...

class GetFollowUpHeatMapRequest(_message.Message):
    __slots__ = ("owner_id",)
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    owner_id: str
    def __init__(self, owner_id: _Optional[str] = ...) -> None: ...

class GetFollowUpHeatMapResponse(_message.Message):
    __slots__ = ("rows", "total", "as_of")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[HeatMapRow]
    total: HeatMapRow
    as_of: _timestamp_pb2.Timestamp
    def __init__(self, rows: _Optional[_Iterable[_Union[HeatMapRow, _Mapping]]] = ..., total: _Optional[_Union[HeatMapRow, _Mapping]] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListHeatMapCustomersRequest(_message.Message):
    __slots__ = ("tier", "bucket", "owner_id", "page", "page_size")
    TIER_FIELD_NUMBER: _ClassVar[int]
    BUCKET_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    tier: str
    bucket: str
    owner_id: str
    page: int
    page_size: int
    def __init__(self, tier: _Optional[str] = ..., bucket: _Optional[str] = ..., owner_id: _Optional[str] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class HeatMapCustomer(_message.Message):
    __slots__ = ("customer_id", "customer_name", "owner_id", "value_tier", "last_contact_at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    VALUE_TIER_FIELD_NUMBER: _ClassVar[int]
    LAST_CONTACT_AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    customer_name: str
    owner_id: str
    value_tier: str
    last_contact_at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., owner_id: _Optional[str] = ..., value_tier: _Optional[str] = ..., last_contact_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListHeatMapCustomersResponse(_message.Message):
    __slots__ = ("items", "total")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[HeatMapCustomer]
    total: int
    def __init__(self, items: _Optional[_Iterable[_Union[HeatMapCustomer, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...
