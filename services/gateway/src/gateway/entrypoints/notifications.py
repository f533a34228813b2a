"""Notifications for the apps: a server-sent event stream per signed-in user."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from sse_starlette.sse import EventSourceResponse

from gateway.auth import Principal
from gateway.entrypoints.deps import current_principal
from gateway.metrics import NOTIFICATIONS_DELIVERED, SSE_CONNECTIONS
from gateway.problems import Problem

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])


@router.get(
    "/stream",
    summary="Your notifications as server-sent events",
    description="Each event is `notification` with a JSON body (kind, title, body, subject_type, subject_id, "
    "occurred_at). Reconnect with `Last-Event-ID` to receive what was published meanwhile.",
    response_class=EventSourceResponse,
)
async def stream(
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
) -> EventSourceResponse:
    hub = request.app.state.notifications.hub
    if hub is None:
        raise Problem(503, "notifications are not available yet", slug="unavailable")
    after: int | None = None
    if last_event_id:
        if not last_event_id.isdigit():
            raise Problem(400, "Last-Event-ID must be the id of an event received", slug="invalid-argument",
                          errors=[{"field": "Last-Event-ID", "description": "not a number"}])
        after = int(last_event_id)

    async def events() -> AsyncIterator[dict[str, str]]:
        SSE_CONNECTIONS.inc()
        try:
            async for note in hub.follow(principal.tenant_id, principal.user_id, after):
                NOTIFICATIONS_DELIVERED.labels("sse").inc()
                yield {"id": str(note.seq), "event": "notification",
                       "data": json.dumps(note.to_json(), ensure_ascii=False)}
        finally:
            SSE_CONNECTIONS.dec()

    return EventSourceResponse(events(), ping=15)
