"""The approval inbox: an approver's tasks, most urgent first, with the working time left, their batch
decision, and the requests I made."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.pages.approvals.common import ACTION_DONE, page
from web.session import Session, session
from web.templating import tr

router = APIRouter()

REQUESTER_ROLES = {"rep", "manager", "admin"}  # the menu offers "my requests" to these only
REPORT_ROLES = {"manager", "admin"}
PAGE_SIZE = 50


def time_left(minutes: int | None, has_due: bool = True, overdue: bool = False) -> dict[str, Any]:
    """Working minutes left as hours and minutes, and whether it is overdue (the gateway's flag, or negative)."""
    if not has_due or minutes is None:
        return {"has_due": False, "overdue": False, "hours": 0, "minutes": 0}
    m = int(minutes)
    return {"has_due": True, "overdue": overdue or m < 0, "hours": abs(m) // 60, "minutes": abs(m) % 60}


@router.get("/approvals", response_class=HTMLResponse, include_in_schema=False)
async def inbox(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    tab: Annotated[str, Query(max_length=10)] = "inbox",
    overdue: Annotated[bool, Query()] = False,
    page_token: Annotated[str, Query(max_length=500)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    mine = tab == "mine" and s.role in REQUESTER_ROLES
    if mine:
        answer = await gw.get("/v1/approval-outbox", params={"page_size": PAGE_SIZE, "page_token": page_token})
    else:
        answer = await gw.get("/v1/approval-inbox", params={
            "page_size": PAGE_SIZE, "page_token": page_token, "overdue": "true" if overdue else None,
        })
    items = list((answer or {}).get("items", []))
    for item in items:
        item["left"] = time_left(item.get("working_minutes_left"), bool(item.get("has_due")), bool(item.get("overdue")))
    base = "/approvals?tab=mine" if mine else ("/approvals?overdue=true" if overdue else "/approvals")
    return page(request, "approvals/inbox.html", {
        "tab": "mine" if mine else "inbox", "items": items, "overdue_only": overdue,
        "next_token": (answer or {}).get("next_page_token", ""), "base": base,
        "may_request": s.role in REQUESTER_ROLES, "may_report": s.role in REPORT_ROLES,
        "done": tr(request, ACTION_DONE[done]) if done in ACTION_DONE else "",  # back from a form without htmx
    })


@router.post("/approvals/batch", include_in_schema=False)
async def batch(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    task_ids: Annotated[list[str], Form()],
    decision: Annotated[str, Form()] = "approve",
    comment: Annotated[str, Form()] = "",
) -> Response:
    try:
        answer = await gw.post("/v1/approval-tasks/batch-decision", json={
            "task_ids": task_ids, "decision": decision, "comment": comment, "channel": "web",
        })
    except GatewayProblem as exc:
        if exc.status == 401 or exc.status >= 500:
            raise
        return page(request, "approvals/inbox.html", {"problem": exc}, block_name="batch_result",
                      status_code=exc.status)
    return page(request, "approvals/inbox.html", {"outcomes": (answer or {}).get("outcomes", [])},
                  block_name="batch_result")
