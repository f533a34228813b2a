"""gRPC servicer of StageHintService: translates requests to handler calls
and results to messages (errors are the server interceptor's)."""

from __future__ import annotations

import grpc
from crm.opportunity.v1 import stage_hint_pb2 as pb
from crm.opportunity.v1 import stage_hint_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from opportunity.domain.stage_hint import StageHint
from opportunity.service_layer.stage_hints import StageHintHandlers, VersionedSettings


def hint_message(h: StageHint) -> pb.StageHint:
    return pb.StageHint(
        hint_id=h.hint_id,
        opportunity_id=h.opportunity_id,
        customer_id=h.customer_id,
        activity_id=h.activity_id,
        tag=h.tag,
        suggested_stage=h.suggested_stage,
        words=list(h.words),
        state=h.state,
        unmet=[pb.UnmetGate(gate=u.gate, description=u.description) for u in h.unmet],
        created_at=timestamp(h.created_at),
        decided_at=timestamp(h.decided_at),
        decided_by=h.decided_by,
    )


def settings_message(s: VersionedSettings) -> pb.StageHintSettings:
    return pb.StageHintSettings(
        version=s.version,
        auto_move=s.settings.auto_move,
        rules=[pb.HintRule(tag=r.tag, stage=r.stage, pipeline_id=r.pipeline_id) for r in s.settings.rules],
        max_age_days=s.settings.max_age_days,
    )


class StageHintServicer(pb_grpc.StageHintServiceServicer):
    def __init__(self, handlers: StageHintHandlers) -> None:
        self.handlers = handlers

    async def ListStageHints(
        self, request: pb.ListStageHintsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListStageHintsResponse:
        hints = await self.handlers.list(current_caller(), request.opportunity_id)
        return pb.ListStageHintsResponse(items=[hint_message(h) for h in hints])

    async def ApplyStageHint(
        self, request: pb.ApplyStageHintRequest, context: grpc.aio.ServicerContext
    ) -> pb.ApplyStageHintResponse:
        hint = await self.handlers.apply(current_caller(), request.opportunity_id, request.hint_id)
        return pb.ApplyStageHintResponse(hint=hint_message(hint))

    async def DismissStageHint(
        self, request: pb.DismissStageHintRequest, context: grpc.aio.ServicerContext
    ) -> pb.DismissStageHintResponse:
        hint = await self.handlers.dismiss(current_caller(), request.opportunity_id, request.hint_id)
        return pb.DismissStageHintResponse(hint=hint_message(hint))

    async def GetStageHintSettings(
        self, request: pb.GetStageHintSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetStageHintSettingsResponse:
        return pb.GetStageHintSettingsResponse(
            settings=settings_message(await self.handlers.settings(current_caller()))
        )

    async def PutStageHintSettings(
        self, request: pb.PutStageHintSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.PutStageHintSettingsResponse:
        s = request.settings
        data = {
            "auto_move": s.auto_move,
            "rules": [{"tag": r.tag, "stage": r.stage, "pipeline_id": r.pipeline_id} for r in s.rules],
            **({"max_age_days": s.max_age_days} if s.max_age_days else {}),  # 0: not sent, the default
        }
        saved = await self.handlers.put_settings(current_caller(), s.version, data)
        return pb.PutStageHintSettingsResponse(settings=settings_message(saved))
