import datetime

from crm.opportunity.v1 import customer_pb2 as _customer_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TagWords(_message.Message):
    __slots__ = ("tag", "words")
    TAG_FIELD_NUMBER: _ClassVar[int]
    WORDS_FIELD_NUMBER: _ClassVar[int]
    tag: str
    words: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tag: _Optional[str] = ..., words: _Optional[_Iterable[str]] = ...) -> None: ...

class ActivityAnalysis(_message.Message):
    __slots__ = ("activity_id", "occurred_at", "kind", "source", "tags", "summary", "keywords")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    KEYWORDS_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    occurred_at: _timestamp_pb2.Timestamp
    kind: str
    source: str
    tags: _containers.RepeatedCompositeFieldContainer[TagWords]
    summary: _containers.RepeatedScalarFieldContainer[str]
    keywords: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, activity_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[str] = ..., source: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[TagWords, _Mapping]]] = ..., summary: _Optional[_Iterable[str]] = ..., keywords: _Optional[_Iterable[str]] = ...) -> None: ...

class UnmatchedLine(_message.Message):
    __slots__ = ("line", "source_id", "reason")
    LINE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    line: int
    source_id: str
    reason: str
    def __init__(self, line: _Optional[int] = ..., source_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ImportWecomExportRequest(_message.Message):
    __slots__ = ("content",)
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    def __init__(self, content: _Optional[bytes] = ...) -> None: ...

class ImportWecomExportResponse(_message.Message):
    __slots__ = ("imported", "duplicates", "unmatched", "activity_ids")
    IMPORTED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    UNMATCHED_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_IDS_FIELD_NUMBER: _ClassVar[int]
    imported: int
    duplicates: int
    unmatched: _containers.RepeatedCompositeFieldContainer[UnmatchedLine]
    activity_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, imported: _Optional[int] = ..., duplicates: _Optional[int] = ..., unmatched: _Optional[_Iterable[_Union[UnmatchedLine, _Mapping]]] = ..., activity_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class TranscriptTurn(_message.Message):
    __slots__ = ("speaker", "at", "text")
    SPEAKER_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    speaker: str
    at: _timestamp_pb2.Timestamp
    text: str
    def __init__(self, speaker: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., text: _Optional[str] = ...) -> None: ...

class ImportTranscriptRequest(_message.Message):
    __slots__ = ("source_id", "phone", "customer_id", "started_at", "turns", "opportunity_id")
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    TURNS_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    source_id: str
    phone: str
    customer_id: str
    started_at: _timestamp_pb2.Timestamp
    turns: _containers.RepeatedCompositeFieldContainer[TranscriptTurn]
    opportunity_id: str
    def __init__(self, source_id: _Optional[str] = ..., phone: _Optional[str] = ..., customer_id: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., turns: _Optional[_Iterable[_Union[TranscriptTurn, _Mapping]]] = ..., opportunity_id: _Optional[str] = ...) -> None: ...

class ConvertMessageRequest(_message.Message):
    __slots__ = ("customer_id", "source_id", "sender", "sent_at", "text", "opportunity_id")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    source_id: str
    sender: str
    sent_at: _timestamp_pb2.Timestamp
    text: str
    opportunity_id: str
    def __init__(self, customer_id: _Optional[str] = ..., source_id: _Optional[str] = ..., sender: _Optional[str] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., text: _Optional[str] = ..., opportunity_id: _Optional[str] = ...) -> None: ...

class ImportedActivity(_message.Message):
    __slots__ = ("activity", "analysis", "duplicate")
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    ANALYSIS_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    activity: _customer_pb2.Activity
    analysis: ActivityAnalysis
    duplicate: bool
    def __init__(self, activity: _Optional[_Union[_customer_pb2.Activity, _Mapping]] = ..., analysis: _Optional[_Union[ActivityAnalysis, _Mapping]] = ..., duplicate: bool = ...) -> None: ...

class ImportTranscriptResponse(_message.Message):
    __slots__ = ("imported",)
    IMPORTED_FIELD_NUMBER: _ClassVar[int]
    imported: ImportedActivity
    def __init__(self, imported: _Optional[_Union[ImportedActivity, _Mapping]] = ...) -> None: ...

class ConvertMessageResponse(_message.Message):
    __slots__ = ("imported",)
    IMPORTED_FIELD_NUMBER: _ClassVar[int]
    imported: ImportedActivity
    def __init__(self, imported: _Optional[_Union[ImportedActivity, _Mapping]] = ...) -> None: ...

class SetContactWecomIdRequest(_message.Message):
    __slots__ = ("customer_id", "contact_id", "external_id")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    contact_id: str
    external_id: str
    def __init__(self, customer_id: _Optional[str] = ..., contact_id: _Optional[str] = ..., external_id: _Optional[str] = ...) -> None: ...

class SetContactWecomIdResponse(_message.Message):
    __slots__ = ("contact_id", "external_id")
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    external_id: str
    def __init__(self, contact_id: _Optional[str] = ..., external_id: _Optional[str] = ...) -> None: ...

class ListContactChannelsRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class ContactChannel(_message.Message):
    __slots__ = ("contact_id", "channel", "external_id", "set_by", "set_at")
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    SET_AT_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    channel: str
    external_id: str
    set_by: str
    set_at: _timestamp_pb2.Timestamp
    def __init__(self, contact_id: _Optional[str] = ..., channel: _Optional[str] = ..., external_id: _Optional[str] = ..., set_by: _Optional[str] = ..., set_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListContactChannelsResponse(_message.Message):
    __slots__ = ("channels",)
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedCompositeFieldContainer[ContactChannel]
    def __init__(self, channels: _Optional[_Iterable[_Union[ContactChannel, _Mapping]]] = ...) -> None: ...

class ListActivityTagsRequest(_message.Message):
    __slots__ = ("customer_id", "since")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    since: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListActivityTagsResponse(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[ActivityAnalysis]
    def __init__(self, items: _Optional[_Iterable[_Union[ActivityAnalysis, _Mapping]]] = ...) -> None: ...

class GetConversationSummaryRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class SummarySentence(_message.Message):
    __slots__ = ("text", "activity_id", "occurred_at")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    text: str
    activity_id: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, text: _Optional[str] = ..., activity_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetConversationSummaryResponse(_message.Message):
    __slots__ = ("sentences", "keywords", "activities")
    SENTENCES_FIELD_NUMBER: _ClassVar[int]
    KEYWORDS_FIELD_NUMBER: _ClassVar[int]
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    sentences: _containers.RepeatedCompositeFieldContainer[SummarySentence]
    keywords: _containers.RepeatedScalarFieldContainer[str]
    activities: int
    def __init__(self, sentences: _Optional[_Iterable[_Union[SummarySentence, _Mapping]]] = ..., keywords: _Optional[_Iterable[str]] = ..., activities: _Optional[int] = ...) -> None: ...

class GetNeedsRequest(_message.Message):
    __slots__ = ("opportunity_id",)
    OPPORTUNITY_ID_FIELD_NUMBER: _ClassVar[int]
    opportunity_id: str
    def __init__(self, opportunity_id: _Optional[str] = ...) -> None: ...

class NeedEvidence(_message.Message):
    __slots__ = ("activity_id", "occurred_at", "words")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    WORDS_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    occurred_at: _timestamp_pb2.Timestamp
    words: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, activity_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., words: _Optional[_Iterable[str]] = ...) -> None: ...

class Need(_message.Message):
    __slots__ = ("tag", "found", "evidence")
    TAG_FIELD_NUMBER: _ClassVar[int]
    FOUND_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    tag: str
    found: bool
    evidence: _containers.RepeatedCompositeFieldContainer[NeedEvidence]
    def __init__(self, tag: _Optional[str] = ..., found: bool = ..., evidence: _Optional[_Iterable[_Union[NeedEvidence, _Mapping]]] = ...) -> None: ...

class GetNeedsResponse(_message.Message):
    __slots__ = ("required", "found", "total")
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    FOUND_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    required: _containers.RepeatedCompositeFieldContainer[Need]
    found: int
    total: int
    def __init__(self, required: _Optional[_Iterable[_Union[Need, _Mapping]]] = ..., found: _Optional[int] = ..., total: _Optional[int] = ...) -> None: ...

class KeywordGroup(_message.Message):
    __slots__ = ("tag", "words")
    TAG_FIELD_NUMBER: _ClassVar[int]
    WORDS_FIELD_NUMBER: _ClassVar[int]
    tag: str
    words: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tag: _Optional[str] = ..., words: _Optional[_Iterable[str]] = ...) -> None: ...

class DictionaryWord(_message.Message):
    __slots__ = ("word", "tag")
    WORD_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    word: str
    tag: str
    def __init__(self, word: _Optional[str] = ..., tag: _Optional[str] = ...) -> None: ...

class TaggingSettings(_message.Message):
    __slots__ = ("version", "keyword_groups", "dictionary", "required_tags")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    KEYWORD_GROUPS_FIELD_NUMBER: _ClassVar[int]
    DICTIONARY_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_TAGS_FIELD_NUMBER: _ClassVar[int]
    version: int
    keyword_groups: _containers.RepeatedCompositeFieldContainer[KeywordGroup]
    dictionary: _containers.RepeatedCompositeFieldContainer[DictionaryWord]
    required_tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, version: _Optional[int] = ..., keyword_groups: _Optional[_Iterable[_Union[KeywordGroup, _Mapping]]] = ..., dictionary: _Optional[_Iterable[_Union[DictionaryWord, _Mapping]]] = ..., required_tags: _Optional[_Iterable[str]] = ...) -> None: ...

class GetTaggingSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetTaggingSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: TaggingSettings
    def __init__(self, settings: _Optional[_Union[TaggingSettings, _Mapping]] = ...) -> None: ...

class PutTaggingSettingsRequest(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: TaggingSettings
    def __init__(self, settings: _Optional[_Union[TaggingSettings, _Mapping]] = ...) -> None: ...

class PutTaggingSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: TaggingSettings
    def __init__(self, settings: _Optional[_Union[TaggingSettings, _Mapping]] = ...) -> None: ...
