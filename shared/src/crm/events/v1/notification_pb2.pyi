from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class NotificationRequested(_message.Message):
    __slots__ = ("recipient_id", "kind", "title", "body", "subject_type", "subject_id", "notify_group")
    RECIPIENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NOTIFY_GROUP_FIELD_NUMBER: _ClassVar[int]
    recipient_id: str
    kind: str
    title: str
    body: str
    subject_type: str
    subject_id: str
    notify_group: bool
    def __init__(self, recipient_id: _Optional[str] = ..., kind: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., notify_group: bool = ...) -> None: ...
