from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MatchTolerance(_message.Message):
    __slots__ = ("under_minor", "over_minor", "under_bp", "over_bp")
    UNDER_MINOR_FIELD_NUMBER: _ClassVar[int]
    OVER_MINOR_FIELD_NUMBER: _ClassVar[int]
    UNDER_BP_FIELD_NUMBER: _ClassVar[int]
    OVER_BP_FIELD_NUMBER: _ClassVar[int]
    under_minor: int
    over_minor: int
    under_bp: int
    over_bp: int
    def __init__(self, under_minor: _Optional[int] = ..., over_minor: _Optional[int] = ..., under_bp: _Optional[int] = ..., over_bp: _Optional[int] = ...) -> None: ...

class MatchRule(_message.Message):
    __slots__ = ("rule_id", "position", "kind", "name", "enabled", "pattern", "min_name_score", "window_days", "tolerance", "auto_score")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    MIN_NAME_SCORE_FIELD_NUMBER: _ClassVar[int]
    WINDOW_DAYS_FIELD_NUMBER: _ClassVar[int]
    TOLERANCE_FIELD_NUMBER: _ClassVar[int]
    AUTO_SCORE_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    position: int
    kind: str
    name: str
    enabled: bool
    pattern: str
    min_name_score: float
    window_days: int
    tolerance: MatchTolerance
    auto_score: float
    def __init__(self, rule_id: _Optional[str] = ..., position: _Optional[int] = ..., kind: _Optional[str] = ..., name: _Optional[str] = ..., enabled: bool = ..., pattern: _Optional[str] = ..., min_name_score: _Optional[float] = ..., window_days: _Optional[int] = ..., tolerance: _Optional[_Union[MatchTolerance, _Mapping]] = ..., auto_score: _Optional[float] = ...) -> None: ...

class MatchAllocation(_message.Message):
    __slots__ = ("instalment_id", "amount_minor")
    INSTALMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    instalment_id: str
    amount_minor: int
    def __init__(self, instalment_id: _Optional[str] = ..., amount_minor: _Optional[int] = ...) -> None: ...

class Match(_message.Message):
    __slots__ = ("match_id", "line_id", "allocations", "amount_minor", "currency", "rule_id", "rule_kind", "score", "evidence_json", "status", "by", "at", "reason", "receipt_ids", "write_offs", "auto", "confident", "confirmed_by", "confirmed_at")
    MATCH_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_KIND_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_JSON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_IDS_FIELD_NUMBER: _ClassVar[int]
    WRITE_OFFS_FIELD_NUMBER: _ClassVar[int]
    AUTO_FIELD_NUMBER: _ClassVar[int]
    CONFIDENT_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_BY_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_AT_FIELD_NUMBER: _ClassVar[int]
    match_id: str
    line_id: str
    allocations: _containers.RepeatedCompositeFieldContainer[MatchAllocation]
    amount_minor: int
    currency: str
    rule_id: str
    rule_kind: str
    score: float
    evidence_json: str
    status: str
    by: str
    at: str
    reason: str
    receipt_ids: _containers.RepeatedScalarFieldContainer[str]
    write_offs: _containers.RepeatedCompositeFieldContainer[MatchAllocation]
    auto: bool
    confident: bool
    confirmed_by: str
    confirmed_at: str
    def __init__(self, match_id: _Optional[str] = ..., line_id: _Optional[str] = ..., allocations: _Optional[_Iterable[_Union[MatchAllocation, _Mapping]]] = ..., amount_minor: _Optional[int] = ..., currency: _Optional[str] = ..., rule_id: _Optional[str] = ..., rule_kind: _Optional[str] = ..., score: _Optional[float] = ..., evidence_json: _Optional[str] = ..., status: _Optional[str] = ..., by: _Optional[str] = ..., at: _Optional[str] = ..., reason: _Optional[str] = ..., receipt_ids: _Optional[_Iterable[str]] = ..., write_offs: _Optional[_Iterable[_Union[MatchAllocation, _Mapping]]] = ..., auto: bool = ..., confident: bool = ..., confirmed_by: _Optional[str] = ..., confirmed_at: _Optional[str] = ...) -> None: ...

class RunMatchingRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RunMatchingResponse(_message.Message):
    __slots__ = ("lines", "open_instalments", "suggestions", "confirmed", "more")
    LINES_FIELD_NUMBER: _ClassVar[int]
    OPEN_INSTALMENTS_FIELD_NUMBER: _ClassVar[int]
    SUGGESTIONS_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    MORE_FIELD_NUMBER: _ClassVar[int]
    lines: int
    open_instalments: int
    suggestions: _containers.RepeatedCompositeFieldContainer[Match]
    confirmed: _containers.RepeatedCompositeFieldContainer[Match]
    more: bool
    def __init__(self, lines: _Optional[int] = ..., open_instalments: _Optional[int] = ..., suggestions: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., confirmed: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., more: bool = ...) -> None: ...

class ListSuggestionsRequest(_message.Message):
    __slots__ = ("after", "limit")
    AFTER_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    after: str
    limit: int
    def __init__(self, after: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListSuggestionsResponse(_message.Message):
    __slots__ = ("suggestions",)
    SUGGESTIONS_FIELD_NUMBER: _ClassVar[int]
    suggestions: _containers.RepeatedCompositeFieldContainer[Match]
    def __init__(self, suggestions: _Optional[_Iterable[_Union[Match, _Mapping]]] = ...) -> None: ...

class RejectMatchRequest(_message.Message):
    __slots__ = ("match_id", "reason")
    MATCH_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    match_id: str
    reason: str
    def __init__(self, match_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RejectMatchResponse(_message.Message):
    __slots__ = ("match",)
    MATCH_FIELD_NUMBER: _ClassVar[int]
    match: Match
    def __init__(self, match: _Optional[_Union[Match, _Mapping]] = ...) -> None: ...

class ListMatchRulesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListMatchRulesResponse(_message.Message):
    __slots__ = ("rules",)
    RULES_FIELD_NUMBER: _ClassVar[int]
    rules: _containers.RepeatedCompositeFieldContainer[MatchRule]
    def __init__(self, rules: _Optional[_Iterable[_Union[MatchRule, _Mapping]]] = ...) -> None: ...

class SaveMatchRuleRequest(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: MatchRule
    def __init__(self, rule: _Optional[_Union[MatchRule, _Mapping]] = ...) -> None: ...

class SaveMatchRuleResponse(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: MatchRule
    def __init__(self, rule: _Optional[_Union[MatchRule, _Mapping]] = ...) -> None: ...

class DeleteMatchRuleRequest(_message.Message):
    __slots__ = ("rule_id",)
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    def __init__(self, rule_id: _Optional[str] = ...) -> None: ...

class DeleteMatchRuleResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ConfirmMatchRequest(_message.Message):
    __slots__ = ("match_id",)
    MATCH_ID_FIELD_NUMBER: _ClassVar[int]
    match_id: str
    def __init__(self, match_id: _Optional[str] = ...) -> None: ...

class ConfirmMatchResponse(_message.Message):
    __slots__ = ("match",)
    MATCH_FIELD_NUMBER: _ClassVar[int]
    match: Match
    def __init__(self, match: _Optional[_Union[Match, _Mapping]] = ...) -> None: ...

class ReverseMatchRequest(_message.Message):
    __slots__ = ("match_id", "reason")
    MATCH_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    match_id: str
    reason: str
    def __init__(self, match_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReverseMatchResponse(_message.Message):
    __slots__ = ("match",)
    MATCH_FIELD_NUMBER: _ClassVar[int]
    match: Match
    def __init__(self, match: _Optional[_Union[Match, _Mapping]] = ...) -> None: ...

class ListMatchesRequest(_message.Message):
    __slots__ = ("status", "page_size", "page_token")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    status: str
    page_size: int
    page_token: str
    def __init__(self, status: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMatchesResponse(_message.Message):
    __slots__ = ("matches", "next_page_token")
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    matches: _containers.RepeatedCompositeFieldContainer[Match]
    next_page_token: str
    def __init__(self, matches: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
