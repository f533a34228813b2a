"""gRPC channels and stubs of the backend services, the generic protobuf
-> JSON translation, and the call wrapper that carries the verified user as
a service token signed by the gateway (crm_shared.grpc_client) and turns a
refusal into a problem."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import math
from collections.abc import Callable
from datetime import UTC
from typing import Any

import grpc
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from grpc_health.v1 import health_pb2, health_pb2_grpc

from crm.approval.v1 import approval_pb2_grpc
from crm.document_versioning.v1 import document_versioning_pb2_grpc
from crm.finance_reconciliation.v1 import finance_reconciliation_pb2_grpc
from crm.lead_routing.v1 import lead_routing_pb2_grpc, routing_pb2_grpc
from crm.opportunity.v1 import customer_pb2_grpc, opportunity_pb2_grpc, pipeline_pb2_grpc
from crm_shared import identity
from crm_shared.context import Caller
from crm_shared.grpc_client import call, open_channel
from crm_shared.grpc_errors import decode_rpc_error
from gateway.problems import from_remote_error

STUBS: dict[str, Callable[[grpc.aio.Channel], Any]] = {
    "lead-routing": lead_routing_pb2_grpc.LeadRoutingServiceStub,
    "opportunity": opportunity_pb2_grpc.OpportunityServiceStub,
    "approval": approval_pb2_grpc.ApprovalServiceStub,
    "document-versioning": document_versioning_pb2_grpc.DocumentVersioningServiceStub,
    "finance-reconciliation": finance_reconciliation_pb2_grpc.FinanceReconciliationServiceStub,
}


class Backends:
    """One channel per backend, opened in the app's lifespan."""

    def __init__(
        self, addresses: dict[str, str], timeout_s: float, health_timeout_s: float, *, batch_timeout_s: float = 90.0
    ) -> None:
        self.addresses = addresses
        self.timeout_s = timeout_s
        self.batch_timeout_s = batch_timeout_s
        self.health_timeout_s = health_timeout_s
        self.channels = {name: open_channel(addr) for name, addr in addresses.items()}
        self.stubs: dict[str, Any] = {name: STUBS[name](channel) for name, channel in self.channels.items()}
        if "lead-routing" in self.channels:  # RoutingService is served by the lead-routing process
            self.stubs["lead-routing-rules"] = routing_pb2_grpc.RoutingServiceStub(self.channels["lead-routing"])
        if "opportunity" in self.channels:  # PipelineService is served by the opportunity process
            self.stubs["opportunity-pipelines"] = pipeline_pb2_grpc.PipelineServiceStub(self.channels["opportunity"])
            self.stubs["opportunity-customers"] = customer_pb2_grpc.CustomerServiceStub(self.channels["opportunity"])

    async def call(self, backend: str, rpc: str, request: Message, caller: Caller, *, batch: bool = False) -> Any:
        """`await backends.call("lead-routing", "GetLead", request, caller)`; `batch`
        for a call that works through a whole file or pool (the longer deadline)."""
        method = getattr(self.stubs[backend], rpc)
        timeout = self.batch_timeout_s if batch else self.timeout_s
        try:
            with identity.acting_as(identity.GATEWAY):  # never a backend's identity, whoever hosts this
                return await call(method, request, caller, timeout=timeout)
        except grpc.aio.AioRpcError as error:
            raise from_remote_error(decode_rpc_error(error), backend) from error

    async def health(self) -> dict[str, str]:
        """Each backend's overall status from the standard health service, checked concurrently."""

        async def check(channel: grpc.aio.Channel) -> str:
            try:
                reply = await health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(service=""), timeout=self.health_timeout_s
                )
                return health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
            except grpc.aio.AioRpcError as error:
                return error.code().name

        results = await asyncio.gather(*(check(channel) for channel in self.channels.values()))
        return dict(zip(self.channels, results, strict=True))

    async def close(self) -> None:
        for channel in self.channels.values():
            with contextlib.suppress(Exception):
                await channel.close()


def to_json(message: Message) -> dict[str, Any]:
    """Every field, defaults included; int64 stays a number (MessageToDict
    would quote it, and amounts are int64); Timestamps as ISO 8601 UTC; an
    unset message field as null; bytes as base64; enums by name."""
    out: dict[str, Any] = {}
    for field in message.DESCRIPTOR.fields:
        value = getattr(message, field.name)
        if field.is_repeated:
            out[field.name] = [_value(field, v) for v in value]
        elif (field.type == FieldDescriptor.TYPE_MESSAGE or field.has_presence) and not message.HasField(field.name):
            out[field.name] = None  # an unset message or proto3 `optional` scalar
        else:
            out[field.name] = _value(field, value)
    return out


def _value(field: FieldDescriptor, value: Any) -> Any:
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        if field.message_type.full_name == "google.protobuf.Timestamp":
            return value.ToDatetime(tzinfo=UTC).isoformat().replace("+00:00", "Z")
        if field.message_type.full_name == "google.protobuf.Struct":
            return json_format.MessageToDict(value)
        return to_json(value)
    if field.type == FieldDescriptor.TYPE_BYTES:
        return base64.b64encode(value).decode()
    if field.type == FieldDescriptor.TYPE_ENUM:
        return field.enum_type.values_by_number[value].name if value in field.enum_type.values_by_number else value
    if field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT) and not math.isfinite(value):
        return None  # JSON has no infinity or NaN: a value stored before scores were bounded reads as unknown
    return value
