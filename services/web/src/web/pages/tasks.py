"""A rep's tasks (the timers' follow-up tasks) and planned follow-ups of their
customers; a task is completed in place."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.session import Session, session
from web.templating import is_htmx, render

router = APIRouter()

FOLLOW_UPS_SHOWN = 20


def _due_key(item: dict[str, Any], field: str) -> str:
    return item.get(field) or "9999"  # undated last


@router.get("/tasks", response_class=HTMLResponse, include_in_schema=False)
async def tasks(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    state: str = "open",
) -> HTMLResponse:
    state = state if state in ("open", "done", "cancelled") else "open"
    mine = s.user_id if s.role == "rep" else ""
    answer, customers = await asyncio.gather(  # the two answers are independent: one round trip's time
        gw.get("/v1/tasks", params={"state": state, "owner_id": mine}),
        gw.get("/v1/customers", params={"owner_id": mine, "page_size": FOLLOW_UPS_SHOWN}),
    )
    items = sorted(answer.get("tasks") or [], key=lambda t: _due_key(t, "due_at"))
    follow_ups = sorted((c for c in customers.get("customers") or [] if c.get("next_follow_up_at")),
                        key=lambda c: _due_key(c, "next_follow_up_at"))
    return render(request, "tasks/list.html", {
        "tasks": items, "state": state, "follow_ups": follow_ups,
        "now": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    })


@router.post("/tasks/{task_id}/complete", include_in_schema=False)
async def complete(
    request: Request,
    task_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    title: Annotated[str, Form()] = "",
) -> Response:
    try:
        answer = await gw.post(f"/v1/tasks/{task_id}/complete")
    except GatewayProblem as exc:
        if not is_htmx(request) or exc.status == 401 or exc.status >= 500:
            raise
        return render(request, "tasks/list.html", {"t": {"task_id": task_id, "title": title, "state": "open"}, "problem": exc},
                      block_name="row", status_code=exc.status)
    if not is_htmx(request):
        return RedirectResponse("/tasks", status_code=303)
    task = (answer or {}).get("task") or {"task_id": task_id, "state": "done"}
    return render(request, "tasks/list.html", {"t": task, "done": True}, block_name="row")
