from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class DistributorChanged(_message.Message):
    __slots__ = ("distributor_id", "name", "credit_code", "tier", "users", "channel_manager_id", "active", "contract_starts", "contract_ends", "version", "created", "changed_by")
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_STARTS_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ENDS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    distributor_id: str
    name: str
    credit_code: str
    tier: str
    users: _containers.RepeatedScalarFieldContainer[str]
    channel_manager_id: str
    active: bool
    contract_starts: str
    contract_ends: str
    version: int
    created: bool
    changed_by: str
    def __init__(self, distributor_id: _Optional[str] = ..., name: _Optional[str] = ..., credit_code: _Optional[str] = ..., tier: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ..., channel_manager_id: _Optional[str] = ..., active: bool = ..., contract_starts: _Optional[str] = ..., contract_ends: _Optional[str] = ..., version: _Optional[int] = ..., created: bool = ..., changed_by: _Optional[str] = ...) -> None: ...
