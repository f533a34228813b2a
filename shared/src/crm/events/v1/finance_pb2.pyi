from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PaymentRecorded(_message.Message):
    __slots__ = ("payment_id", "opportunity_id", "amount", "payer_name", "reference")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PAYER_NAME_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    opportunity_id: str
    amount: _common_pb2.Money
    payer_name: str
    reference: str
    def __init__(self, payment_id: _Optional[str] = ..., opportunity_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., payer_name: _Optional[str] = ..., reference: _Optional[str] = ...) -> None: ...
