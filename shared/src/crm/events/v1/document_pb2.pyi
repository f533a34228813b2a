from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class DocumentVersionCreated(_message.Message):
    __slots__ = ("document_id", "version_id", "version_number", "opportunity_id", "doc_type", "sha256")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    version_id: str
    version_number: int
    opportunity_id: str
    doc_type: str
    sha256: str
    def __init__(self, document_id: _Optional[str] = ..., version_id: _Optional[str] = ..., version_number: _Optional[int] = ..., opportunity_id: _Optional[str] = ..., doc_type: _Optional[str] = ..., sha256: _Optional[str] = ...) -> None: ...
