import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class KnowledgeTags(_message.Message):
    __slots__ = ("industries", "product_lines", "stages", "signals", "competitors")
    INDUSTRIES_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINES_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    SIGNALS_FIELD_NUMBER: _ClassVar[int]
    COMPETITORS_FIELD_NUMBER: _ClassVar[int]
    industries: _containers.RepeatedScalarFieldContainer[str]
    product_lines: _containers.RepeatedScalarFieldContainer[str]
    stages: _containers.RepeatedScalarFieldContainer[str]
    signals: _containers.RepeatedScalarFieldContainer[str]
    competitors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, industries: _Optional[_Iterable[str]] = ..., product_lines: _Optional[_Iterable[str]] = ..., stages: _Optional[_Iterable[str]] = ..., signals: _Optional[_Iterable[str]] = ..., competitors: _Optional[_Iterable[str]] = ...) -> None: ...

class KnowledgeEntry(_message.Message):
    __slots__ = ("document_id", "title", "doc_type", "version_id", "version_number", "tags", "tagged_by", "tagged_at", "scanned")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TAGGED_BY_FIELD_NUMBER: _ClassVar[int]
    TAGGED_AT_FIELD_NUMBER: _ClassVar[int]
    SCANNED_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    title: str
    doc_type: str
    version_id: str
    version_number: int
    tags: KnowledgeTags
    tagged_by: str
    tagged_at: _timestamp_pb2.Timestamp
    scanned: bool
    def __init__(self, document_id: _Optional[str] = ..., title: _Optional[str] = ..., doc_type: _Optional[str] = ..., version_id: _Optional[str] = ..., version_number: _Optional[int] = ..., tags: _Optional[_Union[KnowledgeTags, _Mapping]] = ..., tagged_by: _Optional[str] = ..., tagged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., scanned: bool = ...) -> None: ...

class SetKnowledgeTagsRequest(_message.Message):
    __slots__ = ("document_id", "tags")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    tags: KnowledgeTags
    def __init__(self, document_id: _Optional[str] = ..., tags: _Optional[_Union[KnowledgeTags, _Mapping]] = ...) -> None: ...

class SetKnowledgeTagsResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: KnowledgeEntry
    def __init__(self, entry: _Optional[_Union[KnowledgeEntry, _Mapping]] = ...) -> None: ...

class KnowledgeHit(_message.Message):
    __slots__ = ("entry", "score", "why", "snippet")
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    WHY_FIELD_NUMBER: _ClassVar[int]
    SNIPPET_FIELD_NUMBER: _ClassVar[int]
    entry: KnowledgeEntry
    score: float
    why: _containers.RepeatedScalarFieldContainer[str]
    snippet: str
    def __init__(self, entry: _Optional[_Union[KnowledgeEntry, _Mapping]] = ..., score: _Optional[float] = ..., why: _Optional[_Iterable[str]] = ..., snippet: _Optional[str] = ...) -> None: ...

class SearchKnowledgeRequest(_message.Message):
    __slots__ = ("text", "tags", "page_size")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    text: str
    tags: KnowledgeTags
    page_size: int
    def __init__(self, text: _Optional[str] = ..., tags: _Optional[_Union[KnowledgeTags, _Mapping]] = ..., page_size: _Optional[int] = ...) -> None: ...

class SearchKnowledgeResponse(_message.Message):
    __slots__ = ("hits", "query_terms")
    HITS_FIELD_NUMBER: _ClassVar[int]
    QUERY_TERMS_FIELD_NUMBER: _ClassVar[int]
    hits: _containers.RepeatedCompositeFieldContainer[KnowledgeHit]
    query_terms: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, hits: _Optional[_Iterable[_Union[KnowledgeHit, _Mapping]]] = ..., query_terms: _Optional[_Iterable[str]] = ...) -> None: ...

class RecommendKnowledgeRequest(_message.Message):
    __slots__ = ("stage", "industry", "product_line", "signals", "competitor", "text", "page_size")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_LINE_FIELD_NUMBER: _ClassVar[int]
    SIGNALS_FIELD_NUMBER: _ClassVar[int]
    COMPETITOR_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    stage: str
    industry: str
    product_line: str
    signals: _containers.RepeatedScalarFieldContainer[str]
    competitor: str
    text: str
    page_size: int
    def __init__(self, stage: _Optional[str] = ..., industry: _Optional[str] = ..., product_line: _Optional[str] = ..., signals: _Optional[_Iterable[str]] = ..., competitor: _Optional[str] = ..., text: _Optional[str] = ..., page_size: _Optional[int] = ...) -> None: ...

class RecommendKnowledgeResponse(_message.Message):
    __slots__ = ("hits",)
    HITS_FIELD_NUMBER: _ClassVar[int]
    hits: _containers.RepeatedCompositeFieldContainer[KnowledgeHit]
    def __init__(self, hits: _Optional[_Iterable[_Union[KnowledgeHit, _Mapping]]] = ...) -> None: ...
