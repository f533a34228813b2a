import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ContractInstalment(_message.Message):
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

class ContractEquipmentRow(_message.Message):
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

class ContractFields(_message.Message):
    __slots__ = ("currency", "total_minor", "instalments", "delivery_lead_time_days", "warranty_months", "equipment")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_MINOR_FIELD_NUMBER: _ClassVar[int]
    INSTALMENTS_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_LEAD_TIME_DAYS_FIELD_NUMBER: _ClassVar[int]
    WARRANTY_MONTHS_FIELD_NUMBER: _ClassVar[int]
    EQUIPMENT_FIELD_NUMBER: _ClassVar[int]
    currency: str
    total_minor: int
    instalments: _containers.RepeatedCompositeFieldContainer[ContractInstalment]
    delivery_lead_time_days: int
    warranty_months: int
    equipment: _containers.RepeatedCompositeFieldContainer[ContractEquipmentRow]
    def __init__(self, currency: _Optional[str] = ..., total_minor: _Optional[int] = ..., instalments: _Optional[_Iterable[_Union[ContractInstalment, _Mapping]]] = ..., delivery_lead_time_days: _Optional[int] = ..., warranty_months: _Optional[int] = ..., equipment: _Optional[_Iterable[_Union[ContractEquipmentRow, _Mapping]]] = ...) -> None: ...

class ContractVersion(_message.Message):
    __slots__ = ("contract_id", "version_id", "state", "approval_id", "label", "signed_version_id", "signed_sha256", "signed_on", "parties", "signed_via", "signed_by", "signed_at", "superseded_by_version_id", "superseded_at", "fields", "submitted_at", "esign_provider", "esign_document_id")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SIGNED_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNED_SHA256_FIELD_NUMBER: _ClassVar[int]
    SIGNED_ON_FIELD_NUMBER: _ClassVar[int]
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    SIGNED_VIA_FIELD_NUMBER: _ClassVar[int]
    SIGNED_BY_FIELD_NUMBER: _ClassVar[int]
    SIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_BY_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_AT_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    ESIGN_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    ESIGN_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    version_id: str
    state: str
    approval_id: str
    label: str
    signed_version_id: str
    signed_sha256: str
    signed_on: str
    parties: _containers.RepeatedScalarFieldContainer[str]
    signed_via: str
    signed_by: str
    signed_at: _timestamp_pb2.Timestamp
    superseded_by_version_id: str
    superseded_at: _timestamp_pb2.Timestamp
    fields: ContractFields
    submitted_at: _timestamp_pb2.Timestamp
    esign_provider: str
    esign_document_id: str
    def __init__(self, contract_id: _Optional[str] = ..., version_id: _Optional[str] = ..., state: _Optional[str] = ..., approval_id: _Optional[str] = ..., label: _Optional[str] = ..., signed_version_id: _Optional[str] = ..., signed_sha256: _Optional[str] = ..., signed_on: _Optional[str] = ..., parties: _Optional[_Iterable[str]] = ..., signed_via: _Optional[str] = ..., signed_by: _Optional[str] = ..., signed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., superseded_by_version_id: _Optional[str] = ..., superseded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., fields: _Optional[_Union[ContractFields, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., esign_provider: _Optional[str] = ..., esign_document_id: _Optional[str] = ...) -> None: ...

class Contract(_message.Message):
    __slots__ = ("contract_id", "opportunity_id", "customer_id", "title", "state", "created_by", "created_at", "versions", "in_force", "contract_number")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    IN_FORCE_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    opportunity_id: str
    customer_id: str
    title: str
    state: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    versions: _containers.RepeatedCompositeFieldContainer[ContractVersion]
    in_force: ContractVersion
    contract_number: str
    def __init__(self, contract_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., title: _Optional[str] = ..., state: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., versions: _Optional[_Iterable[_Union[ContractVersion, _Mapping]]] = ..., in_force: _Optional[_Union[ContractVersion, _Mapping]] = ..., contract_number: _Optional[str] = ...) -> None: ...

class CreateContractRequest(_message.Message):
    __slots__ = ("opportunity_id", "title", "contract_number")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    title: str
    contract_number: str
    def __init__(self, opportunity_id: _Optional[str] = ..., title: _Optional[str] = ..., contract_number: _Optional[str] = ...) -> None: ...

class CreateContractResponse(_message.Message):
    __slots__ = ("contract",)
    CONTRACT_FIELD_NUMBER: _ClassVar[int]
    contract: Contract
    def __init__(self, contract: _Optional[_Union[Contract, _Mapping]] = ...) -> None: ...

class GetContractRequest(_message.Message):
    __slots__ = ("contract_id",)
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    def __init__(self, contract_id: _Optional[str] = ...) -> None: ...

class GetContractResponse(_message.Message):
    __slots__ = ("contract",)
    CONTRACT_FIELD_NUMBER: _ClassVar[int]
    contract: Contract
    def __init__(self, contract: _Optional[_Union[Contract, _Mapping]] = ...) -> None: ...

class ListContractsRequest(_message.Message):
    __slots__ = ("opportunity_id",)
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    def __init__(self, opportunity_id: _Optional[str] = ...) -> None: ...

class ListContractsResponse(_message.Message):
    __slots__ = ("contracts",)
    CONTRACTS_FIELD_NUMBER: _ClassVar[int]
    contracts: _containers.RepeatedCompositeFieldContainer[Contract]
    def __init__(self, contracts: _Optional[_Iterable[_Union[Contract, _Mapping]]] = ...) -> None: ...

class SignContractRequest(_message.Message):
    __slots__ = ("contract_id", "version_id", "label", "signed_on", "parties", "filename", "content_type", "content")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SIGNED_ON_FIELD_NUMBER: _ClassVar[int]
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    version_id: str
    label: str
    signed_on: str
    parties: _containers.RepeatedScalarFieldContainer[str]
    filename: str
    content_type: str
    content: bytes
    def __init__(self, contract_id: _Optional[str] = ..., version_id: _Optional[str] = ..., label: _Optional[str] = ..., signed_on: _Optional[str] = ..., parties: _Optional[_Iterable[str]] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class SignContractResponse(_message.Message):
    __slots__ = ("contract",)
    CONTRACT_FIELD_NUMBER: _ClassVar[int]
    contract: Contract
    def __init__(self, contract: _Optional[_Union[Contract, _Mapping]] = ...) -> None: ...

class SendForEsignRequest(_message.Message):
    __slots__ = ("contract_id", "version_id", "label", "provider", "provider_document_id")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    version_id: str
    label: str
    provider: str
    provider_document_id: str
    def __init__(self, contract_id: _Optional[str] = ..., version_id: _Optional[str] = ..., label: _Optional[str] = ..., provider: _Optional[str] = ..., provider_document_id: _Optional[str] = ...) -> None: ...

class SendForEsignResponse(_message.Message):
    __slots__ = ("contract",)
    CONTRACT_FIELD_NUMBER: _ClassVar[int]
    contract: Contract
    def __init__(self, contract: _Optional[_Union[Contract, _Mapping]] = ...) -> None: ...

class RecordEsignatureRequest(_message.Message):
    __slots__ = ("provider", "provider_document_id", "signed_sha256", "signed_on", "parties")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNED_SHA256_FIELD_NUMBER: _ClassVar[int]
    SIGNED_ON_FIELD_NUMBER: _ClassVar[int]
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    provider: str
    provider_document_id: str
    signed_sha256: str
    signed_on: str
    parties: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, provider: _Optional[str] = ..., provider_document_id: _Optional[str] = ..., signed_sha256: _Optional[str] = ..., signed_on: _Optional[str] = ..., parties: _Optional[_Iterable[str]] = ...) -> None: ...

class RecordEsignatureResponse(_message.Message):
    __slots__ = ("contract",)
    CONTRACT_FIELD_NUMBER: _ClassVar[int]
    contract: Contract
    def __init__(self, contract: _Optional[_Union[Contract, _Mapping]] = ...) -> None: ...

class GetContractInForceRequest(_message.Message):
    __slots__ = ("opportunity_id",)
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    def __init__(self, opportunity_id: _Optional[str] = ...) -> None: ...

class GetContractInForceResponse(_message.Message):
    __slots__ = ("contract_id", "version")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    version: ContractVersion
    def __init__(self, contract_id: _Optional[str] = ..., version: _Optional[_Union[ContractVersion, _Mapping]] = ...) -> None: ...
