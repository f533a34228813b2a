from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SignedInstalment(_message.Message):
    __slots__ = ("name", "trigger", "days", "percent_bp", "amount_minor")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    PERCENT_BP_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    trigger: str
    days: int
    percent_bp: int
    amount_minor: int
    def __init__(self, name: _Optional[str] = ..., trigger: _Optional[str] = ..., days: _Optional[int] = ..., percent_bp: _Optional[int] = ..., amount_minor: _Optional[int] = ...) -> None: ...

class SignedEquipmentRow(_message.Message):
    __slots__ = ("model", "description", "quantity", "unit_price_minor")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_MINOR_FIELD_NUMBER: _ClassVar[int]
    model: str
    description: str
    quantity: int
    unit_price_minor: int
    def __init__(self, model: _Optional[str] = ..., description: _Optional[str] = ..., quantity: _Optional[int] = ..., unit_price_minor: _Optional[int] = ...) -> None: ...

class ContractSigned(_message.Message):
    __slots__ = ("contract_id", "version_id", "signed_version_id", "label", "version_number", "customer_id", "opportunity_id", "total", "instalments", "equipment", "signed_on", "parties", "signed_via", "supersedes_version_id", "delivery_lead_time_days", "warranty_months", "contract_number")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNED_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    VERSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    INSTALMENTS_FIELD_NUMBER: _ClassVar[int]
    EQUIPMENT_FIELD_NUMBER: _ClassVar[int]
    SIGNED_ON_FIELD_NUMBER: _ClassVar[int]
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    SIGNED_VIA_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDES_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_LEAD_TIME_DAYS_FIELD_NUMBER: _ClassVar[int]
    WARRANTY_MONTHS_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    version_id: str
    signed_version_id: str
    label: str
    version_number: int
    customer_id: str
    opportunity_id: str
    total: _common_pb2.Money
    instalments: _containers.RepeatedCompositeFieldContainer[SignedInstalment]
    equipment: _containers.RepeatedCompositeFieldContainer[SignedEquipmentRow]
    signed_on: str
    parties: _containers.RepeatedScalarFieldContainer[str]
    signed_via: str
    supersedes_version_id: str
    delivery_lead_time_days: int
    warranty_months: int
    contract_number: str
    def __init__(self, contract_id: _Optional[str] = ..., version_id: _Optional[str] = ..., signed_version_id: _Optional[str] = ..., label: _Optional[str] = ..., version_number: _Optional[int] = ..., customer_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., instalments: _Optional[_Iterable[_Union[SignedInstalment, _Mapping]]] = ..., equipment: _Optional[_Iterable[_Union[SignedEquipmentRow, _Mapping]]] = ..., signed_on: _Optional[str] = ..., parties: _Optional[_Iterable[str]] = ..., signed_via: _Optional[str] = ..., supersedes_version_id: _Optional[str] = ..., delivery_lead_time_days: _Optional[int] = ..., warranty_months: _Optional[int] = ..., contract_number: _Optional[str] = ...) -> None: ...

class ContractSuperseded(_message.Message):
    __slots__ = ("contract_id", "version_id", "signed_version_id", "label", "customer_id", "opportunity_id", "total", "instalments", "equipment", "signed_on", "superseded_by_version_id", "superseded_by_label", "contract_number")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNED_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    INSTALMENTS_FIELD_NUMBER: _ClassVar[int]
    EQUIPMENT_FIELD_NUMBER: _ClassVar[int]
    SIGNED_ON_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_BY_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_BY_LABEL_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    version_id: str
    signed_version_id: str
    label: str
    customer_id: str
    opportunity_id: str
    total: _common_pb2.Money
    instalments: _containers.RepeatedCompositeFieldContainer[SignedInstalment]
    equipment: _containers.RepeatedCompositeFieldContainer[SignedEquipmentRow]
    signed_on: str
    superseded_by_version_id: str
    superseded_by_label: str
    contract_number: str
    def __init__(self, contract_id: _Optional[str] = ..., version_id: _Optional[str] = ..., signed_version_id: _Optional[str] = ..., label: _Optional[str] = ..., customer_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., instalments: _Optional[_Iterable[_Union[SignedInstalment, _Mapping]]] = ..., equipment: _Optional[_Iterable[_Union[SignedEquipmentRow, _Mapping]]] = ..., signed_on: _Optional[str] = ..., superseded_by_version_id: _Optional[str] = ..., superseded_by_label: _Optional[str] = ..., contract_number: _Optional[str] = ...) -> None: ...

class EcnOrder(_message.Message):
    __slots__ = ("opportunity_id", "contract_id", "contract_label", "version_id", "doc_type", "models", "delivered", "delivered_on", "accepted_on")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_LABEL_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_ON_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_ON_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    contract_id: str
    contract_label: str
    version_id: str
    doc_type: str
    models: _containers.RepeatedScalarFieldContainer[str]
    delivered: bool
    delivered_on: str
    accepted_on: str
    def __init__(self, opportunity_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., contract_label: _Optional[str] = ..., version_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., models: _Optional[_Iterable[str]] = ..., delivered: bool = ..., delivered_on: _Optional[str] = ..., accepted_on: _Optional[str] = ...) -> None: ...

class EcnPublished(_message.Message):
    __slots__ = ("ecn_id", "number", "title", "change", "effective_date", "affected_models", "version_id", "orders", "delivered_orders")
    ECN_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    AFFECTED_MODELS_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_ORDERS_FIELD_NUMBER: _ClassVar[int]
    ecn_id: str
    number: str
    title: str
    change: str
    effective_date: str
    affected_models: _containers.RepeatedScalarFieldContainer[str]
    version_id: str
    orders: _containers.RepeatedCompositeFieldContainer[EcnOrder]
    delivered_orders: _containers.RepeatedCompositeFieldContainer[EcnOrder]
    def __init__(self, ecn_id: _Optional[str] = ..., number: _Optional[str] = ..., title: _Optional[str] = ..., change: _Optional[str] = ..., effective_date: _Optional[str] = ..., affected_models: _Optional[_Iterable[str]] = ..., version_id: _Optional[str] = ..., orders: _Optional[_Iterable[_Union[EcnOrder, _Mapping]]] = ..., delivered_orders: _Optional[_Iterable[_Union[EcnOrder, _Mapping]]] = ...) -> None: ...

class EcnTaskAnswered(_message.Message):
    __slots__ = ("task_id", "ecn_id", "opportunity_id", "contract_id", "answer", "note", "answered_by")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    ECN_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    ecn_id: str
    opportunity_id: str
    contract_id: str
    answer: str
    note: str
    answered_by: str
    def __init__(self, task_id: _Optional[str] = ..., ecn_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., answer: _Optional[str] = ..., note: _Optional[str] = ..., answered_by: _Optional[str] = ...) -> None: ...
