import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProgrammeTerms(_message.Message):
    __slots__ = ("name", "conditions", "starts_on", "ends_on", "product_lines", "benefit", "discount_percent", "support_amount")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINES_FIELD_NUMBER: _ClassVar[int]
    BENEFIT_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_PERCENT_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    name: str
    conditions: str
    starts_on: str
    ends_on: str
    product_lines: _containers.RepeatedScalarFieldContainer[str]
    benefit: str
    discount_percent: int
    support_amount: _common_pb2.Money
    def __init__(self, name: _Optional[str] = ..., conditions: _Optional[str] = ..., starts_on: _Optional[str] = ..., ends_on: _Optional[str] = ..., product_lines: _Optional[_Iterable[str]] = ..., benefit: _Optional[str] = ..., discount_percent: _Optional[int] = ..., support_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class Programme(_message.Message):
    __slots__ = ("programme_id", "terms", "status", "created_by", "created_at", "updated_at", "published_at", "version")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    terms: ProgrammeTerms
    status: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    published_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, programme_id: _Optional[str] = ..., terms: _Optional[_Union[ProgrammeTerms, _Mapping]] = ..., status: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class CreateProgrammeRequest(_message.Message):
    __slots__ = ("terms", "status")
    TERMS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    terms: ProgrammeTerms
    status: str
    def __init__(self, terms: _Optional[_Union[ProgrammeTerms, _Mapping]] = ..., status: _Optional[str] = ...) -> None: ...

class CreateProgrammeResponse(_message.Message):
    __slots__ = ("programme",)
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    programme: Programme
    def __init__(self, programme: _Optional[_Union[Programme, _Mapping]] = ...) -> None: ...

class UpdateProgrammeRequest(_message.Message):
    __slots__ = ("programme_id", "terms", "status", "version")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    terms: ProgrammeTerms
    status: str
    version: int
    def __init__(self, programme_id: _Optional[str] = ..., terms: _Optional[_Union[ProgrammeTerms, _Mapping]] = ..., status: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class UpdateProgrammeResponse(_message.Message):
    __slots__ = ("programme",)
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    programme: Programme
    def __init__(self, programme: _Optional[_Union[Programme, _Mapping]] = ...) -> None: ...

class GetProgrammeRequest(_message.Message):
    __slots__ = ("programme_id",)
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    def __init__(self, programme_id: _Optional[str] = ...) -> None: ...

class GetProgrammeResponse(_message.Message):
    __slots__ = ("programme",)
    PROGRAMME_FIELD_NUMBER: _ClassVar[int]
    programme: Programme
    def __init__(self, programme: _Optional[_Union[Programme, _Mapping]] = ...) -> None: ...

class ListProgrammesRequest(_message.Message):
    __slots__ = ("status", "page_size", "page_token")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    status: str
    page_size: int
    page_token: str
    def __init__(self, status: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListProgrammesResponse(_message.Message):
    __slots__ = ("programmes", "next_page_token")
    PROGRAMMES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    programmes: _containers.RepeatedCompositeFieldContainer[Programme]
    next_page_token: str
    def __init__(self, programmes: _Optional[_Iterable[_Union[Programme, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Application(_message.Message):
    __slots__ = ("application_id", "programme_id", "programme_name", "distributor_id", "applicant_id", "registration_id", "period_starts_on", "period_ends_on", "amount_asked", "note", "status", "approval_id", "decision", "decision_comment", "decided_at", "created_at", "updated_at")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAMME_NAME_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    APPLICANT_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    PERIOD_ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_ASKED_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    DECISION_COMMENT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    programme_id: str
    programme_name: str
    distributor_id: str
    applicant_id: str
    registration_id: str
    period_starts_on: str
    period_ends_on: str
    amount_asked: _common_pb2.Money
    note: str
    status: str
    approval_id: str
    decision: str
    decision_comment: str
    decided_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, application_id: _Optional[str] = ..., programme_id: _Optional[str] = ..., programme_name: _Optional[str] = ..., distributor_id: _Optional[str] = ..., applicant_id: _Optional[str] = ..., registration_id: _Optional[str] = ..., period_starts_on: _Optional[str] = ..., period_ends_on: _Optional[str] = ..., amount_asked: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., note: _Optional[str] = ..., status: _Optional[str] = ..., approval_id: _Optional[str] = ..., decision: _Optional[str] = ..., decision_comment: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubmitApplicationRequest(_message.Message):
    __slots__ = ("programme_id", "registration_id", "period_starts_on", "period_ends_on", "amount_asked", "note")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    PERIOD_ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_ASKED_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    registration_id: str
    period_starts_on: str
    period_ends_on: str
    amount_asked: _common_pb2.Money
    note: str
    def __init__(self, programme_id: _Optional[str] = ..., registration_id: _Optional[str] = ..., period_starts_on: _Optional[str] = ..., period_ends_on: _Optional[str] = ..., amount_asked: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class SubmitApplicationResponse(_message.Message):
    __slots__ = ("application",)
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    application: Application
    def __init__(self, application: _Optional[_Union[Application, _Mapping]] = ...) -> None: ...

class GetApplicationRequest(_message.Message):
    __slots__ = ("application_id",)
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    def __init__(self, application_id: _Optional[str] = ...) -> None: ...

class GetApplicationResponse(_message.Message):
    __slots__ = ("application",)
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    application: Application
    def __init__(self, application: _Optional[_Union[Application, _Mapping]] = ...) -> None: ...

class ListApplicationsRequest(_message.Message):
    __slots__ = ("programme_id", "status", "distributor_id", "page_size", "page_token")
    PROGRAMME_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTOR_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    programme_id: str
    status: str
    distributor_id: str
    page_size: int
    page_token: str
    def __init__(self, programme_id: _Optional[str] = ..., status: _Optional[str] = ..., distributor_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListApplicationsResponse(_message.Message):
    __slots__ = ("applications", "next_page_token")
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    applications: _containers.RepeatedCompositeFieldContainer[Application]
    next_page_token: str
    def __init__(self, applications: _Optional[_Iterable[_Union[Application, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
