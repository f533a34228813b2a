"""gRPC servicer of IntentService: translates requests to handler calls and
results to messages (errors are the server interceptor's)."""

from __future__ import annotations

import grpc
from crm.opportunity.v1 import intent_pb2 as pb
from crm.opportunity.v1 import intent_pb2_grpc as pb_grpc
from crm_shared.convert import from_timestamp, timestamp
from crm_shared.grpc_server import current_caller

from opportunity.domain.intent import SignalHit
from opportunity.domain.intent_actions import ConversionRow
from opportunity.domain.intent_episode import HighIntent
from opportunity.service_layer.intent import IntentHandlers, VersionedSettings


def hit_message(h: SignalHit) -> pb.SignalHit:
    return pb.SignalHit(name=h.name, activity_id=h.activity_id, occurred_at=timestamp(h.occurred_at))


def intent_message(i: HighIntent, customer_name: str, state: str, opportunity_name: str = "") -> pb.HighIntent:
    return pb.HighIntent(
        customer_id=i.customer_id,
        customer_name=customer_name,
        opportunity_id=i.opportunity_id,
        opportunity_name=opportunity_name,
        owner_id=i.owner_id,
        entered_at=timestamp(i.entered_at),
        signals=[hit_message(h) for h in i.signals],
        countdown=pb.Countdown(due_at=timestamp(i.proposal_due_at), state=state),
        tool_pack=[pb.ToolEntry(document_id=e.document_id, title=e.title, tags=list(e.tags)) for e in i.tool_pack],
    )


def settings_message(s: VersionedSettings) -> pb.IntentSettings:
    st = s.settings
    return pb.IntentSettings(
        version=s.version,
        signals=[pb.IntentSignal(name=x.name, condition=x.condition) for x in st.signals],
        rule=pb.HighIntentRule(
            min_signals=st.rule.min_signals, window_days=st.rule.window_days, signals=list(st.rule.signals)
        ),
        proposal_hours=st.proposal_hours,
        proposal_doc_types=list(st.proposal_doc_types),
        updated_by=s.updated_by,
    )


def row_message(r: ConversionRow) -> pb.ConversionRow:
    return pb.ConversionRow(key=r.key, entered=r.entered, won=r.won, rate=r.rate)


class IntentServicer(pb_grpc.IntentServiceServicer):
    def __init__(self, handlers: IntentHandlers) -> None:
        self.handlers = handlers

    async def GetIntentSettings(
        self, request: pb.GetIntentSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetIntentSettingsResponse:
        return pb.GetIntentSettingsResponse(settings=settings_message(await self.handlers.settings(current_caller())))

    async def PutIntentSettings(
        self, request: pb.PutIntentSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.PutIntentSettingsResponse:
        s = request.settings
        data = {
            "signals": [{"name": x.name, "condition": x.condition} for x in s.signals],
            "rule": {
                "min_signals": s.rule.min_signals,
                "window_days": s.rule.window_days,
                "signals": list(s.rule.signals),
            },
            "proposal_hours": s.proposal_hours,
            "proposal_doc_types": list(s.proposal_doc_types),
        }
        saved = await self.handlers.put_settings(current_caller(), s.version, data)
        return pb.PutIntentSettingsResponse(settings=settings_message(saved))

    async def GetCustomerIntent(
        self, request: pb.GetCustomerIntentRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCustomerIntentResponse:
        found = await self.handlers.customer_intent(current_caller(), request.customer_id)
        reply = pb.GetCustomerIntentResponse(
            high_intent=found.high_intent is not None, signals=[hit_message(h) for h in found.signals]
        )
        if found.high_intent is not None:
            reply.episode.CopyFrom(intent_message(found.high_intent, "", found.countdown_state))
        return reply

    async def ListHighIntents(
        self, request: pb.ListHighIntentsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListHighIntentsResponse:
        found = await self.handlers.high_intents(
            current_caller(), state=request.state, owner_id=request.owner_id, team=request.team
        )
        return pb.ListHighIntentsResponse(items=[intent_message(i, name, state, opp_name) for i, name, opp_name, state in found])

    async def RecordIntentAction(
        self, request: pb.RecordIntentActionRequest, context: grpc.aio.ServicerContext
    ) -> pb.RecordIntentActionResponse:
        entry = await self.handlers.intent_action(
            current_caller(), request.customer_id, request.action, request.opportunity_id, request.note
        )
        return pb.RecordIntentActionResponse(
            activity_id=entry.activity_id, kind=entry.kind, occurred_at=timestamp(entry.occurred_at)
        )

    async def GetIntentConversion(
        self, request: pb.GetIntentConversionRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetIntentConversionResponse:
        start = from_timestamp(request.period_start, request.HasField("period_start"))
        end = from_timestamp(request.period_end, request.HasField("period_end"))
        rows, total = await self.handlers.conversion(current_caller(), start, end, request.group_by)
        return pb.GetIntentConversionResponse(items=[row_message(r) for r in rows], total=row_message(total))
