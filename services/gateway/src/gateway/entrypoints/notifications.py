"""Notifications for the apps: a server-sent event stream per signed-in user."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel, WithJsonSchema
from sse_starlette.sse import EventSourceResponse

from gateway.auth import Principal
from gateway.entrypoints.deps import current_principal
from gateway.metrics import NOTIFICATIONS_DELIVERED, SSE_CONNECTIONS
from gateway.problems import Problem

router = APIRouter(prefix="/v1/notifications")

# Event ids are JetStream stream sequences (unsigned 64-bit); anything the
# gateway itself could never have sent is refused, not looked up.
_EVENT_ID = re.compile(r"^[0-9]{1,19}$")
MAX_EVENT_ID = 2**63 - 1


def _event_id(value: str) -> int:
    if not _EVENT_ID.match(value) or int(value) > MAX_EVENT_ID:
        raise Problem(
            400,
            "Last-Event-ID must be the id of an event received",
            slug="invalid-argument",
            errors=[{"field": "Last-Event-ID", "description": f"must be a whole number from 0 to {MAX_EVENT_ID}"}],
        )
    return int(value)


class NotificationEvent(BaseModel):
    """The data of a `notification` event (gateway.notifications.Notification.to_json); the
    event's id is `id`. An `expired` event carries {"detail": ...} and ends the stream."""

    id: str
    kind: str
    title: str
    body: str
    subject_type: str
    subject_id: str
    occurred_at: Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


@router.get(
    "/stream",
    summary="Your notifications as server-sent events",
    description="Each event is `notification` with a JSON body (kind, title, body, subject_type, subject_id, "
    "occurred_at). Reconnect with `Last-Event-ID` to receive what was published meanwhile.",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {"schema": NotificationEvent.model_json_schema()}}}},
)
async def stream_notifications(
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    after = _event_id(last_event_id) if last_event_id else None
    hub = request.app.state.notifications.hub
    if hub is None:
        raise Problem(503, "notifications are not available yet", slug="unavailable")

    async def events() -> AsyncIterator[dict[str, str]]:
        SSE_CONNECTIONS.inc()
        # The stream lives no longer than the token that opened it: at expiry the app is told
        # (`expired`) and the connection ends, so it reconnects with a fresh token. Each wait is
        # bounded on its own (a timeout must not span a yield of this generator).
        follow = hub.follow(principal.tenant_id, principal.user_id, after)
        try:
            while True:
                left = None if principal.expires_at is None else principal.expires_at - time.time()
                try:
                    if left is not None and left <= 0:
                        raise TimeoutError
                    note = await asyncio.wait_for(anext(follow), left)
                except TimeoutError:
                    yield {"event": "expired", "data": json.dumps({"detail": "the token has expired; sign in again"})}
                    return
                except StopAsyncIteration:
                    return
                NOTIFICATIONS_DELIVERED.labels("sse").inc()
                yield {
                    "id": str(note.seq),
                    "event": "notification",
                    "data": json.dumps(note.to_json(), ensure_ascii=False),
                }
        finally:
            await follow.aclose()
            SSE_CONNECTIONS.dec()

    return EventSourceResponse(events(), ping=15)
