"""Event consumers of routing: translate envelopes to handler calls. The
inbox record and the commit are done by crm_shared.messaging (EventConsumer,
and BatchEventConsumer for the re-rank: the events that arrived together in
one unit of work)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from crm.events.v1 import lead_pb2, opportunity_pb2, rep_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import unpack

from lead_routing.domain.rep import Win
from lead_routing.service_layer.reactions import Reactions
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


class RoutingConsumers:
    def __init__(self, handlers: Reactions) -> None:
        self.handlers = handlers

    def subscriptions(self) -> list[tuple[str, list[str], object]]:
        """(durable name, event types of one stream, handler of one event) for the bootstrap."""
        return [
            ("lead-routing-activity-logged", ["activity.logged"], self.activity_logged),
            ("lead-routing-opportunity-closed", ["opportunity.closed"], self.opportunity_closed),
        ]

    def batch_subscriptions(self) -> list[tuple[str, list[str], object]]:
        """(durable name, event types of one stream, handler of a batch) for the bootstrap."""
        return [("lead-routing-rerank", ["lead.created", "lead.merged", "rep.profile_changed"], self.changed)]

    async def activity_logged(self, envelope: Envelope, uow: LeadRoutingUnitOfWork) -> None:
        event = unpack(envelope, opportunity_pb2.ActivityLogged)
        at = (event.occurred_at if event.HasField("occurred_at") else envelope.occurred_at).ToDatetime(tzinfo=UTC)
        await self.handlers.activity_logged(uow, envelope.tenant_id, event.lead_id, at)

    async def opportunity_closed(self, envelope: Envelope, uow: LeadRoutingUnitOfWork) -> None:
        event = unpack(envelope, opportunity_pb2.OpportunityClosed)
        if event.outcome != "won":
            return
        won_at = (event.closed_at if event.HasField("closed_at") else envelope.occurred_at).ToDatetime(tzinfo=UTC)
        await self.handlers.opportunity_won(
            uow,
            envelope.tenant_id,
            Win(
                opportunity_id=event.opportunity_id,
                rep_id=event.owner_id,
                latitude=event.latitude if event.HasField("latitude") else None,
                longitude=event.longitude if event.HasField("longitude") else None,
                city=event.city,
                district=event.district,
                won_at=won_at,
            ),
        )

    async def changed(self, envelopes: Sequence[Envelope], uow: LeadRoutingUnitOfWork) -> None:
        """Re-rank on change, the events of a batch together: each tenant's new
        or merged leads are scored in one ranking (an import's thousands in a
        few); a rep profile change asks for a re-rank of the tenant's pool."""
        leads: dict[str, dict[str, None]] = {}  # tenant -> lead ids, in order, once each
        profiles: dict[str, None] = {}
        for envelope in envelopes:
            if envelope.type == "rep.profile_changed":
                unpack(envelope, rep_pb2.RepProfileChanged)
                profiles[envelope.tenant_id] = None
            elif envelope.type == "lead.created":
                lead_id = unpack(envelope, lead_pb2.LeadCreated).lead_id
                leads.setdefault(envelope.tenant_id, {})[lead_id] = None
            elif envelope.type == "lead.merged":
                lead_id = unpack(envelope, lead_pb2.LeadMerged).lead_id
                leads.setdefault(envelope.tenant_id, {})[lead_id] = None
        for tenant_id in profiles:
            await self.handlers.rep_changed(uow, tenant_id)
        for tenant_id, lead_ids in leads.items():
            await self.handlers.leads_changed(uow, tenant_id, list(lead_ids))
