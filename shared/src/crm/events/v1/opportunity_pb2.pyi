from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OpportunityCreated(_message.Message):
    __slots__ = ("opportunity_id", "customer_id", "customer_name", "name", "owner_id", "lead_id", "amount")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    customer_id: str
    customer_name: str
    name: str
    owner_id: str
    lead_id: str
    amount: _common_pb2.Money
    def __init__(self, opportunity_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., name: _Optional[str] = ..., owner_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class OpportunityApprovalRecorded(_message.Message):
    __slots__ = ("opportunity_id", "approval_id", "decision")
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    approval_id: str
    decision: str
    def __init__(self, opportunity_id: _Optional[str] = ..., approval_id: _Optional[str] = ..., decision: _Optional[str] = ...) -> None: ...
