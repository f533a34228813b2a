"""Live notifications: the gateway's server-sent events for the signed-in user,
passed on to the page as ready-to-insert HTML (htmx's SSE extension swaps them in)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from sse_starlette.sse import EventSourceResponse

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.session import Session, session
from web.templating import TEMPLATES, tr

router = APIRouter()

# Where a notification's subject is shown in the console, for the staff and for a partner.
SUBJECT_PAGES = {
    "lead": "/leads/{id}",
    "customer": "/customers/{id}",
    "approval": "/approvals/{id}",
}
PARTNER_PAGES = {
    "registration": "/partner/registrations/{id}",
    "promotion_application": "/partner/promotions/applications/{id}",
}


def link_for(note: dict[str, Any], role: str = "") -> str | None:
    pages = PARTNER_PAGES if role == "partner" else SUBJECT_PAGES
    pattern = pages.get(str(note.get("subject_type", "")))
    return pattern.format(id=note.get("subject_id", "")) if pattern and note.get("subject_id") else None


async def relay(lines: AsyncIterator[str], request: Request) -> AsyncIterator[dict[str, str]]:
    """Server-sent events of the gateway → events whose data is the notification's HTML."""
    event, data, event_id = "message", [], None
    template = TEMPLATES.env.get_template("home/notification.html")
    async for line in lines:
        if line == "":
            if data:
                body = "\n".join(data)
                if event == "notification":
                    note = json.loads(body)
                    html = template.render(note=note, link=link_for(note, request.state.session.role), lang=request.state.lang,
                                           _=lambda m, **kw: tr(request, m, **kw))
                    out = {"event": "notification", "data": html.replace("\n", " ")}
                    if event_id:
                        out["id"] = event_id
                    yield out
                elif event == "expired":
                    yield {"event": "expired", "data": "signed out"}
                    return
            event, data, event_id = "message", [], None
        elif line.startswith(":"):
            continue
        else:
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
            elif name == "id":
                event_id = value


@router.get("/events", include_in_schema=False)
async def events(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    headers = {"last-event-id": last_event_id} if last_event_id else {}

    async def stream() -> AsyncIterator[dict[str, str]]:
        try:
            async for out in relay(gw.stream_lines("/v1/notifications/stream", headers), request):
                yield out
        except GatewayProblem:
            # The browser's EventSource reconnects on its own; say when.
            yield {"event": "unavailable", "data": "", "retry": 5000}

    return EventSourceResponse(stream(), ping=15)
