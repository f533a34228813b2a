"""The events lead-routing publishes about routing, built once: an
assignment, and the notifications it asks for (the app's stream; with
`group`, the tenant's 企业微信 group robot too)."""

from __future__ import annotations

from crm.events.v1 import lead_pb2
from crm_shared.clock import iso_z
from crm_shared.notifications import Event, notification_event

from lead_routing.domain.assignment import Assignment
from lead_routing.domain.lead import Lead
from lead_routing.domain.pool import Push


def notification(tenant_id: str, push: Push, *, group: bool) -> Event:
    return notification_event(
        tenant_id,
        push.rep_id,
        push.kind,
        push.title,
        push.body,
        subject_type=push.subject_type,
        subject_id=push.subject_id,
        group=group,
    )


def assigned(a: Assignment, lead: Lead) -> Event:
    payload = lead_pb2.LeadAssigned(
        lead_id=a.lead_id,
        rep_id=a.rep_id,
        mode=a.mode,
        actor_id=a.actor_id,
        route_id=a.route_id,
        score=a.score,
        first_touch_due=iso_z(a.first_touch_due),
        company_name=lead.company_name,
    )
    return "lead.assigned", a.tenant_id, a.lead_id, payload
