from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BankStatement(_message.Message):
    __slots__ = ("statement_id", "account", "format", "filename", "sha256", "has_balances", "opening_minor", "closing_minor", "currency", "period_from", "period_to", "imported_by", "imported_at", "status", "held_reason")
    STATEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    HAS_BALANCES_FIELD_NUMBER: _ClassVar[int]
    OPENING_MINOR_FIELD_NUMBER: _ClassVar[int]
    CLOSING_MINOR_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FROM_FIELD_NUMBER: _ClassVar[int]
    PERIOD_TO_FIELD_NUMBER: _ClassVar[int]
    IMPORTED_BY_FIELD_NUMBER: _ClassVar[int]
    IMPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HELD_REASON_FIELD_NUMBER: _ClassVar[int]
    statement_id: str
    account: str
    format: str
    filename: str
    sha256: str
    has_balances: bool
    opening_minor: int
    closing_minor: int
    currency: str
    period_from: str
    period_to: str
    imported_by: str
    imported_at: str
    status: str
    held_reason: str
    def __init__(self, statement_id: _Optional[str] = ..., account: _Optional[str] = ..., format: _Optional[str] = ..., filename: _Optional[str] = ..., sha256: _Optional[str] = ..., has_balances: bool = ..., opening_minor: _Optional[int] = ..., closing_minor: _Optional[int] = ..., currency: _Optional[str] = ..., period_from: _Optional[str] = ..., period_to: _Optional[str] = ..., imported_by: _Optional[str] = ..., imported_at: _Optional[str] = ..., status: _Optional[str] = ..., held_reason: _Optional[str] = ...) -> None: ...

class StatementLine(_message.Message):
    __slots__ = ("line_id", "statement_id", "account", "bank_ref", "booked_on", "value_on", "amount_minor", "currency", "direction", "counterparty_name", "counterparty_account", "remark", "status")
    LINE_ID_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    BANK_REF_FIELD_NUMBER: _ClassVar[int]
    BOOKED_ON_FIELD_NUMBER: _ClassVar[int]
    VALUE_ON_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    COUNTERPARTY_NAME_FIELD_NUMBER: _ClassVar[int]
    COUNTERPARTY_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    REMARK_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    line_id: str
    statement_id: str
    account: str
    bank_ref: str
    booked_on: str
    value_on: str
    amount_minor: int
    currency: str
    direction: str
    counterparty_name: str
    counterparty_account: str
    remark: str
    status: str
    def __init__(self, line_id: _Optional[str] = ..., statement_id: _Optional[str] = ..., account: _Optional[str] = ..., bank_ref: _Optional[str] = ..., booked_on: _Optional[str] = ..., value_on: _Optional[str] = ..., amount_minor: _Optional[int] = ..., currency: _Optional[str] = ..., direction: _Optional[str] = ..., counterparty_name: _Optional[str] = ..., counterparty_account: _Optional[str] = ..., remark: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class ImportReportLine(_message.Message):
    __slots__ = ("row", "outcome", "account", "bank_ref", "line_id", "reason")
    ROW_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    BANK_REF_FIELD_NUMBER: _ClassVar[int]
    LINE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    row: int
    outcome: str
    account: str
    bank_ref: str
    line_id: str
    reason: str
    def __init__(self, row: _Optional[int] = ..., outcome: _Optional[str] = ..., account: _Optional[str] = ..., bank_ref: _Optional[str] = ..., line_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ImportStatementRequest(_message.Message):
    __slots__ = ("filename", "content", "account", "format")
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    filename: str
    content: bytes
    account: str
    format: str
    def __init__(self, filename: _Optional[str] = ..., content: _Optional[bytes] = ..., account: _Optional[str] = ..., format: _Optional[str] = ...) -> None: ...

class ImportStatementResponse(_message.Message):
    __slots__ = ("statements", "lines", "new_count", "known_count", "rejected_count", "held")
    STATEMENTS_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    NEW_COUNT_FIELD_NUMBER: _ClassVar[int]
    KNOWN_COUNT_FIELD_NUMBER: _ClassVar[int]
    REJECTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    statements: _containers.RepeatedCompositeFieldContainer[BankStatement]
    lines: _containers.RepeatedCompositeFieldContainer[ImportReportLine]
    new_count: int
    known_count: int
    rejected_count: int
    held: bool
    def __init__(self, statements: _Optional[_Iterable[_Union[BankStatement, _Mapping]]] = ..., lines: _Optional[_Iterable[_Union[ImportReportLine, _Mapping]]] = ..., new_count: _Optional[int] = ..., known_count: _Optional[int] = ..., rejected_count: _Optional[int] = ..., held: bool = ...) -> None: ...

class ListStatementsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListStatementsResponse(_message.Message):
    __slots__ = ("statements", "next_page_token")
    STATEMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    statements: _containers.RepeatedCompositeFieldContainer[BankStatement]
    next_page_token: str
    def __init__(self, statements: _Optional[_Iterable[_Union[BankStatement, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListStatementLinesRequest(_message.Message):
    __slots__ = ("statement_id", "status", "page_size", "page_token")
    STATEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    statement_id: str
    status: str
    page_size: int
    page_token: str
    def __init__(self, statement_id: _Optional[str] = ..., status: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListStatementLinesResponse(_message.Message):
    __slots__ = ("lines", "next_page_token")
    LINES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedCompositeFieldContainer[StatementLine]
    next_page_token: str
    def __init__(self, lines: _Optional[_Iterable[_Union[StatementLine, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class BankLayoutColumn(_message.Message):
    __slots__ = ("field", "headers")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    field: str
    headers: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, field: _Optional[str] = ..., headers: _Optional[_Iterable[str]] = ...) -> None: ...

class BankLayout(_message.Message):
    __slots__ = ("name", "columns", "credit_marks")
    NAME_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    CREDIT_MARKS_FIELD_NUMBER: _ClassVar[int]
    name: str
    columns: _containers.RepeatedCompositeFieldContainer[BankLayoutColumn]
    credit_marks: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., columns: _Optional[_Iterable[_Union[BankLayoutColumn, _Mapping]]] = ..., credit_marks: _Optional[_Iterable[str]] = ...) -> None: ...

class ListBankLayoutsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListBankLayoutsResponse(_message.Message):
    __slots__ = ("layouts",)
    LAYOUTS_FIELD_NUMBER: _ClassVar[int]
    layouts: _containers.RepeatedCompositeFieldContainer[BankLayout]
    def __init__(self, layouts: _Optional[_Iterable[_Union[BankLayout, _Mapping]]] = ...) -> None: ...

class PutBankLayoutRequest(_message.Message):
    __slots__ = ("layout",)
    LAYOUT_FIELD_NUMBER: _ClassVar[int]
    layout: BankLayout
    def __init__(self, layout: _Optional[_Union[BankLayout, _Mapping]] = ...) -> None: ...

class PutBankLayoutResponse(_message.Message):
    __slots__ = ("layout",)
    LAYOUT_FIELD_NUMBER: _ClassVar[int]
    layout: BankLayout
    def __init__(self, layout: _Optional[_Union[BankLayout, _Mapping]] = ...) -> None: ...
