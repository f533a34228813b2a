"""The event envelope and the JetStream layout: one stream per service, plus
the dead-letter stream. Subjects are "crm." + event type."""

from __future__ import annotations

from datetime import datetime

from crm.events.v1.envelope_pb2 import Envelope
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import Message

from crm_shared.context import trace_id_var
from crm_shared.ids import new_id

# Stream name -> subjects it captures. Every service provisions all of them
# (idempotently) so a consumer never starts before its producer's stream.
# One stream per backend, named crm_shared.deployables' Deployable.stream (its
# env prefix), plus the two shared ones: tests/unit/platform/test_service_lists.py.
STREAMS: dict[str, list[str]] = {
    "LEAD_ROUTING": ["crm.lead.>", "crm.rep.>", "crm.distributor.>", "crm.registration.>", "crm.promotion.>"],
    "OPPORTUNITY": [
        "crm.opportunity.>",
        "crm.activity.>",
        "crm.task.>",
        "crm.customer.>",
        "crm.anomaly.>",
    ],
    "APPROVAL": ["crm.approval.>"],
    "DOCUMENT_VERSIONING": ["crm.document.>", "crm.contract.>", "crm.ecn.>"],
    "FINANCE_RECONCILIATION": ["crm.payment.>", "crm.rebate.>"],
    "NOTIFICATIONS": ["crm.notification.>"],
    "DEAD_LETTERS": ["crm.dlq.>"],
}


def subject_for(event_type: str) -> str:
    return f"crm.{event_type}"


def stream_for(subject: str) -> str:
    for name, patterns in STREAMS.items():
        for pattern in patterns:
            prefix = pattern.removesuffix(">")
            if subject.startswith(prefix):
                return name
    raise ValueError(f"no stream captures subject {subject!r}")


def make_envelope(
    type_: str, tenant_id: str, aggregate_id: str, payload: Message, *, source: str, occurred_at: datetime
) -> Envelope:
    packed = AnyPb()
    packed.Pack(payload)
    env = Envelope(
        event_id=new_id(),
        type=type_,
        tenant_id=tenant_id,
        source=source,
        aggregate_id=aggregate_id,
        trace_id=trace_id_var.get() or new_id(),
        payload=packed,
    )
    env.occurred_at.FromDatetime(occurred_at)
    return env


def unpack(envelope: Envelope, message_type: type[Message]) -> Message:
    msg = message_type()
    if not envelope.payload.Unpack(msg):
        raise ValueError(f"event {envelope.event_id} payload is not {message_type.DESCRIPTOR.full_name}")
    return msg
