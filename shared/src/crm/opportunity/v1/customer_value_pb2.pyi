import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PurchaseFacts(_message.Message):
    __slots__ = ("last_purchase_on", "days_since_last_purchase", "purchases_6m", "amount_6m_minor", "annual_amount_minor", "referrals", "currency")
    LAST_PURCHASE_ON_FIELD_NUMBER: _ClassVar[int]
    DAYS_SINCE_LAST_PURCHASE_FIELD_NUMBER: _ClassVar[int]
    PURCHASES_6M_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_6M_MINOR_FIELD_NUMBER: _ClassVar[int]
    ANNUAL_AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    REFERRALS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    last_purchase_on: str
    days_since_last_purchase: int
    purchases_6m: int
    amount_6m_minor: int
    annual_amount_minor: int
    referrals: int
    currency: str
    def __init__(self, last_purchase_on: _Optional[str] = ..., days_since_last_purchase: _Optional[int] = ..., purchases_6m: _Optional[int] = ..., amount_6m_minor: _Optional[int] = ..., annual_amount_minor: _Optional[int] = ..., referrals: _Optional[int] = ..., currency: _Optional[str] = ...) -> None: ...

class TierHistoryEntry(_message.Message):
    __slots__ = ("tier", "previous_tier", "score", "facts", "settings_version", "reason", "at")
    TIER_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_TIER_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    tier: str
    previous_tier: str
    score: float
    facts: PurchaseFacts
    settings_version: int
    reason: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, tier: _Optional[str] = ..., previous_tier: _Optional[str] = ..., score: _Optional[float] = ..., facts: _Optional[_Union[PurchaseFacts, _Mapping]] = ..., settings_version: _Optional[int] = ..., reason: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetCustomerValueRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class GetCustomerValueResponse(_message.Message):
    __slots__ = ("customer_id", "tier", "score", "error", "facts", "settings_version", "computed_at", "referred_by", "history")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_VERSION_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    REFERRED_BY_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    tier: str
    score: float
    error: str
    facts: PurchaseFacts
    settings_version: int
    computed_at: _timestamp_pb2.Timestamp
    referred_by: str
    history: _containers.RepeatedCompositeFieldContainer[TierHistoryEntry]
    def __init__(self, customer_id: _Optional[str] = ..., tier: _Optional[str] = ..., score: _Optional[float] = ..., error: _Optional[str] = ..., facts: _Optional[_Union[PurchaseFacts, _Mapping]] = ..., settings_version: _Optional[int] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., referred_by: _Optional[str] = ..., history: _Optional[_Iterable[_Union[TierHistoryEntry, _Mapping]]] = ...) -> None: ...

class HealthPeriod(_message.Message):
    __slots__ = ("period", "on_time_rate_bp", "dso_tenths", "as_of", "consultations")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    DSO_TENTHS_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    CONSULTATIONS_FIELD_NUMBER: _ClassVar[int]
    period: str
    on_time_rate_bp: int
    dso_tenths: int
    as_of: str
    consultations: int
    def __init__(self, period: _Optional[str] = ..., on_time_rate_bp: _Optional[int] = ..., dso_tenths: _Optional[int] = ..., as_of: _Optional[str] = ..., consultations: _Optional[int] = ...) -> None: ...

class HealthAlert(_message.Message):
    __slots__ = ("customer_id", "customer_name", "period", "owner_id", "on_time_rate_bp", "consultations", "materials", "raised_at", "notified_at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    CONSULTATIONS_FIELD_NUMBER: _ClassVar[int]
    MATERIALS_FIELD_NUMBER: _ClassVar[int]
    RAISED_AT_FIELD_NUMBER: _ClassVar[int]
    NOTIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    customer_name: str
    period: str
    owner_id: str
    on_time_rate_bp: _containers.RepeatedScalarFieldContainer[int]
    consultations: _containers.RepeatedScalarFieldContainer[int]
    materials: _containers.RepeatedScalarFieldContainer[str]
    raised_at: _timestamp_pb2.Timestamp
    notified_at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., period: _Optional[str] = ..., owner_id: _Optional[str] = ..., on_time_rate_bp: _Optional[_Iterable[int]] = ..., consultations: _Optional[_Iterable[int]] = ..., materials: _Optional[_Iterable[str]] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., notified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetCustomerHealthRequest(_message.Message):
    __slots__ = ("customer_id", "periods")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PERIODS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    periods: int
    def __init__(self, customer_id: _Optional[str] = ..., periods: _Optional[int] = ...) -> None: ...

class GetCustomerHealthResponse(_message.Message):
    __slots__ = ("customer_id", "periods", "trial_progress", "trial_opportunities", "alerts")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PERIODS_FIELD_NUMBER: _ClassVar[int]
    TRIAL_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    TRIAL_OPPORTUNITIES_FIELD_NUMBER: _ClassVar[int]
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    periods: _containers.RepeatedCompositeFieldContainer[HealthPeriod]
    trial_progress: float
    trial_opportunities: int
    alerts: _containers.RepeatedCompositeFieldContainer[HealthAlert]
    def __init__(self, customer_id: _Optional[str] = ..., periods: _Optional[_Iterable[_Union[HealthPeriod, _Mapping]]] = ..., trial_progress: _Optional[float] = ..., trial_opportunities: _Optional[int] = ..., alerts: _Optional[_Iterable[_Union[HealthAlert, _Mapping]]] = ...) -> None: ...

class TierCount(_message.Message):
    __slots__ = ("tier", "customers")
    TIER_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    tier: str
    customers: int
    def __init__(self, tier: _Optional[str] = ..., customers: _Optional[int] = ...) -> None: ...

class GetValueTierCountsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetValueTierCountsResponse(_message.Message):
    __slots__ = ("counts",)
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    counts: _containers.RepeatedCompositeFieldContainer[TierCount]
    def __init__(self, counts: _Optional[_Iterable[_Union[TierCount, _Mapping]]] = ...) -> None: ...

class TierCustomer(_message.Message):
    __slots__ = ("customer_id", "name", "owner_id", "tier", "score", "computed_at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    name: str
    owner_id: str
    tier: str
    score: float
    computed_at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., name: _Optional[str] = ..., owner_id: _Optional[str] = ..., tier: _Optional[str] = ..., score: _Optional[float] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListValueTierCustomersRequest(_message.Message):
    __slots__ = ("tier", "page", "page_size")
    TIER_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    tier: str
    page: int
    page_size: int
    def __init__(self, tier: _Optional[str] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListValueTierCustomersResponse(_message.Message):
    __slots__ = ("customers", "total")
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    customers: _containers.RepeatedCompositeFieldContainer[TierCustomer]
    total: int
    def __init__(self, customers: _Optional[_Iterable[_Union[TierCustomer, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class ListHealthAlertsRequest(_message.Message):
    __slots__ = ("period", "page", "page_size")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    period: str
    page: int
    page_size: int
    def __init__(self, period: _Optional[str] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListHealthAlertsResponse(_message.Message):
    __slots__ = ("alerts", "total")
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    alerts: _containers.RepeatedCompositeFieldContainer[HealthAlert]
    total: int
    def __init__(self, alerts: _Optional[_Iterable[_Union[HealthAlert, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class TierThreshold(_message.Message):
    __slots__ = ("tier", "min_score")
    TIER_FIELD_NUMBER: _ClassVar[int]
    MIN_SCORE_FIELD_NUMBER: _ClassVar[int]
    tier: str
    min_score: float
    def __init__(self, tier: _Optional[str] = ..., min_score: _Optional[float] = ...) -> None: ...

class FormulaVariable(_message.Message):
    __slots__ = ("name", "description")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class ValueTierSettings(_message.Message):
    __slots__ = ("version", "formula", "thresholds", "new_product_lines", "updated_by", "variables", "default_formula", "active")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    NEW_PRODUCT_LINES_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_FORMULA_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    version: int
    formula: str
    thresholds: _containers.RepeatedCompositeFieldContainer[TierThreshold]
    new_product_lines: _containers.RepeatedScalarFieldContainer[str]
    updated_by: str
    variables: _containers.RepeatedCompositeFieldContainer[FormulaVariable]
    default_formula: str
    active: bool
    def __init__(self, version: _Optional[int] = ..., formula: _Optional[str] = ..., thresholds: _Optional[_Iterable[_Union[TierThreshold, _Mapping]]] = ..., new_product_lines: _Optional[_Iterable[str]] = ..., updated_by: _Optional[str] = ..., variables: _Optional[_Iterable[_Union[FormulaVariable, _Mapping]]] = ..., default_formula: _Optional[str] = ..., active: bool = ...) -> None: ...

class GetValueTierSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetValueTierSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: ValueTierSettings
    def __init__(self, settings: _Optional[_Union[ValueTierSettings, _Mapping]] = ...) -> None: ...

class PutValueTierSettingsRequest(_message.Message):
    __slots__ = ("version", "formula", "thresholds", "new_product_lines", "active")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    NEW_PRODUCT_LINES_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    version: int
    formula: str
    thresholds: _containers.RepeatedCompositeFieldContainer[TierThreshold]
    new_product_lines: _containers.RepeatedScalarFieldContainer[str]
    active: bool
    def __init__(self, version: _Optional[int] = ..., formula: _Optional[str] = ..., thresholds: _Optional[_Iterable[_Union[TierThreshold, _Mapping]]] = ..., new_product_lines: _Optional[_Iterable[str]] = ..., active: bool = ...) -> None: ...

class PutValueTierSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: ValueTierSettings
    def __init__(self, settings: _Optional[_Union[ValueTierSettings, _Mapping]] = ...) -> None: ...

class RecomputeValueTiersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RecomputeValueTiersResponse(_message.Message):
    __slots__ = ("recomputed",)
    RECOMPUTED_FIELD_NUMBER: _ClassVar[int]
    recomputed: int
    def __init__(self, recomputed: _Optional[int] = ...) -> None: ...

class RecordReferralRequest(_message.Message):
    __slots__ = ("customer_id", "referred_by")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    REFERRED_BY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    referred_by: str
    def __init__(self, customer_id: _Optional[str] = ..., referred_by: _Optional[str] = ...) -> None: ...

class RecordReferralResponse(_message.Message):
    __slots__ = ("customer_id", "referred_by")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    REFERRED_BY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    referred_by: str
    def __init__(self, customer_id: _Optional[str] = ..., referred_by: _Optional[str] = ...) -> None: ...
