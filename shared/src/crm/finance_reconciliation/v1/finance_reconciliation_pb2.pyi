import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Instalment(_message.Message):
    __slots__ = ("instalment_id", "plan_id", "seq", "name", "trigger", "days", "amount", "due_on", "paid", "state", "contract_version_id", "written_off", "waived_by", "waive_reason")
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    PAID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_OFF_FIELD_NUMBER: _ClassVar[int]
    WAIVED_BY_FIELD_NUMBER: _ClassVar[int]
    WAIVE_REASON_FIELD_NUMBER: _ClassVar[int]
    instalment_id: str
    plan_id: str
    seq: int
    name: str
    trigger: str
    days: int
    amount: _common_pb2.Money
    due_on: str
    paid: _common_pb2.Money
    state: str
    contract_version_id: str
    written_off: _common_pb2.Money
    waived_by: str
    waive_reason: str
    def __init__(self, instalment_id: _Optional[str] = ..., plan_id: _Optional[str] = ..., seq: _Optional[int] = ..., name: _Optional[str] = ..., trigger: _Optional[str] = ..., days: _Optional[int] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., due_on: _Optional[str] = ..., paid: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., state: _Optional[str] = ..., contract_version_id: _Optional[str] = ..., written_off: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., waived_by: _Optional[str] = ..., waive_reason: _Optional[str] = ...) -> None: ...

class PaymentPlan(_message.Message):
    __slots__ = ("plan_id", "contract_id", "contract_version_id", "label", "opportunity_id", "customer_id", "status", "total", "instalments", "created_at", "delivered_on", "accepted_on")
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    INSTALMENTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_ON_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_ON_FIELD_NUMBER: _ClassVar[int]
    plan_id: str
    contract_id: str
    contract_version_id: str
    label: str
    opportunity_id: str
    customer_id: str
    status: str
    total: _common_pb2.Money
    instalments: _containers.RepeatedCompositeFieldContainer[Instalment]
    created_at: _timestamp_pb2.Timestamp
    delivered_on: str
    accepted_on: str
    def __init__(self, plan_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., contract_version_id: _Optional[str] = ..., label: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., status: _Optional[str] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., instalments: _Optional[_Iterable[_Union[Instalment, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delivered_on: _Optional[str] = ..., accepted_on: _Optional[str] = ...) -> None: ...

class ListPlansRequest(_message.Message):
    __slots__ = ("contract_id", "opportunity_id")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    opportunity_id: str
    def __init__(self, contract_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ...) -> None: ...

class ListPlansResponse(_message.Message):
    __slots__ = ("plans",)
    PLANS_FIELD_NUMBER: _ClassVar[int]
    plans: _containers.RepeatedCompositeFieldContainer[PaymentPlan]
    def __init__(self, plans: _Optional[_Iterable[_Union[PaymentPlan, _Mapping]]] = ...) -> None: ...

class EquipmentLine(_message.Message):
    __slots__ = ("model", "quantity")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    model: str
    quantity: int
    def __init__(self, model: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class Receipt(_message.Message):
    __slots__ = ("receipt_id", "contract_id", "contract_version_id", "instalment_id", "amount", "paid_on", "payer_name", "reference", "lead_source", "source", "statement_line_id", "status", "recorded_by", "recorded_at", "reversed_by", "reversal_reason", "opportunity_id", "reviewed_by", "review_note")
    RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PAID_ON_FIELD_NUMBER: _ClassVar[int]
    PAYER_NAME_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    LEAD_SOURCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    REVERSED_BY_FIELD_NUMBER: _ClassVar[int]
    REVERSAL_REASON_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEW_NOTE_FIELD_NUMBER: _ClassVar[int]
    receipt_id: str
    contract_id: str
    contract_version_id: str
    instalment_id: str
    amount: _common_pb2.Money
    paid_on: str
    payer_name: str
    reference: str
    lead_source: str
    source: str
    statement_line_id: str
    status: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    reversed_by: str
    reversal_reason: str
    opportunity_id: str
    reviewed_by: str
    review_note: str
    def __init__(self, receipt_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., contract_version_id: _Optional[str] = ..., instalment_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., paid_on: _Optional[str] = ..., payer_name: _Optional[str] = ..., reference: _Optional[str] = ..., lead_source: _Optional[str] = ..., source: _Optional[str] = ..., statement_line_id: _Optional[str] = ..., status: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reversed_by: _Optional[str] = ..., reversal_reason: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., reviewed_by: _Optional[str] = ..., review_note: _Optional[str] = ...) -> None: ...

class RecordReceiptRequest(_message.Message):
    __slots__ = ("contract_id", "contract_version_id", "instalment_id", "amount", "paid_on", "payer_name", "reference", "equipment")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PAID_ON_FIELD_NUMBER: _ClassVar[int]
    PAYER_NAME_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    EQUIPMENT_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    contract_version_id: str
    instalment_id: str
    amount: _common_pb2.Money
    paid_on: str
    payer_name: str
    reference: str
    equipment: _containers.RepeatedCompositeFieldContainer[EquipmentLine]
    def __init__(self, contract_id: _Optional[str] = ..., contract_version_id: _Optional[str] = ..., instalment_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., paid_on: _Optional[str] = ..., payer_name: _Optional[str] = ..., reference: _Optional[str] = ..., equipment: _Optional[_Iterable[_Union[EquipmentLine, _Mapping]]] = ...) -> None: ...

class RecordReceiptResponse(_message.Message):
    __slots__ = ("receipt",)
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    receipt: Receipt
    def __init__(self, receipt: _Optional[_Union[Receipt, _Mapping]] = ...) -> None: ...

class ListReceiptsRequest(_message.Message):
    __slots__ = ("contract_id", "opportunity_id")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    opportunity_id: str
    def __init__(self, contract_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ...) -> None: ...

class ListReceiptsResponse(_message.Message):
    __slots__ = ("receipts",)
    RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    receipts: _containers.RepeatedCompositeFieldContainer[Receipt]
    def __init__(self, receipts: _Optional[_Iterable[_Union[Receipt, _Mapping]]] = ...) -> None: ...

class ReverseReceiptRequest(_message.Message):
    __slots__ = ("receipt_id", "reason")
    RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    receipt_id: str
    reason: str
    def __init__(self, receipt_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReverseReceiptResponse(_message.Message):
    __slots__ = ("receipt",)
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    receipt: Receipt
    def __init__(self, receipt: _Optional[_Union[Receipt, _Mapping]] = ...) -> None: ...

class RecordTriggerRequest(_message.Message):
    __slots__ = ("contract_id", "trigger", "on")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    trigger: str
    on: str
    def __init__(self, contract_id: _Optional[str] = ..., trigger: _Optional[str] = ..., on: _Optional[str] = ...) -> None: ...

class RecordTriggerResponse(_message.Message):
    __slots__ = ("plans",)
    PLANS_FIELD_NUMBER: _ClassVar[int]
    plans: _containers.RepeatedCompositeFieldContainer[PaymentPlan]
    def __init__(self, plans: _Optional[_Iterable[_Union[PaymentPlan, _Mapping]]] = ...) -> None: ...

class CheckLedgerRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CheckLedgerResponse(_message.Message):
    __slots__ = ("balanced", "problems", "postings", "received", "allocated", "written_off")
    BALANCED_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    POSTINGS_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    ALLOCATED_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_OFF_FIELD_NUMBER: _ClassVar[int]
    balanced: bool
    problems: _containers.RepeatedScalarFieldContainer[str]
    postings: int
    received: _common_pb2.Money
    allocated: _common_pb2.Money
    written_off: _common_pb2.Money
    def __init__(self, balanced: bool = ..., problems: _Optional[_Iterable[str]] = ..., postings: _Optional[int] = ..., received: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., allocated: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., written_off: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class ListHeldReceiptsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListHeldReceiptsResponse(_message.Message):
    __slots__ = ("receipts", "next_page_token")
    RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    receipts: _containers.RepeatedCompositeFieldContainer[Receipt]
    next_page_token: str
    def __init__(self, receipts: _Optional[_Iterable[_Union[Receipt, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ReleaseReceiptRequest(_message.Message):
    __slots__ = ("receipt_id", "note")
    RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    receipt_id: str
    note: str
    def __init__(self, receipt_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ReleaseReceiptResponse(_message.Message):
    __slots__ = ("receipt",)
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    receipt: Receipt
    def __init__(self, receipt: _Optional[_Union[Receipt, _Mapping]] = ...) -> None: ...

class RejectReceiptRequest(_message.Message):
    __slots__ = ("receipt_id", "note")
    RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    receipt_id: str
    note: str
    def __init__(self, receipt_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RejectReceiptResponse(_message.Message):
    __slots__ = ("receipt",)
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    receipt: Receipt
    def __init__(self, receipt: _Optional[_Union[Receipt, _Mapping]] = ...) -> None: ...

class WriteOff(_message.Message):
    __slots__ = ("write_off_id", "instalment_id", "receipt_id", "amount", "reason", "status", "written_by", "written_at", "reversed_by", "reversal_reason")
    WRITE_OFF_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_BY_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_AT_FIELD_NUMBER: _ClassVar[int]
    REVERSED_BY_FIELD_NUMBER: _ClassVar[int]
    REVERSAL_REASON_FIELD_NUMBER: _ClassVar[int]
    write_off_id: str
    instalment_id: str
    receipt_id: str
    amount: _common_pb2.Money
    reason: str
    status: str
    written_by: str
    written_at: _timestamp_pb2.Timestamp
    reversed_by: str
    reversal_reason: str
    def __init__(self, write_off_id: _Optional[str] = ..., instalment_id: _Optional[str] = ..., receipt_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., status: _Optional[str] = ..., written_by: _Optional[str] = ..., written_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reversed_by: _Optional[str] = ..., reversal_reason: _Optional[str] = ...) -> None: ...

class WriteOffInstalmentRequest(_message.Message):
    __slots__ = ("instalment_id", "amount", "reason")
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    instalment_id: str
    amount: _common_pb2.Money
    reason: str
    def __init__(self, instalment_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class WriteOffInstalmentResponse(_message.Message):
    __slots__ = ("write_off",)
    WRITE_OFF_FIELD_NUMBER: _ClassVar[int]
    write_off: WriteOff
    def __init__(self, write_off: _Optional[_Union[WriteOff, _Mapping]] = ...) -> None: ...

class ReverseWriteOffRequest(_message.Message):
    __slots__ = ("write_off_id", "reason")
    WRITE_OFF_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    write_off_id: str
    reason: str
    def __init__(self, write_off_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReverseWriteOffResponse(_message.Message):
    __slots__ = ("write_off",)
    WRITE_OFF_FIELD_NUMBER: _ClassVar[int]
    write_off: WriteOff
    def __init__(self, write_off: _Optional[_Union[WriteOff, _Mapping]] = ...) -> None: ...

class WaiveInstalmentRequest(_message.Message):
    __slots__ = ("instalment_id", "reason")
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    instalment_id: str
    reason: str
    def __init__(self, instalment_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class WaiveInstalmentResponse(_message.Message):
    __slots__ = ("instalment",)
    INSTALMENT_FIELD_NUMBER: _ClassVar[int]
    instalment: Instalment
    def __init__(self, instalment: _Optional[_Union[Instalment, _Mapping]] = ...) -> None: ...
