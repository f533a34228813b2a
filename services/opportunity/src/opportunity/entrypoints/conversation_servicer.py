"""gRPC servicer of ConversationService: translates requests to handler
calls and results to messages (errors are the server interceptor's)."""

from __future__ import annotations

import grpc
from crm.opportunity.v1 import conversation_pb2 as pb
from crm.opportunity.v1 import conversation_pb2_grpc as pb_grpc
from crm_shared.convert import from_timestamp, timestamp
from crm_shared.grpc_server import current_caller
from google.protobuf.message import Message

from opportunity.adapters.analysis_repository import Analysis
from opportunity.domain.conversation import Turn
from opportunity.domain.tagging import TaggingSettings
from opportunity.entrypoints.customer_servicer import activity_message
from opportunity.service_layer.activities import ActivityView
from opportunity.service_layer.conversations import (
    ConversationHandlers,
    ConvertMessage,
    Imported,
    ImportTranscript,
)
from opportunity.service_layer.tagging import TaggingHandlers
from opportunity.service_layer.wecom_import import WecomImportHandlers


def _when(message: Message, name: str):
    return from_timestamp(getattr(message, name), message.HasField(name))


def analysis_message(a: Analysis | None) -> pb.ActivityAnalysis | None:
    if a is None:
        return None
    return pb.ActivityAnalysis(
        activity_id=a.activity_id,
        occurred_at=timestamp(a.occurred_at),
        kind=a.kind,
        source=a.source,
        tags=[pb.TagWords(tag=tag, words=words) for tag, words in a.tags.items()],
        summary=a.summary,
        keywords=a.keywords,
    )


def imported_message(result: Imported) -> pb.ImportedActivity:
    return pb.ImportedActivity(
        activity=activity_message(ActivityView(result.activity)),
        analysis=analysis_message(result.analysis),
        duplicate=result.duplicate,
    )


def settings_message(s: TaggingSettings) -> pb.TaggingSettings:
    return pb.TaggingSettings(
        version=s.version,
        keyword_groups=[pb.KeywordGroup(tag=t, words=list(w)) for t, w in s.keyword_groups],
        dictionary=[pb.DictionaryWord(word=w, tag=t) for w, t in s.dictionary],
        required_tags=list(s.required_tags),
    )


class ConversationServicer(pb_grpc.ConversationServiceServicer):
    def __init__(
        self, conversations: ConversationHandlers, wecom: WecomImportHandlers, tagging: TaggingHandlers
    ) -> None:
        self.conversations = conversations
        self.wecom = wecom
        self.tagging = tagging

    async def ImportWecomExport(
        self, request: pb.ImportWecomExportRequest, context: grpc.aio.ServicerContext
    ) -> pb.ImportWecomExportResponse:
        report = await self.wecom.import_wecom(current_caller(), request.content)
        return pb.ImportWecomExportResponse(
            imported=report.imported,
            duplicates=report.duplicates,
            unmatched=[pb.UnmatchedLine(line=u.line, source_id=u.source_id, reason=u.reason) for u in report.unmatched],
            activity_ids=report.activity_ids,
        )

    async def ImportTranscript(
        self, request: pb.ImportTranscriptRequest, context: grpc.aio.ServicerContext
    ) -> pb.ImportTranscriptResponse:
        cmd = ImportTranscript(
            source_id=request.source_id,
            turns=[Turn(t.speaker, _when(t, "at"), t.text) for t in request.turns],
            started_at=_when(request, "started_at"),
            phone=request.phone,
            customer_id=request.customer_id,
            opportunity_id=request.opportunity_id,
        )
        imported = await self.conversations.import_transcript(current_caller(), cmd)
        return pb.ImportTranscriptResponse(imported=imported_message(imported))

    async def ConvertMessage(
        self, request: pb.ConvertMessageRequest, context: grpc.aio.ServicerContext
    ) -> pb.ConvertMessageResponse:
        cmd = ConvertMessage(
            customer_id=request.customer_id,
            source_id=request.source_id,
            text=request.text,
            sender=request.sender,
            sent_at=_when(request, "sent_at"),
            opportunity_id=request.opportunity_id,
        )
        imported = await self.conversations.convert_message(current_caller(), cmd)
        return pb.ConvertMessageResponse(imported=imported_message(imported))

    async def SetContactWecomId(
        self, request: pb.SetContactWecomIdRequest, context: grpc.aio.ServicerContext
    ) -> pb.SetContactWecomIdResponse:
        external_id = await self.conversations.set_wecom_id(
            current_caller(), request.customer_id, request.contact_id, request.external_id
        )
        return pb.SetContactWecomIdResponse(contact_id=request.contact_id, external_id=external_id)

    async def ListContactChannels(
        self, request: pb.ListContactChannelsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListContactChannelsResponse:
        channels = await self.conversations.contact_channels(current_caller(), request.customer_id)
        return pb.ListContactChannelsResponse(
            channels=[
                pb.ContactChannel(
                    contact_id=c.contact_id,
                    channel=c.channel,
                    external_id=c.external_id,
                    set_by=c.set_by,
                    set_at=timestamp(c.set_at),
                )
                for c in channels
            ]
        )

    async def ListActivityTags(
        self, request: pb.ListActivityTagsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListActivityTagsResponse:
        items = await self.tagging.customer_tags(current_caller(), request.customer_id, _when(request, "since"))
        return pb.ListActivityTagsResponse(items=[analysis_message(a) for a in items])

    async def GetConversationSummary(
        self, request: pb.GetConversationSummaryRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetConversationSummaryResponse:
        summary = await self.tagging.conversation_summary(current_caller(), request.customer_id)
        return pb.GetConversationSummaryResponse(
            sentences=[
                pb.SummarySentence(text=s.text, activity_id=s.activity_id, occurred_at=timestamp(s.occurred_at))
                for s in summary.sentences
            ],
            keywords=summary.keywords,
            activities=summary.activities,
        )

    async def GetNeeds(self, request: pb.GetNeedsRequest, context: grpc.aio.ServicerContext) -> pb.GetNeedsResponse:
        needs = await self.tagging.needs(current_caller(), request.opportunity_id)
        return pb.GetNeedsResponse(
            required=[
                pb.Need(
                    tag=n.tag,
                    found=n.found,
                    evidence=[
                        pb.NeedEvidence(activity_id=e.activity_id, occurred_at=timestamp(e.occurred_at), words=e.words)
                        for e in n.evidence
                    ],
                )
                for n in needs
            ],
            found=sum(1 for n in needs if n.found),
            total=len(needs),
        )

    async def GetTaggingSettings(
        self, request: pb.GetTaggingSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetTaggingSettingsResponse:
        return pb.GetTaggingSettingsResponse(settings=settings_message(await self.tagging.settings(current_caller())))

    async def PutTaggingSettings(
        self, request: pb.PutTaggingSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.PutTaggingSettingsResponse:
        s = request.settings
        data = {
            "keyword_groups": [{"tag": g.tag, "words": list(g.words)} for g in s.keyword_groups],
            "dictionary": [{"word": d.word, "tag": d.tag} for d in s.dictionary],
            "required_tags": list(s.required_tags),
        }
        saved = await self.tagging.put_settings(current_caller(), s.version, data)
        return pb.PutTaggingSettingsResponse(settings=settings_message(saved))
