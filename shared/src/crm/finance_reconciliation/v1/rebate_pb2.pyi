from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RebateTier(_message.Message):
    __slots__ = ("threshold_minor", "rate_bp")
    THRESHOLD_MINOR_FIELD_NUMBER: _ClassVar[int]
    RATE_BP_FIELD_NUMBER: _ClassVar[int]
    threshold_minor: int
    rate_bp: int
    def __init__(self, threshold_minor: _Optional[int] = ..., rate_bp: _Optional[int] = ...) -> None: ...

class RebateProgramme(_message.Message):
    __slots__ = ("programme_id", "name", "period_kind", "tiers", "basis", "currency", "distributor_ids", "starts_on", "ends_on", "active", "version", "updated_by", "updated_at")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_KIND_FIELD_NUMBER: _ClassVar[int]
    TIERS_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_IDS_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    name: str
    period_kind: str
    tiers: _containers.RepeatedCompositeFieldContainer[RebateTier]
    basis: str
    currency: str
    distributor_ids: _containers.RepeatedScalarFieldContainer[str]
    starts_on: str
    ends_on: str
    active: bool
    version: int
    updated_by: str
    updated_at: str
    def __init__(self, programme_id: _Optional[str] = ..., name: _Optional[str] = ..., period_kind: _Optional[str] = ..., tiers: _Optional[_Iterable[_Union[RebateTier, _Mapping]]] = ..., basis: _Optional[str] = ..., currency: _Optional[str] = ..., distributor_ids: _Optional[_Iterable[str]] = ..., starts_on: _Optional[str] = ..., ends_on: _Optional[str] = ..., active: bool = ..., version: _Optional[int] = ..., updated_by: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class RebateProgrammeInput(_message.Message):
    __slots__ = ("name", "period_kind", "tiers", "basis", "currency", "distributor_ids", "starts_on", "ends_on", "active")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_KIND_FIELD_NUMBER: _ClassVar[int]
    TIERS_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_IDS_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    name: str
    period_kind: str
    tiers: _containers.RepeatedCompositeFieldContainer[RebateTier]
    basis: str
    currency: str
    distributor_ids: _containers.RepeatedScalarFieldContainer[str]
    starts_on: str
    ends_on: str
    active: bool
    def __init__(self, name: _Optional[str] = ..., period_kind: _Optional[str] = ..., tiers: _Optional[_Iterable[_Union[RebateTier, _Mapping]]] = ..., basis: _Optional[str] = ..., currency: _Optional[str] = ..., distributor_ids: _Optional[_Iterable[str]] = ..., starts_on: _Optional[str] = ..., ends_on: _Optional[str] = ..., active: bool = ...) -> None: ...

class ListRebateProgrammesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRebateProgrammesResponse(_message.Message):
    __slots__ = ("programmes",)
    PROGRAMMES_FIELD_NUMBER: _ClassVar[int]
    programmes: _containers.RepeatedCompositeFieldContainer[RebateProgramme]
    def __init__(self, programmes: _Optional[_Iterable[_Union[RebateProgramme, _Mapping]]] = ...) -> None: ...

class GetRebateProgrammeRequest(_message.Message):
    __slots__ = ("programme_id",)
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    def __init__(self, programme_id: _Optional[str] = ...) -> None: ...

class GetRebateProgrammeResponse(_message.Message):
    __slots__ = ("programme",)
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    programme: RebateProgramme
    def __init__(self, programme: _Optional[_Union[RebateProgramme, _Mapping]] = ...) -> None: ...

class CreateRebateProgrammeRequest(_message.Message):
    __slots__ = ("programme",)
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    programme: RebateProgrammeInput
    def __init__(self, programme: _Optional[_Union[RebateProgrammeInput, _Mapping]] = ...) -> None: ...

class CreateRebateProgrammeResponse(_message.Message):
    __slots__ = ("programme",)
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    programme: RebateProgramme
    def __init__(self, programme: _Optional[_Union[RebateProgramme, _Mapping]] = ...) -> None: ...

class UpdateRebateProgrammeRequest(_message.Message):
    __slots__ = ("programme_id", "programme", "expected_version")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    programme: RebateProgrammeInput
    expected_version: int
    def __init__(self, programme_id: _Optional[str] = ..., programme: _Optional[_Union[RebateProgrammeInput, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class UpdateRebateProgrammeResponse(_message.Message):
    __slots__ = ("programme",)
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    programme: RebateProgramme
    def __init__(self, programme: _Optional[_Union[RebateProgramme, _Mapping]] = ...) -> None: ...

class RebateProgress(_message.Message):
    __slots__ = ("distributor_id", "period", "period_starts_on", "period_ends_on", "collected_minor", "receipt_count", "tier", "rate_bp", "next_threshold_minor", "next_rate_bp", "needed_minor", "accrued_minor", "currency", "settlement_id", "settled_minor")
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    PERIOD_ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_MINOR_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_COUNT_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    RATE_BP_FIELD_NUMBER: _ClassVar[int]
    NEXT_THRESHOLD_MINOR_FIELD_NUMBER: _ClassVar[int]
    NEXT_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    NEEDED_MINOR_FIELD_NUMBER: _ClassVar[int]
    ACCRUED_MINOR_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    SETTLEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SETTLED_MINOR_FIELD_NUMBER: _ClassVar[int]
    distributor_id: str
    period: str
    period_starts_on: str
    period_ends_on: str
    collected_minor: int
    receipt_count: int
    tier: int
    rate_bp: int
    next_threshold_minor: int
    next_rate_bp: int
    needed_minor: int
    accrued_minor: int
    currency: str
    settlement_id: str
    settled_minor: int
    def __init__(self, distributor_id: _Optional[str] = ..., period: _Optional[str] = ..., period_starts_on: _Optional[str] = ..., period_ends_on: _Optional[str] = ..., collected_minor: _Optional[int] = ..., receipt_count: _Optional[int] = ..., tier: _Optional[int] = ..., rate_bp: _Optional[int] = ..., next_threshold_minor: _Optional[int] = ..., next_rate_bp: _Optional[int] = ..., needed_minor: _Optional[int] = ..., accrued_minor: _Optional[int] = ..., currency: _Optional[str] = ..., settlement_id: _Optional[str] = ..., settled_minor: _Optional[int] = ...) -> None: ...

class PartnerRebateProgramme(_message.Message):
    __slots__ = ("programme_id", "name", "period_kind", "tiers", "basis", "currency")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_KIND_FIELD_NUMBER: _ClassVar[int]
    TIERS_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    name: str
    period_kind: str
    tiers: _containers.RepeatedCompositeFieldContainer[RebateTier]
    basis: str
    currency: str
    def __init__(self, programme_id: _Optional[str] = ..., name: _Optional[str] = ..., period_kind: _Optional[str] = ..., tiers: _Optional[_Iterable[_Union[RebateTier, _Mapping]]] = ..., basis: _Optional[str] = ..., currency: _Optional[str] = ...) -> None: ...

class PartnerRebate(_message.Message):
    __slots__ = ("programme", "progress")
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    programme: PartnerRebateProgramme
    progress: RebateProgress
    def __init__(self, programme: _Optional[_Union[PartnerRebateProgramme, _Mapping]] = ..., progress: _Optional[_Union[RebateProgress, _Mapping]] = ...) -> None: ...

class GetPartnerRebatesRequest(_message.Message):
    __slots__ = ("on",)
    ON_FIELD_NUMBER: _ClassVar[int]
    on: str
    def __init__(self, on: _Optional[str] = ...) -> None: ...

class GetPartnerRebatesResponse(_message.Message):
    __slots__ = ("rebates",)
    REBATES_FIELD_NUMBER: _ClassVar[int]
    rebates: _containers.RepeatedCompositeFieldContainer[PartnerRebate]
    def __init__(self, rebates: _Optional[_Iterable[_Union[PartnerRebate, _Mapping]]] = ...) -> None: ...

class ListRebateAccrualsRequest(_message.Message):
    __slots__ = ("programme_id", "period", "on")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    period: str
    on: str
    def __init__(self, programme_id: _Optional[str] = ..., period: _Optional[str] = ..., on: _Optional[str] = ...) -> None: ...

class ListRebateAccrualsResponse(_message.Message):
    __slots__ = ("programme", "accruals", "total_accrued_minor")
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    ACCRUALS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ACCRUED_MINOR_FIELD_NUMBER: _ClassVar[int]
    programme: RebateProgramme
    accruals: _containers.RepeatedCompositeFieldContainer[RebateProgress]
    total_accrued_minor: int
    def __init__(self, programme: _Optional[_Union[RebateProgramme, _Mapping]] = ..., accruals: _Optional[_Iterable[_Union[RebateProgress, _Mapping]]] = ..., total_accrued_minor: _Optional[int] = ...) -> None: ...

class RebateSettlement(_message.Message):
    __slots__ = ("settlement_id", "programme_id", "programme_name", "distributor_id", "period", "period_starts_on", "period_ends_on", "currency", "collected_minor", "tier", "rate_bp", "basis", "tiers", "rebate_minor", "receipt_count", "receipt_ids", "note", "settled_by", "settled_at")
    SETTLEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_NAME_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    PERIOD_ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_MINOR_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    RATE_BP_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    TIERS_FIELD_NUMBER: _ClassVar[int]
    REBATE_MINOR_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_COUNT_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_IDS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    SETTLED_BY_FIELD_NUMBER: _ClassVar[int]
    SETTLED_AT_FIELD_NUMBER: _ClassVar[int]
    settlement_id: str
    programme_id: str
    programme_name: str
    distributor_id: str
    period: str
    period_starts_on: str
    period_ends_on: str
    currency: str
    collected_minor: int
    tier: int
    rate_bp: int
    basis: str
    tiers: _containers.RepeatedCompositeFieldContainer[RebateTier]
    rebate_minor: int
    receipt_count: int
    receipt_ids: _containers.RepeatedScalarFieldContainer[str]
    note: str
    settled_by: str
    settled_at: str
    def __init__(self, settlement_id: _Optional[str] = ..., programme_id: _Optional[str] = ..., programme_name: _Optional[str] = ..., distributor_id: _Optional[str] = ..., period: _Optional[str] = ..., period_starts_on: _Optional[str] = ..., period_ends_on: _Optional[str] = ..., currency: _Optional[str] = ..., collected_minor: _Optional[int] = ..., tier: _Optional[int] = ..., rate_bp: _Optional[int] = ..., basis: _Optional[str] = ..., tiers: _Optional[_Iterable[_Union[RebateTier, _Mapping]]] = ..., rebate_minor: _Optional[int] = ..., receipt_count: _Optional[int] = ..., receipt_ids: _Optional[_Iterable[str]] = ..., note: _Optional[str] = ..., settled_by: _Optional[str] = ..., settled_at: _Optional[str] = ...) -> None: ...

class SettleRebateRequest(_message.Message):
    __slots__ = ("programme_id", "distributor_id", "period", "note")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    distributor_id: str
    period: str
    note: str
    def __init__(self, programme_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., period: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class SettleRebateResponse(_message.Message):
    __slots__ = ("settlement",)
    SETTLEMENT_FIELD_NUMBER: _ClassVar[int]
    settlement: RebateSettlement
    def __init__(self, settlement: _Optional[_Union[RebateSettlement, _Mapping]] = ...) -> None: ...

class ListRebateSettlementsRequest(_message.Message):
    __slots__ = ("programme_id", "distributor_id", "period", "page_size", "page_token")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    distributor_id: str
    period: str
    page_size: int
    page_token: str
    def __init__(self, programme_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., period: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRebateSettlementsResponse(_message.Message):
    __slots__ = ("settlements", "next_page_token")
    SETTLEMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    settlements: _containers.RepeatedCompositeFieldContainer[RebateSettlement]
    next_page_token: str
    def __init__(self, settlements: _Optional[_Iterable[_Union[RebateSettlement, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetRebateSettlementRequest(_message.Message):
    __slots__ = ("settlement_id",)
    SETTLEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    settlement_id: str
    def __init__(self, settlement_id: _Optional[str] = ...) -> None: ...

class GetRebateSettlementResponse(_message.Message):
    __slots__ = ("settlement",)
    SETTLEMENT_FIELD_NUMBER: _ClassVar[int]
    settlement: RebateSettlement
    def __init__(self, settlement: _Optional[_Union[RebateSettlement, _Mapping]] = ...) -> None: ...
