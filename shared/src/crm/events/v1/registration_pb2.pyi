import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RegistrationSubmitted(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "registered_by", "company_name", "status", "outcome", "expected_amount", "conflict_kinds")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CONFLICT_KINDS_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    registered_by: str
    company_name: str
    status: str
    outcome: str
    expected_amount: _common_pb2.Money
    conflict_kinds: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., registered_by: _Optional[str] = ..., company_name: _Optional[str] = ..., status: _Optional[str] = ..., outcome: _Optional[str] = ..., expected_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., conflict_kinds: _Optional[_Iterable[str]] = ...) -> None: ...

class RegistrationRefused(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "reason")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    reason: str
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RegistrationClashOpened(_message.Message):
    __slots__ = ("clash_id", "first_registration_id", "second_registration_id", "first_distributor_id", "second_distributor_id", "matched_by")
    CLASH_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    SECOND_REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    SECOND_DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    MATCHED_BY_FIELD_NUMBER: _ClassVar[int]
    clash_id: str
    first_registration_id: str
    second_registration_id: str
    first_distributor_id: str
    second_distributor_id: str
    matched_by: str
    def __init__(self, clash_id: _Optional[str] = ..., first_registration_id: _Optional[str] = ..., second_registration_id: _Optional[str] = ..., first_distributor_id: _Optional[str] = ..., second_distributor_id: _Optional[str] = ..., matched_by: _Optional[str] = ...) -> None: ...

class RegistrationClashDecided(_message.Message):
    __slots__ = ("clash_id", "winner_registration_id", "loser_registration_id", "decided_by")
    CLASH_ID_FIELD_NUMBER: _ClassVar[int]
    WINNER_REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    LOSER_REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    clash_id: str
    winner_registration_id: str
    loser_registration_id: str
    decided_by: str
    def __init__(self, clash_id: _Optional[str] = ..., winner_registration_id: _Optional[str] = ..., loser_registration_id: _Optional[str] = ..., decided_by: _Optional[str] = ...) -> None: ...

class RegistrationApproved(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "lead_id", "protected_until", "approval_id")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PROTECTED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    lead_id: str
    protected_until: _timestamp_pb2.Timestamp
    approval_id: str
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., protected_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., approval_id: _Optional[str] = ...) -> None: ...

class RegistrationRejected(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "approval_id", "comment")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    approval_id: str
    comment: str
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., approval_id: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class RegistrationProtectionReminded(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "days_before", "protected_until")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    DAYS_BEFORE_FIELD_NUMBER: _ClassVar[int]
    PROTECTED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    days_before: int
    protected_until: _timestamp_pb2.Timestamp
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., days_before: _Optional[int] = ..., protected_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegistrationExtensionRequested(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "extension_id", "days", "requested_by")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_ID_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    extension_id: str
    days: int
    requested_by: str
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., extension_id: _Optional[str] = ..., days: _Optional[int] = ..., requested_by: _Optional[str] = ...) -> None: ...

class RegistrationExtended(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "extension_id", "days", "protected_until")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_ID_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    PROTECTED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    extension_id: str
    days: int
    protected_until: _timestamp_pb2.Timestamp
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., extension_id: _Optional[str] = ..., days: _Optional[int] = ..., protected_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegistrationExtensionRejected(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "extension_id", "comment")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    extension_id: str
    comment: str
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., extension_id: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class RegistrationLapsed(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "lead_id")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    lead_id: str
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., lead_id: _Optional[str] = ...) -> None: ...

class RegistrationConverted(_message.Message):
    __slots__ = ("registration_id", "distributor_id", "lead_id")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    distributor_id: str
    lead_id: str
    def __init__(self, registration_id: _Optional[str] = ..., distributor_id: _Optional[str] = ..., lead_id: _Optional[str] = ...) -> None: ...
