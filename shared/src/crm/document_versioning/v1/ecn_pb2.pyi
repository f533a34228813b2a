import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EcnAffectedOrder(_message.Message):
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

class Ecn(_message.Message):
    __slots__ = ("ecn_id", "number", "title", "change", "effective_date", "affected_models", "document_id", "version_id", "published_by", "published_at", "orders")
    ECN_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    AFFECTED_MODELS_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    ecn_id: str
    number: str
    title: str
    change: str
    effective_date: str
    affected_models: _containers.RepeatedScalarFieldContainer[str]
    document_id: str
    version_id: str
    published_by: str
    published_at: _timestamp_pb2.Timestamp
    orders: _containers.RepeatedCompositeFieldContainer[EcnAffectedOrder]
    def __init__(self, ecn_id: _Optional[str] = ..., number: _Optional[str] = ..., title: _Optional[str] = ..., change: _Optional[str] = ..., effective_date: _Optional[str] = ..., affected_models: _Optional[_Iterable[str]] = ..., document_id: _Optional[str] = ..., version_id: _Optional[str] = ..., published_by: _Optional[str] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., orders: _Optional[_Iterable[_Union[EcnAffectedOrder, _Mapping]]] = ...) -> None: ...

class PublishEcnRequest(_message.Message):
    __slots__ = ("number", "title", "change", "effective_date", "affected_models", "filename", "content_type", "content")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    AFFECTED_MODELS_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    number: str
    title: str
    change: str
    effective_date: str
    affected_models: _containers.RepeatedScalarFieldContainer[str]
    filename: str
    content_type: str
    content: bytes
    def __init__(self, number: _Optional[str] = ..., title: _Optional[str] = ..., change: _Optional[str] = ..., effective_date: _Optional[str] = ..., affected_models: _Optional[_Iterable[str]] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class PublishEcnResponse(_message.Message):
    __slots__ = ("ecn",)
    ECN_FIELD_NUMBER: _ClassVar[int]
    ecn: Ecn
    def __init__(self, ecn: _Optional[_Union[Ecn, _Mapping]] = ...) -> None: ...

class GetEcnRequest(_message.Message):
    __slots__ = ("ecn_id",)
    ECN_ID_FIELD_NUMBER: _ClassVar[int]
    ecn_id: str
    def __init__(self, ecn_id: _Optional[str] = ...) -> None: ...

class GetEcnResponse(_message.Message):
    __slots__ = ("ecn",)
    ECN_FIELD_NUMBER: _ClassVar[int]
    ecn: Ecn
    def __init__(self, ecn: _Optional[_Union[Ecn, _Mapping]] = ...) -> None: ...

class ListEcnsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListEcnsResponse(_message.Message):
    __slots__ = ("ecns",)
    ECNS_FIELD_NUMBER: _ClassVar[int]
    ecns: _containers.RepeatedCompositeFieldContainer[Ecn]
    def __init__(self, ecns: _Optional[_Iterable[_Union[Ecn, _Mapping]]] = ...) -> None: ...
