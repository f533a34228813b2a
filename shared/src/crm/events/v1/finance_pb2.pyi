from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PaymentPlanCreated(_message.Message):
    __slots__ = ("plan_id", "contract_id", "contract_version_id", "label", "opportunity_id", "customer_id", "total", "instalments", "replaces_plan_id", "carried_over")
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    INSTALMENTS_FIELD_NUMBER: _ClassVar[int]
    REPLACES_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    CARRIED_OVER_FIELD_NUMBER: _ClassVar[int]
    plan_id: str
    contract_id: str
    contract_version_id: str
    label: str
    opportunity_id: str
    customer_id: str
    total: _common_pb2.Money
    instalments: int
    replaces_plan_id: str
    carried_over: _common_pb2.Money
    def __init__(self, plan_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., contract_version_id: _Optional[str] = ..., label: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., instalments: _Optional[int] = ..., replaces_plan_id: _Optional[str] = ..., carried_over: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class ReceiptRecorded(_message.Message):
    __slots__ = ("receipt_id", "contract_id", "contract_version_id", "instalment_id", "opportunity_id", "customer_id", "amount", "paid_on", "lead_source", "source", "statement_line_id", "status", "instalment_state")
    RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PAID_ON_FIELD_NUMBER: _ClassVar[int]
    LEAD_SOURCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_STATE_FIELD_NUMBER: _ClassVar[int]
    receipt_id: str
    contract_id: str
    contract_version_id: str
    instalment_id: str
    opportunity_id: str
    customer_id: str
    amount: _common_pb2.Money
    paid_on: str
    lead_source: str
    source: str
    statement_line_id: str
    status: str
    instalment_state: str
    def __init__(self, receipt_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., contract_version_id: _Optional[str] = ..., instalment_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., paid_on: _Optional[str] = ..., lead_source: _Optional[str] = ..., source: _Optional[str] = ..., statement_line_id: _Optional[str] = ..., status: _Optional[str] = ..., instalment_state: _Optional[str] = ...) -> None: ...

class ReceiptReversed(_message.Message):
    __slots__ = ("receipt_id", "instalment_id", "opportunity_id", "amount", "reason", "reversed_by")
    RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REVERSED_BY_FIELD_NUMBER: _ClassVar[int]
    receipt_id: str
    instalment_id: str
    opportunity_id: str
    amount: _common_pb2.Money
    reason: str
    reversed_by: str
    def __init__(self, receipt_id: _Optional[str] = ..., instalment_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., reversed_by: _Optional[str] = ...) -> None: ...

class CustomerPaymentStats(_message.Message):
    __slots__ = ("customer_id", "currency", "as_of", "due_count", "on_time_count", "on_time_rate_bp", "receivable", "dso_tenths", "dso_period_days")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    DUE_COUNT_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_COUNT_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    RECEIVABLE_FIELD_NUMBER: _ClassVar[int]
    DSO_TENTHS_FIELD_NUMBER: _ClassVar[int]
    DSO_PERIOD_DAYS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    currency: str
    as_of: str
    due_count: int
    on_time_count: int
    on_time_rate_bp: int
    receivable: _common_pb2.Money
    dso_tenths: int
    dso_period_days: int
    def __init__(self, customer_id: _Optional[str] = ..., currency: _Optional[str] = ..., as_of: _Optional[str] = ..., due_count: _Optional[int] = ..., on_time_count: _Optional[int] = ..., on_time_rate_bp: _Optional[int] = ..., receivable: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., dso_tenths: _Optional[int] = ..., dso_period_days: _Optional[int] = ...) -> None: ...

class ReconciledAllocation(_message.Message):
    __slots__ = ("instalment_id", "amount_minor")
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    instalment_id: str
    amount_minor: int
    def __init__(self, instalment_id: _Optional[str] = ..., amount_minor: _Optional[int] = ...) -> None: ...

class PaymentReconciled(_message.Message):
    __slots__ = ("match_id", "line_id", "statement_id", "receipt_ids", "allocations", "amount", "rule_kind", "score", "confirmed_by", "auto", "write_offs")
    MATCH_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_ID_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_IDS_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RULE_KIND_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_BY_FIELD_NUMBER: _ClassVar[int]
    AUTO_FIELD_NUMBER: _ClassVar[int]
    WRITE_OFFS_FIELD_NUMBER: _ClassVar[int]
    match_id: str
    line_id: str
    statement_id: str
    receipt_ids: _containers.RepeatedScalarFieldContainer[str]
    allocations: _containers.RepeatedCompositeFieldContainer[ReconciledAllocation]
    amount: _common_pb2.Money
    rule_kind: str
    score: float
    confirmed_by: str
    auto: bool
    write_offs: _containers.RepeatedCompositeFieldContainer[ReconciledAllocation]
    def __init__(self, match_id: _Optional[str] = ..., line_id: _Optional[str] = ..., statement_id: _Optional[str] = ..., receipt_ids: _Optional[_Iterable[str]] = ..., allocations: _Optional[_Iterable[_Union[ReconciledAllocation, _Mapping]]] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., rule_kind: _Optional[str] = ..., score: _Optional[float] = ..., confirmed_by: _Optional[str] = ..., auto: bool = ..., write_offs: _Optional[_Iterable[_Union[ReconciledAllocation, _Mapping]]] = ...) -> None: ...

class PaymentUnreconciled(_message.Message):
    __slots__ = ("match_id", "line_id", "statement_id", "receipt_ids", "amount", "reason", "reversed_by")
    MATCH_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_ID_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_IDS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REVERSED_BY_FIELD_NUMBER: _ClassVar[int]
    match_id: str
    line_id: str
    statement_id: str
    receipt_ids: _containers.RepeatedScalarFieldContainer[str]
    amount: _common_pb2.Money
    reason: str
    reversed_by: str
    def __init__(self, match_id: _Optional[str] = ..., line_id: _Optional[str] = ..., statement_id: _Optional[str] = ..., receipt_ids: _Optional[_Iterable[str]] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., reversed_by: _Optional[str] = ...) -> None: ...

class StatementImported(_message.Message):
    __slots__ = ("statement_id", "account", "format", "filename", "sha256", "new_count", "known_count", "rejected_count", "held_count", "held", "held_reason", "imported_by")
    STATEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    NEW_COUNT_FIELD_NUMBER: _ClassVar[int]
    KNOWN_COUNT_FIELD_NUMBER: _ClassVar[int]
    REJECTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    HELD_COUNT_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    HELD_REASON_FIELD_NUMBER: _ClassVar[int]
    IMPORTED_BY_FIELD_NUMBER: _ClassVar[int]
    statement_id: str
    account: str
    format: str
    filename: str
    sha256: str
    new_count: int
    known_count: int
    rejected_count: int
    held_count: int
    held: bool
    held_reason: str
    imported_by: str
    def __init__(self, statement_id: _Optional[str] = ..., account: _Optional[str] = ..., format: _Optional[str] = ..., filename: _Optional[str] = ..., sha256: _Optional[str] = ..., new_count: _Optional[int] = ..., known_count: _Optional[int] = ..., rejected_count: _Optional[int] = ..., held_count: _Optional[int] = ..., held: bool = ..., held_reason: _Optional[str] = ..., imported_by: _Optional[str] = ...) -> None: ...

class ReceiptRejected(_message.Message):
    __slots__ = ("receipt_id", "instalment_id", "opportunity_id", "customer_id", "amount", "reason", "rejected_by")
    RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REJECTED_BY_FIELD_NUMBER: _ClassVar[int]
    receipt_id: str
    instalment_id: str
    opportunity_id: str
    customer_id: str
    amount: _common_pb2.Money
    reason: str
    rejected_by: str
    def __init__(self, receipt_id: _Optional[str] = ..., instalment_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., rejected_by: _Optional[str] = ...) -> None: ...

class InstalmentWrittenOff(_message.Message):
    __slots__ = ("write_off_id", "instalment_id", "contract_id", "contract_version_id", "opportunity_id", "customer_id", "receipt_id", "amount", "reason", "written_by", "instalment_state")
    WRITE_OFF_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_BY_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_STATE_FIELD_NUMBER: _ClassVar[int]
    write_off_id: str
    instalment_id: str
    contract_id: str
    contract_version_id: str
    opportunity_id: str
    customer_id: str
    receipt_id: str
    amount: _common_pb2.Money
    reason: str
    written_by: str
    instalment_state: str
    def __init__(self, write_off_id: _Optional[str] = ..., instalment_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., contract_version_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., receipt_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., written_by: _Optional[str] = ..., instalment_state: _Optional[str] = ...) -> None: ...

class WriteOffReversed(_message.Message):
    __slots__ = ("write_off_id", "instalment_id", "opportunity_id", "amount", "reason", "reversed_by", "instalment_state")
    WRITE_OFF_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REVERSED_BY_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_STATE_FIELD_NUMBER: _ClassVar[int]
    write_off_id: str
    instalment_id: str
    opportunity_id: str
    amount: _common_pb2.Money
    reason: str
    reversed_by: str
    instalment_state: str
    def __init__(self, write_off_id: _Optional[str] = ..., instalment_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., reversed_by: _Optional[str] = ..., instalment_state: _Optional[str] = ...) -> None: ...

class InstalmentWaived(_message.Message):
    __slots__ = ("instalment_id", "contract_id", "contract_version_id", "opportunity_id", "customer_id", "waived", "reason", "waived_by")
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    WAIVED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    WAIVED_BY_FIELD_NUMBER: _ClassVar[int]
    instalment_id: str
    contract_id: str
    contract_version_id: str
    opportunity_id: str
    customer_id: str
    waived: _common_pb2.Money
    reason: str
    waived_by: str
    def __init__(self, instalment_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., contract_version_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., waived: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., waived_by: _Optional[str] = ...) -> None: ...

class FollowUpDone(_message.Message):
    __slots__ = ("follow_up_id", "kind", "instalment_id", "customer_id", "owner_id", "assignee", "note", "done_by")
    FOLLOW_UP_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    DONE_BY_FIELD_NUMBER: _ClassVar[int]
    follow_up_id: str
    kind: str
    instalment_id: str
    customer_id: str
    owner_id: str
    assignee: str
    note: str
    done_by: str
    def __init__(self, follow_up_id: _Optional[str] = ..., kind: _Optional[str] = ..., instalment_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., assignee: _Optional[str] = ..., note: _Optional[str] = ..., done_by: _Optional[str] = ...) -> None: ...

class RebateProgrammeSaved(_message.Message):
    __slots__ = ("programme_id", "name", "period_kind", "thresholds_minor", "rates_bp", "basis", "currency", "distributor_ids", "active", "version", "saved_by")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_KIND_FIELD_NUMBER: _ClassVar[int]
    THRESHOLDS_MINOR_FIELD_NUMBER: _ClassVar[int]
    RATES_BP_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_IDS_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SAVED_BY_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    name: str
    period_kind: str
    thresholds_minor: _containers.RepeatedScalarFieldContainer[int]
    rates_bp: _containers.RepeatedScalarFieldContainer[int]
    basis: str
    currency: str
    distributor_ids: _containers.RepeatedScalarFieldContainer[str]
    active: bool
    version: int
    saved_by: str
    def __init__(self, programme_id: _Optional[str] = ..., name: _Optional[str] = ..., period_kind: _Optional[str] = ..., thresholds_minor: _Optional[_Iterable[int]] = ..., rates_bp: _Optional[_Iterable[int]] = ..., basis: _Optional[str] = ..., currency: _Optional[str] = ..., distributor_ids: _Optional[_Iterable[str]] = ..., active: bool = ..., version: _Optional[int] = ..., saved_by: _Optional[str] = ...) -> None: ...

class RebateSettled(_message.Message):
    __slots__ = ("settlement_id", "programme_id", "distributor_id", "period", "collected", "tier", "rate_bp", "rebate", "receipt_count", "settled_by")
    SETTLEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    RATE_BP_FIELD_NUMBER: _ClassVar[int]
    REBATE_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_COUNT_FIELD_NUMBER: _ClassVar[int]
    SETTLED_BY_FIELD_NUMBER: _ClassVar[int]
    settlement_id: str
    programme_id: str
    distributor_id: str
    period: str
    collected: _common_pb2.Money
    tier: int
    rate_bp: int
    rebate: _common_pb2.Money
    receipt_count: int
    settled_by: str
    def __init__(self, settlement_id: _Optional[str] = ..., programme_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., period: _Optional[str] = ..., collected: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., tier: _Optional[int] = ..., rate_bp: _Optional[int] = ..., rebate: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., receipt_count: _Optional[int] = ..., settled_by: _Optional[str] = ...) -> None: ...
