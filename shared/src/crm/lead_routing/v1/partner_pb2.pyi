import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Territory(_message.Message):
    __slots__ = ("provinces", "cities", "industries", "accounts")
    PROVINCES_FIELD_NUMBER: _ClassVar[int]
    CITIES_FIELD_NUMBER: _ClassVar[int]
    INDUSTRIES_FIELD_NUMBER: _ClassVar[int]
    ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    provinces: _containers.RepeatedScalarFieldContainer[str]
    cities: _containers.RepeatedScalarFieldContainer[str]
    industries: _containers.RepeatedScalarFieldContainer[str]
    accounts: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, provinces: _Optional[_Iterable[str]] = ..., cities: _Optional[_Iterable[str]] = ..., industries: _Optional[_Iterable[str]] = ..., accounts: _Optional[_Iterable[str]] = ...) -> None: ...

class DistributorDetails(_message.Message):
    __slots__ = ("name", "credit_code", "territory", "tier", "contract_starts", "contract_ends", "users", "channel_manager_id", "active")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    TERRITORY_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_STARTS_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ENDS_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    name: str
    credit_code: str
    territory: Territory
    tier: str
    contract_starts: str
    contract_ends: str
    users: _containers.RepeatedScalarFieldContainer[str]
    channel_manager_id: str
    active: bool
    def __init__(self, name: _Optional[str] = ..., credit_code: _Optional[str] = ..., territory: _Optional[_Union[Territory, _Mapping]] = ..., tier: _Optional[str] = ..., contract_starts: _Optional[str] = ..., contract_ends: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ..., channel_manager_id: _Optional[str] = ..., active: bool = ...) -> None: ...

class Distributor(_message.Message):
    __slots__ = ("distributor_id", "details", "version", "updated_by", "created_at", "updated_at", "in_contract")
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    IN_CONTRACT_FIELD_NUMBER: _ClassVar[int]
    distributor_id: str
    details: DistributorDetails
    version: int
    updated_by: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    in_contract: bool
    def __init__(self, distributor_id: _Optional[str] = ..., details: _Optional[_Union[DistributorDetails, _Mapping]] = ..., version: _Optional[int] = ..., updated_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., in_contract: bool = ...) -> None: ...

class CreateDistributorRequest(_message.Message):
    __slots__ = ("distributor_id", "details")
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    distributor_id: str
    details: DistributorDetails
    def __init__(self, distributor_id: _Optional[str] = ..., details: _Optional[_Union[DistributorDetails, _Mapping]] = ...) -> None: ...

class CreateDistributorResponse(_message.Message):
    __slots__ = ("distributor",)
    DISTRIBUTOR_FIELD_NUMBER: _ClassVar[int]
    distributor: Distributor
    def __init__(self, distributor: _Optional[_Union[Distributor, _Mapping]] = ...) -> None: ...

class UpdateDistributorRequest(_message.Message):
    __slots__ = ("distributor_id", "details", "version")
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    distributor_id: str
    details: DistributorDetails
    version: int
    def __init__(self, distributor_id: _Optional[str] = ..., details: _Optional[_Union[DistributorDetails, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class UpdateDistributorResponse(_message.Message):
    __slots__ = ("distributor", "changed")
    DISTRIBUTOR_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    distributor: Distributor
    changed: bool
    def __init__(self, distributor: _Optional[_Union[Distributor, _Mapping]] = ..., changed: bool = ...) -> None: ...

class GetDistributorRequest(_message.Message):
    __slots__ = ("distributor_id",)
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    distributor_id: str
    def __init__(self, distributor_id: _Optional[str] = ...) -> None: ...

class GetDistributorResponse(_message.Message):
    __slots__ = ("distributor",)
    DISTRIBUTOR_FIELD_NUMBER: _ClassVar[int]
    distributor: Distributor
    def __init__(self, distributor: _Optional[_Union[Distributor, _Mapping]] = ...) -> None: ...

class ListDistributorsRequest(_message.Message):
    __slots__ = ("active", "channel_manager_id")
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    active: bool
    channel_manager_id: str
    def __init__(self, active: bool = ..., channel_manager_id: _Optional[str] = ...) -> None: ...

class ListDistributorsResponse(_message.Message):
    __slots__ = ("distributors",)
    DISTRIBUTORS_FIELD_NUMBER: _ClassVar[int]
    distributors: _containers.RepeatedCompositeFieldContainer[Distributor]
    def __init__(self, distributors: _Optional[_Iterable[_Union[Distributor, _Mapping]]] = ...) -> None: ...

class GetOwnDistributorRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetOwnDistributorResponse(_message.Message):
    __slots__ = ("distributor",)
    DISTRIBUTOR_FIELD_NUMBER: _ClassVar[int]
    distributor: Distributor
    def __init__(self, distributor: _Optional[_Union[Distributor, _Mapping]] = ...) -> None: ...
