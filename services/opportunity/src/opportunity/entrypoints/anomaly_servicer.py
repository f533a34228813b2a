"""gRPC servicer of AnomalyService: anomaly flags (list, dismiss, scan now) and
the tenant's thresholds."""

from __future__ import annotations

import json

import grpc
from crm.opportunity.v1 import anomaly_pb2 as pb
from crm.opportunity.v1 import anomaly_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.domain.errors import InvalidArgument
from crm_shared.grpc_server import current_caller

from opportunity.domain.anomalies.flags import Flag
from opportunity.domain.anomalies.settings import AnomalySettings
from opportunity.service_layer.anomalies import AnomalyHandlers

# A thresholds document is a few hundred bytes.
MAX_THRESHOLDS_JSON = 10_000


def flag_message(flag: Flag, rep_name: str) -> pb.AnomalyFlag:
    return pb.AnomalyFlag(
        flag_id=flag.flag_id,
        kind=flag.kind,
        rep_id=flag.rep_id,
        rep_name=rep_name,
        subject_type=flag.subject_type,
        subject_id=flag.subject_id,
        title=flag.title,
        evidence_json=json.dumps(flag.evidence, ensure_ascii=False),
        raised_at=timestamp(flag.raised_at),
        state=flag.state,
        dismissed_by=flag.dismissed_by,
        dismissed_at=timestamp(flag.dismissed_at),
        reason=flag.reason,
    )


def settings_message(version: int, settings: AnomalySettings) -> pb.AnomalySettings:
    return pb.AnomalySettings(version=version, thresholds_json=json.dumps(settings.as_dict()))


class AnomalyServicer(pb_grpc.AnomalyServiceServicer):
    def __init__(self, handlers: AnomalyHandlers) -> None:
        self.handlers = handlers

    async def ListAnomalyFlags(
        self, request: pb.ListAnomalyFlagsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListAnomalyFlagsResponse:
        found = await self.handlers.list(
            current_caller(), state=request.state, rep_id=request.rep_id, kind=request.kind
        )
        return pb.ListAnomalyFlagsResponse(flags=[flag_message(f, name) for f, name in found])

    async def DismissAnomalyFlag(
        self, request: pb.DismissAnomalyFlagRequest, context: grpc.aio.ServicerContext
    ) -> pb.DismissAnomalyFlagResponse:
        flag, name = await self.handlers.dismiss(current_caller(), request.flag_id, request.reason)
        return pb.DismissAnomalyFlagResponse(flag=flag_message(flag, name))

    async def ScanAnomalies(
        self, request: pb.ScanAnomaliesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ScanAnomaliesResponse:
        raised = await self.handlers.scan_now(current_caller())
        return pb.ScanAnomaliesResponse(raised=[pb.KindCount(kind=k, count=n) for k, n in raised.items()])

    async def GetAnomalySettings(
        self, request: pb.GetAnomalySettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetAnomalySettingsResponse:
        return pb.GetAnomalySettingsResponse(settings=settings_message(*await self.handlers.settings(current_caller())))

    async def PutAnomalySettings(
        self, request: pb.PutAnomalySettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.PutAnomalySettingsResponse:
        if len(request.thresholds_json) > MAX_THRESHOLDS_JSON:
            raise InvalidArgument.field("thresholds", "is too large")
        try:
            data = json.loads(request.thresholds_json or "{}")
        except ValueError:
            raise InvalidArgument.field("thresholds", "is not JSON") from None
        if not isinstance(data, dict):
            raise InvalidArgument.field("thresholds", "must be an object")
        saved = await self.handlers.put_settings(current_caller(), request.version, data)
        return pb.PutAnomalySettingsResponse(settings=settings_message(*saved))
