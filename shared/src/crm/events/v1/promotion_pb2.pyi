from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PromotionProgrammeChanged(_message.Message):
    __slots__ = ("programme_id", "name", "status", "starts_on", "ends_on", "changed_by")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    name: str
    status: str
    starts_on: str
    ends_on: str
    changed_by: str
    def __init__(self, programme_id: _Optional[str] = ..., name: _Optional[str] = ..., status: _Optional[str] = ..., starts_on: _Optional[str] = ..., ends_on: _Optional[str] = ..., changed_by: _Optional[str] = ...) -> None: ...

class PromotionApplicationSubmitted(_message.Message):
    __slots__ = ("application_id", "programme_id", "distributor_id", "applicant_id", "registration_id", "amount_asked")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    APPLICANT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_ASKED_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    programme_id: str
    distributor_id: str
    applicant_id: str
    registration_id: str
    amount_asked: _common_pb2.Money
    def __init__(self, application_id: _Optional[str] = ..., programme_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., applicant_id: _Optional[str] = ..., registration_id: _Optional[str] = ..., amount_asked: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class PromotionApplicationDecided(_message.Message):
    __slots__ = ("application_id", "programme_id", "distributor_id", "decision", "comment", "approval_id")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    programme_id: str
    distributor_id: str
    decision: str
    comment: str
    approval_id: str
    def __init__(self, application_id: _Optional[str] = ..., programme_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., decision: _Optional[str] = ..., comment: _Optional[str] = ..., approval_id: _Optional[str] = ...) -> None: ...
