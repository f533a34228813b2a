from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class RepProfileChanged(_message.Message):
    __slots__ = ("rep_id", "name", "team", "manager_id", "region", "seniority", "active")
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SENIORITY_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    rep_id: str
    name: str
    team: str
    manager_id: str
    region: str
    seniority: str
    active: bool
    def __init__(self, rep_id: _Optional[str] = ..., name: _Optional[str] = ..., team: _Optional[str] = ..., manager_id: _Optional[str] = ..., region: _Optional[str] = ..., seniority: _Optional[str] = ..., active: bool = ...) -> None: ...
