import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DepartmentMember(_message.Message):
    __slots__ = ("user_id", "role")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    role: str
    def __init__(self, user_id: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class Department(_message.Message):
    __slots__ = ("department_id", "name", "head_id", "members", "version", "updated_by", "updated_at")
    DEPARTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    HEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    department_id: str
    name: str
    head_id: str
    members: _containers.RepeatedCompositeFieldContainer[DepartmentMember]
    version: int
    updated_by: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, department_id: _Optional[str] = ..., name: _Optional[str] = ..., head_id: _Optional[str] = ..., members: _Optional[_Iterable[_Union[DepartmentMember, _Mapping]]] = ..., version: _Optional[int] = ..., updated_by: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateDepartmentRequest(_message.Message):
    __slots__ = ("name", "head_id", "members")
    NAME_FIELD_NUMBER: _ClassVar[int]
    HEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    head_id: str
    members: _containers.RepeatedCompositeFieldContainer[DepartmentMember]
    def __init__(self, name: _Optional[str] = ..., head_id: _Optional[str] = ..., members: _Optional[_Iterable[_Union[DepartmentMember, _Mapping]]] = ...) -> None: ...

class CreateDepartmentResponse(_message.Message):
    __slots__ = ("department",)
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    department: Department
    def __init__(self, department: _Optional[_Union[Department, _Mapping]] = ...) -> None: ...

class UpdateDepartmentRequest(_message.Message):
    __slots__ = ("department_id", "expected_version", "name", "head_id", "members")
    DEPARTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    HEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    department_id: str
    expected_version: int
    name: str
    head_id: str
    members: _containers.RepeatedCompositeFieldContainer[DepartmentMember]
    def __init__(self, department_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., name: _Optional[str] = ..., head_id: _Optional[str] = ..., members: _Optional[_Iterable[_Union[DepartmentMember, _Mapping]]] = ...) -> None: ...

class UpdateDepartmentResponse(_message.Message):
    __slots__ = ("department",)
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    department: Department
    def __init__(self, department: _Optional[_Union[Department, _Mapping]] = ...) -> None: ...

class DeleteDepartmentRequest(_message.Message):
    __slots__ = ("department_id",)
    DEPARTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    department_id: str
    def __init__(self, department_id: _Optional[str] = ...) -> None: ...

class DeleteDepartmentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetDepartmentRequest(_message.Message):
    __slots__ = ("department_id",)
    DEPARTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    department_id: str
    def __init__(self, department_id: _Optional[str] = ...) -> None: ...

class GetDepartmentResponse(_message.Message):
    __slots__ = ("department",)
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    department: Department
    def __init__(self, department: _Optional[_Union[Department, _Mapping]] = ...) -> None: ...

class ListDepartmentsRequest(_message.Message):
    __slots__ = ("member_id",)
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    def __init__(self, member_id: _Optional[str] = ...) -> None: ...

class ListDepartmentsResponse(_message.Message):
    __slots__ = ("departments",)
    DEPARTMENTS_FIELD_NUMBER: _ClassVar[int]
    departments: _containers.RepeatedCompositeFieldContainer[Department]
    def __init__(self, departments: _Optional[_Iterable[_Union[Department, _Mapping]]] = ...) -> None: ...

class Delegation(_message.Message):
    __slots__ = ("delegation_id", "user_id", "deputy_id", "starts_at", "ends_at", "reason", "created_by", "created_at", "cancelled_at")
    DELEGATION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DEPUTY_ID_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    delegation_id: str
    user_id: str
    deputy_id: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    reason: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    cancelled_at: _timestamp_pb2.Timestamp
    def __init__(self, delegation_id: _Optional[str] = ..., user_id: _Optional[str] = ..., deputy_id: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateDelegationRequest(_message.Message):
    __slots__ = ("user_id", "deputy_id", "starts_at", "ends_at", "reason")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DEPUTY_ID_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    deputy_id: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    reason: str
    def __init__(self, user_id: _Optional[str] = ..., deputy_id: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class CreateDelegationResponse(_message.Message):
    __slots__ = ("delegation",)
    DELEGATION_FIELD_NUMBER: _ClassVar[int]
    delegation: Delegation
    def __init__(self, delegation: _Optional[_Union[Delegation, _Mapping]] = ...) -> None: ...

class CancelDelegationRequest(_message.Message):
    __slots__ = ("delegation_id",)
    DELEGATION_ID_FIELD_NUMBER: _ClassVar[int]
    delegation_id: str
    def __init__(self, delegation_id: _Optional[str] = ...) -> None: ...

class CancelDelegationResponse(_message.Message):
    __slots__ = ("delegation",)
    DELEGATION_FIELD_NUMBER: _ClassVar[int]
    delegation: Delegation
    def __init__(self, delegation: _Optional[_Union[Delegation, _Mapping]] = ...) -> None: ...

class GetDelegationRequest(_message.Message):
    __slots__ = ("delegation_id",)
    DELEGATION_ID_FIELD_NUMBER: _ClassVar[int]
    delegation_id: str
    def __init__(self, delegation_id: _Optional[str] = ...) -> None: ...

class GetDelegationResponse(_message.Message):
    __slots__ = ("delegation",)
    DELEGATION_FIELD_NUMBER: _ClassVar[int]
    delegation: Delegation
    def __init__(self, delegation: _Optional[_Union[Delegation, _Mapping]] = ...) -> None: ...

class ListDelegationsRequest(_message.Message):
    __slots__ = ("user_id", "include_past")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_PAST_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    include_past: bool
    def __init__(self, user_id: _Optional[str] = ..., include_past: bool = ...) -> None: ...

class ListDelegationsResponse(_message.Message):
    __slots__ = ("delegations",)
    DELEGATIONS_FIELD_NUMBER: _ClassVar[int]
    delegations: _containers.RepeatedCompositeFieldContainer[Delegation]
    def __init__(self, delegations: _Optional[_Iterable[_Union[Delegation, _Mapping]]] = ...) -> None: ...
