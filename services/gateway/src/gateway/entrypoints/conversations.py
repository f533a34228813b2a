"""Conversations coming in and the tags of a customer's activities
(opportunity's ConversationService): a 企业微信 export, a call transcript,
one app message, the contacts' 企业微信 ids (set and read back); a customer's
activity tags and conversation summary, an opportunity's needs completeness, and the tenant's
tagging settings (keyword groups, dictionary, required tags)."""

from __future__ import annotations

from typing import Annotated

from crm.opportunity.v1 import conversation_pb2 as pb
from crm_shared.limits import MAX_ACTIVITY_TEXT, MIB
from crm_shared.roles import CONVERSATION_IMPORTERS, SIGNAL_CONFIGURERS, SIGNAL_SETTINGS_READERS
from fastapi import APIRouter, File, Query, UploadFile
from pydantic import Field

from gateway.adapters.stubs import conversation
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import model_of, reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, Instant, PathId
from gateway.problems import Problem

router = APIRouter(prefix="/v1")

# Of domain/conversation.py and domain/tagging.py (the service checks them again).
MAX_EXPORT_BYTES = 20 * MIB
MAX_SOURCE_ID = 200
MAX_TURNS = 5_000
MAX_TURN_TEXT = 20_000
MAX_SPEAKER = 50
MAX_WORD = 30
MAX_TAG = 50
SettingsModel = model_of(pb.TaggingSettings.DESCRIPTOR)
ImportedModel = model_of(pb.ImportedActivity.DESCRIPTOR)

WECOM_HELP = (
    "A 企业微信 会话存档 export, one JSON object per line (UTF-8, at most 20 MB and 50,000 lines; split a larger archive): "
    '`{"msgid": "...", "action": "send", "from": "<id>", "tolist": ["<id>", ...], "roomid": "", '
    '"msgtime": <ms since the epoch>, "msgtype": "text", "text": {"content": "..."}}`. '
    "The customer side is whichever of from/tolist is a contact's 企业微信 id "
    "(PUT /v1/customers/{customer_id}/contacts/{contact_id}/wecom) or the phone of a contact or customer; "
    "each message becomes a chat activity of that customer (linked to its open opportunity when it has "
    "exactly one), tagged like any other. A msgid imported before counts as a duplicate, never a second copy. "
    "Lines that do not become activities are listed in `unmatched` with their line number, msgid and reason "
    '(e.g. "unsupported msgtype", no matching contact, a customer the caller may not write).'
)


class TurnBody(Body):
    speaker: Annotated[str, Field(min_length=1, max_length=MAX_SPEAKER, description='"rep", "customer" or a name')]
    at: Instant | None = None
    text: Annotated[str, Field(max_length=MAX_TURN_TEXT)]


class TranscriptBody(Body):
    source_id: Annotated[str, Field(min_length=1, max_length=MAX_SOURCE_ID, description="the call's id at its source")]
    phone: Annotated[str, Field(max_length=40)] = ""
    customer_id: Id = ""
    started_at: Instant | None = None
    turns: Annotated[list[TurnBody], Field(min_length=1, max_length=MAX_TURNS)]
    opportunity_id: Id = ""


class MessageBody(Body):
    source_id: Annotated[str, Field(min_length=1, max_length=MAX_SOURCE_ID, description="the message's id")]
    sender: Annotated[str, Field(max_length=MAX_SPEAKER)] = ""
    sent_at: Instant | None = None
    text: Annotated[str, Field(min_length=1, max_length=MAX_ACTIVITY_TEXT)]
    opportunity_id: Id = ""


class WecomBody(Body):
    external_id: Annotated[str, Field(min_length=1, max_length=MAX_SOURCE_ID, description="the 企业微信 external id")]


class KeywordGroupBody(Body):
    tag: Annotated[str, Field(min_length=1, max_length=MAX_TAG)]
    words: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=MAX_WORD)]], Field(min_length=1, max_length=200)
    ]


class DictionaryWordBody(Body):
    word: Annotated[str, Field(min_length=1, max_length=MAX_WORD)]
    tag: Annotated[str, Field(max_length=MAX_TAG)] = ""


class TaggingSettingsBody(Body):
    version: Annotated[int, Field(ge=0, le=2_000_000_000, description="The version read (0: none saved yet)")]
    keyword_groups: Annotated[list[KeywordGroupBody], Field(max_length=100)]
    dictionary: Annotated[list[DictionaryWordBody], Field(max_length=5_000, default_factory=list)]
    required_tags: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=MAX_TAG)]],
        Field(max_length=100, default_factory=lambda: ["预算", "决策链", "时间节点", "竞品"]),
    ]


@router.post(
    "/conversations/wecom-import",
    summary="Import a 企业微信 chat export (JSON lines) as the customers' chat activities, with a per-line report",
    description=WECOM_HELP,
    dependencies=[allow(CONVERSATION_IMPORTERS)],
    response_model=reply(conversation.ImportWecomExport),
)
async def import_wecom(rpc: RpcDep, file: Annotated[UploadFile, File(description="the JSON lines export")]) -> dict:
    content = await file.read(MAX_EXPORT_BYTES + 1)
    if len(content) > MAX_EXPORT_BYTES:
        raise Problem(413, "file: is larger than 20 MB; split it")
    return await rpc(conversation.ImportWecomExport, pb.ImportWecomExportRequest(content=content), batch=True)


@router.post(
    "/conversations/transcripts",
    status_code=201,
    summary="A call transcript as the customer's call activity (its summary sealed with the whole text's sha256)",
    description=(
        "The customer by `customer_id` or by `phone` (a contact's or the customer's). The same `source_id` again "
        "answers the activity imported before (`duplicate`: true)."
    ),
    dependencies=[allow(CONVERSATION_IMPORTERS)],
    response_model=ImportedModel,
)
async def import_transcript(body: TranscriptBody, rpc: RpcDep) -> dict:
    if not body.customer_id and not body.phone.strip():
        raise Problem(
            422,
            "phone: is required when customer_id is not given",
            slug="invalid-argument",
            errors=[{"field": "phone", "description": "is required when customer_id is not given"}],
        )
    return (await rpc(conversation.ImportTranscript, to_proto(body, pb.ImportTranscriptRequest())))["imported"]


@router.post(
    "/customers/{customer_id}/messages",
    status_code=201,
    summary="One message turned into the customer's activity (长按消息 → 转为拜访记录), tagged",
    dependencies=[allow(CONVERSATION_IMPORTERS)],
    response_model=ImportedModel,
)
async def convert_message(customer_id: PathId, body: MessageBody, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.ConvertMessageRequest())
    request.customer_id = customer_id
    return (await rpc(conversation.ConvertMessage, request))["imported"]


@router.put(
    "/customers/{customer_id}/contacts/{contact_id}/wecom",
    summary="Set a contact's 企业微信 external id (409 when another contact has it)",
    dependencies=[allow(CONVERSATION_IMPORTERS)],
    response_model=reply(conversation.SetContactWecomId),
)
async def set_wecom(customer_id: PathId, contact_id: PathId, body: WecomBody, rpc: RpcDep) -> dict:
    request = pb.SetContactWecomIdRequest(customer_id=customer_id, contact_id=contact_id, external_id=body.external_id)
    return await rpc(conversation.SetContactWecomId, request)


@router.get(
    "/customers/{customer_id}/contact-channels",
    summary="The 企业微信 external ids set on the customer's contacts, with who set each and when",
    description=(
        "One item per contact that has an id (`channel` is `wecom`), by contact id; a contact without one is "
        "absent. Whoever may see the customer reads them; a customer out of the caller's scope is a 404."
    ),
    dependencies=[allow(SIGNAL_SETTINGS_READERS)],
    response_model=reply(conversation.ListContactChannels),
)
async def list_contact_channels(customer_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(conversation.ListContactChannels, pb.ListContactChannelsRequest(customer_id=customer_id))


@router.get(
    "/customers/{customer_id}/activity-tags",
    summary="The tags of the customer's activities with the words that matched, newest first (at most 500)",
    dependencies=[allow(SIGNAL_SETTINGS_READERS)],
    response_model=reply(conversation.ListActivityTags),
)
async def activity_tags(customer_id: PathId, rpc: RpcDep, since: Annotated[Instant | None, Query()] = None) -> dict:
    request = pb.ListActivityTagsRequest(customer_id=customer_id)
    if since is not None:
        request.since.FromDatetime(since)
    return await rpc(conversation.ListActivityTags, request)


@router.get(
    "/customers/{customer_id}/conversation-summary",
    summary="历史沟通摘要: the key sentences of the customer's recent conversations and their keywords",
    dependencies=[allow(SIGNAL_SETTINGS_READERS)],
    response_model=reply(conversation.GetConversationSummary),
)
async def conversation_summary(customer_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(conversation.GetConversationSummary, pb.GetConversationSummaryRequest(customer_id=customer_id))


@router.get(
    "/opportunities/{opportunity_id}/needs",
    summary="需求完整度: which required tags (预算, 决策链, 时间节点, 竞品 by default) the conversations covered",
    dependencies=[allow(SIGNAL_SETTINGS_READERS)],
    response_model=reply(conversation.GetNeeds),
)
async def get_needs(opportunity_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(conversation.GetNeeds, pb.GetNeedsRequest(opportunity_id=opportunity_id))


@router.get(
    "/signal-settings/tagging",
    summary="The tenant's keyword groups, dictionary and required tags (the defaults until saved: version 0)",
    dependencies=[allow(SIGNAL_SETTINGS_READERS)],
    response_model=SettingsModel,
)
async def get_tagging_settings(rpc: RpcDep) -> dict:
    return (await rpc(conversation.GetTaggingSettings, pb.GetTaggingSettingsRequest()))["settings"]


@router.put(
    "/signal-settings/tagging",
    summary="Save the keyword groups, dictionary and required tags (manager, admin); 409 on a stale `version`",
    dependencies=[allow(SIGNAL_CONFIGURERS)],
    response_model=SettingsModel,
)
async def put_tagging_settings(body: TaggingSettingsBody, rpc: RpcDep) -> dict:
    request = pb.PutTaggingSettingsRequest(settings=to_proto(body, pb.TaggingSettings()))
    return (await rpc(conversation.PutTaggingSettings, request))["settings"]
