"""The approval inbox: an approver's tasks, most urgent first, with the
working time left; the request's page (facts, tasks, timeline and the
actions: approve, reject, send back, 加签, 转交, 委派, confirm); the
requests I made; and the bottleneck report as a chart and a table.
The request's page also offers what may be done to the request itself:
recall (撤回), remind (催办) and resubmit for its requester, 抄送 for the
requester and its approvers, a comment for every reader, and 减签 to the
holder of a task whose step has added signers still to answer.
Every rule (who may act, which user may be added, what is already decided)
is the gateway's: its refusals are shown next to the field they name."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from crm_shared.roles import APPROVAL_ACTORS, APPROVAL_REQUESTERS
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.i18n import SHANGHAI
from web.session import Session, session
from web.templating import is_htmx, render, tr

router = APIRouter()

# Web path segment -> the gateway's action path (they are the same words) and what the form sends.
ACTIONS = ("approve", "reject", "send-back", "add-signers", "remove-signer", "transfer", "delegate", "confirm")
# Actions on the request itself: web path segment -> the gateway's path under /v1/approvals/{id}/.
REQUEST_ACTIONS = {"recall": "recall", "remind": "remind", "resubmit": "resubmit", "cc": "cc", "comment": "comments"}
ACTION_DONE = {
    "approve": "Approved.",
    "reject": "Rejected.",
    "send-back": "Sent back.",
    "add-signers": "Signers added.",
    "remove-signer": "Signer removed.",
    "transfer": "Transferred.",
    "delegate": "Delegated: the task comes back to you to confirm.",
    "confirm": "The delegate's opinion confirmed.",
    "recall": "Request recalled.",
    "remind": "The approvers were reminded.",
    "resubmit": "Request resubmitted.",
    "cc": "Copied in.",
    "comment": "Comment added.",
}
REQUESTER_ROLES = {"rep", "manager", "admin"}  # the menu offers "my requests" to these only
REPORT_ROLES = {"manager", "admin"}
DIMENSIONS = ("step", "approver", "stage", "department", "policy")
PAGE_SIZE = 50
# English msgids of the gateway's words (translated in the templates).
KINDS = {
    "quote": "Quote", "contract": "Contract", "technical_proposal": "Technical proposal", "discount": "Discount",
    "promotion": "Promotion", "payment_exception": "Payment exception",
    "partner_registration": "Partner registration", "protection_extension": "Protection extension",
}
REQUEST_STATUS = {
    "pending": "In approval", "approved": "Approved", "rejected": "Rejected", "recalled": "Recalled",
    "voided": "Voided", "returned": "Sent back to requester",
}
TASK_STATUS = {
    "waiting": "Waiting", "pending": "To decide", "approved": "Approved", "rejected": "Rejected",
    "transferred": "Transferred", "delegated": "Delegated", "skipped": "Skipped", "cancelled": "Cancelled",
}
HISTORY_ACTIONS = {
    "submitted": "submitted the request", "assigned": "was asked", "approved": "approved", "rejected": "rejected",
    "sent_back": "sent it back", "signers_added": "added signers", "signer_removed": "removed a signer",
    "transferred": "transferred the task", "delegated": "delegated the task",
    "confirmed": "confirmed the delegate's opinion", "skipped": "step skipped", "substituted": "stood in as deputy",
    "fallback": "fallback approver asked", "escalated": "escalated", "reminded": "sent a reminder",
    "recalled": "recalled the request", "voided": "voided the request", "stale": "the document changed",
    "copied": "copied people in", "commented": "commented", "resubmitted": "resubmitted",
    "step_completed": "step completed", "stage_completed": "stage completed", "decided": "the request was decided",
    "auto_approved": "approved automatically", "auto_rejected": "rejected automatically",
}
DIMENSION_LABELS = {"step": "Step", "approver": "Approver", "stage": "Stage", "department": "Department",
                    "policy": "Policy"}
LABELS = {"kinds": KINDS, "dimension_labels": DIMENSION_LABELS, "request_status": REQUEST_STATUS, "task_status": TASK_STATUS,
          "history_actions": HISTORY_ACTIONS}
FORM_FIELDS = ("comment", "users", "placement", "mode", "target_user", "send_back_to", "reason", "impact_scope",
               "discount_percent", "document_version_id")
OPEN_TASK = ("waiting", "pending", "delegated")
USER_SPLIT = re.compile(r"[\s,，、;；]+")


def _page(request: Request, name: str, ctx: dict[str, Any], **kw: Any) -> HTMLResponse:
    return render(request, name, LABELS | ctx, **kw)


def _unplaced(problem: GatewayProblem) -> bool:
    """Whether the refusal says something no field of the form shows (then it is said above the form)."""
    placed = sum(len(problem.field_errors(name)) for name in FORM_FIELDS)
    return not problem.errors or placed < len(problem.errors)


def _split_users(text: str) -> list[str]:
    return [u for u in USER_SPLIT.split(text.strip()) if u]


def time_left(minutes: int | None, has_due: bool = True, overdue: bool = False) -> dict[str, Any]:
    """Working minutes left as hours and minutes, and whether it is overdue (the gateway's flag, or negative)."""
    if not has_due or minutes is None:
        return {"has_due": False, "overdue": False, "hours": 0, "minutes": 0}
    m = int(minutes)
    return {"has_due": True, "overdue": overdue or m < 0, "hours": abs(m) // 60, "minutes": abs(m) % 60}


def hours_minutes(seconds: int | None) -> tuple[int, int]:
    total = int(seconds or 0) // 60
    return total // 60, total % 60


async def _directory(gw: GatewayClient) -> list[str]:
    """User ids the tenant's departments list, for the user picker (none if they cannot be read)."""
    try:
        answer = await gw.get("/v1/departments")
    except GatewayProblem:
        return []
    ids = {m.get("user_id", "") for d in (answer or {}).get("departments", []) for m in d.get("members", [])}
    ids |= {d.get("head_id", "") for d in (answer or {}).get("departments", [])}
    return sorted(i for i in ids if i)


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
    return _page(request, "approvals/inbox.html", {
        "tab": "mine" if mine else "inbox", "items": items, "overdue_only": overdue,
        "next_token": (answer or {}).get("next_page_token", ""), "base": base,
        "may_request": s.role in REQUESTER_ROLES, "may_report": s.role in REPORT_ROLES,
        "done": tr(request, ACTION_DONE[done]) if done in ACTION_DONE else "",  # back from a form without htmx
    })


def _period(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@router.get("/approvals/bottlenecks", response_class=HTMLResponse, include_in_schema=False)
async def bottlenecks(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
    dimension: Annotated[str, Query(max_length=20)] = "step",
) -> HTMLResponse:
    today = datetime.now(SHANGHAI).date()
    to_day = _period(end, today)
    from_day = _period(start, to_day - timedelta(days=30))
    dimension = dimension if dimension in DIMENSIONS else "step"
    # The period is whole Shanghai days, the last one included: [from 00:00, to+1 00:00) in Shanghai.
    answer = await gw.get("/v1/approval-reports/bottlenecks", params={
        "decided_from": datetime.combine(from_day, time(), SHANGHAI).isoformat(),
        "decided_to": datetime.combine(to_day + timedelta(days=1), time(), SHANGHAI).isoformat(),
        "dimension": dimension,
    })
    rows = [r for r in (answer or {}).get("rows", []) if r.get("dimension", dimension) == dimension]
    for r in rows:
        r["label"] = _row_label(r, dimension)
        r["median_hm"] = hours_minutes(r.get("median_working_seconds"))
        r["p90_hm"] = hours_minutes(r.get("p90_working_seconds"))
    chart = {
        "labels": [r["label"] for r in rows],
        "median": [round(int(r.get("median_working_seconds") or 0) / 3600, 2) for r in rows],
        "p90": [round(int(r.get("p90_working_seconds") or 0) / 3600, 2) for r in rows],
        "series": [tr(request, "Median"), tr(request, "90th percentile")],
        "axis": tr(request, "Working hours"),
    }
    return _page(request, "approvals/bottlenecks.html", {
        "rows": rows, "chart": chart, "tasks": (answer or {}).get("tasks", 0), "dimension": dimension,
        "dimensions": DIMENSIONS, "from_day": from_day.isoformat(), "to_day": to_day.isoformat(),
    })


def _row_label(row: dict[str, Any], dimension: str) -> str:
    if dimension == "step":
        return row.get("step_name") or row.get("step_id") or "—"
    if dimension == "approver":
        return row.get("approver") or "—"
    if dimension == "stage":
        return row.get("stage_id") or "—"
    if dimension == "department":
        return row.get("department_id") or "—"
    return row.get("policy_id") or "—"


async def _request_context(gw: GatewayClient, s: Session, approval_id: str) -> dict[str, Any]:
    answer = await gw.get(f"/v1/approvals/{approval_id}")
    approval = answer.get("approval") or {}
    tasks = answer.get("tasks", [])
    mine = [t for t in tasks if t.get("assignee") == s.user_id and t.get("status") in ("pending", "delegated")]
    for t in mine:
        # Earlier stages a send-back may go to (the requester is always offered).
        t["earlier_stages"] = _earlier_stages(tasks, t)
    may = _request_actions(s, approval, tasks)
    return {
        "approval": approval,
        "tasks": tasks,
        "history": answer.get("history", []),
        "my_tasks": mine,
        "removable": _removable(approval, tasks, s.user_id),
        "may": may,
        "directory": await _directory(gw) if mine or may["cc"] else [],
    }


def _request_actions(s: Session, approval: dict[str, Any], tasks: list[dict[str, Any]]) -> dict[str, bool]:
    """The request's actions its state lets this user take, by approval's rules
    (domain/actions.py); a form shown is still only a proposal: the gateway decides."""
    status = approval.get("status")
    requester = s.user_id == approval.get("requested_by")
    asks = requester and s.role in APPROVAL_REQUESTERS
    actor = s.role in APPROVAL_ACTORS
    return {
        "recall": asks and status in ("pending", "returned"),
        "remind": asks and status == "pending",
        "resubmit": asks and status == "returned",
        # 抄送: the requester, or anyone who holds or held a task on it.
        "cc": actor and (requester or any(t.get("assignee") == s.user_id for t in tasks)),
        "comment": actor,
    }


def _removable(approval: dict[str, Any], tasks: list[dict[str, Any]], user: str) -> list[dict[str, Any]]:
    """My pending or waiting tasks, each with the added signers of its step still to answer (whom 减签 may take off)."""
    if approval.get("status") != "pending":
        return []
    out = []
    for t in tasks:
        if t.get("assignee") != user or t.get("status") not in ("pending", "waiting"):
            continue
        signers = sorted({x.get("assignee", "") for x in tasks if x.get("step_id") == t.get("step_id")
                          and x.get("placement") and x.get("status") in OPEN_TASK and x.get("assignee") != user})
        if signers:
            out.append(t | {"signers": signers})
    return out


def _earlier_stages(tasks: list[dict[str, Any]], task: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for t in tasks:
        sid = t.get("stage_id", "")
        if sid == task.get("stage_id"):
            break
        if sid and sid not in (s for s, _ in out):
            out.append((sid, t.get("stage_name") or sid))
    return out


@router.get("/approvals/{approval_id}", response_class=HTMLResponse, include_in_schema=False)
async def approval_page(
    request: Request,
    approval_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    done: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    ctx = await _request_context(gw, s, approval_id)
    if done in ACTION_DONE:  # back from a form posted without htmx
        ctx["done"] = tr(request, ACTION_DONE[done])
    return _page(request, "approvals/request.html", ctx)


@router.post("/approvals/tasks/{task_id}/{action}", include_in_schema=False)
async def act(
    request: Request,
    task_id: str,
    action: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    comment: Annotated[str, Form()] = "",
    approval_id: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "request",
    users: Annotated[str, Form()] = "",
    placement: Annotated[str, Form()] = "before",
    mode: Annotated[str, Form()] = "all",
    target_user: Annotated[str, Form()] = "",
    send_back_to: Annotated[str, Form()] = "requester",
) -> Response:
    if action not in ACTIONS:
        return render(request, "errors/error.html", {"status": 404}, status_code=404)
    body: dict[str, Any] = {"comment": comment, "channel": "web"}
    if action == "add-signers":
        body |= {"users": _split_users(users), "placement": placement, "mode": mode}
    elif action in ("transfer", "delegate", "remove-signer"):
        body["target_user"] = target_user.strip()
    elif action == "send-back":
        body["send_back_to"] = send_back_to
    from_inbox = back == "inbox"
    try:
        await gw.post(f"/v1/approval-tasks/{task_id}/{action}", json=body)
    except GatewayProblem as exc:
        if exc.status == 401 or exc.status >= 500:
            raise
        form = {"comment": comment, "users": users, "placement": placement, "mode": mode,
                "target_user": target_user, "send_back_to": send_back_to}
        if from_inbox and is_htmx(request):
            # Only the row's decision form is drawn again, with the refusal in it.
            item = {"task_id": task_id, "approval_id": approval_id}
            return _page(request, "approvals/inbox.html", {"item": item, "problem": exc, "form": form,
                                                            "banner": _unplaced(exc)},
                          block_name="decide_form", status_code=exc.status,
                          headers={"HX-Retarget": f"#decide-{task_id}", "HX-Reswap": "outerHTML"})
        if not approval_id:
            raise
        return await _refused(request, gw, s, approval_id, (task_id, action), exc, form)
    if from_inbox:
        if not is_htmx(request):
            return RedirectResponse(f"/approvals?done={action}", status_code=303)
        # The task is no longer the approver's to act on: its row goes, the confirmation shows.
        return _page(request, "approvals/inbox.html", {"done": tr(request, ACTION_DONE[action])},
                     block_name="decided")
    if not approval_id:  # posted from elsewhere than a request's page: back to the inbox
        return RedirectResponse("/approvals", status_code=303)
    return await _done(request, gw, s, approval_id, action)


def _number(text: str) -> int | str:
    """A whole number as a number; anything else as typed, for the gateway to name the field."""
    text = text.strip()
    if not text:
        return 0
    try:
        return int(text)
    except ValueError:
        return text


@router.post("/approvals/{approval_id}/{action}", include_in_schema=False)
async def act_on_request(
    request: Request,
    approval_id: str,
    action: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    comment: Annotated[str, Form()] = "",
    users: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    impact_scope: Annotated[str, Form()] = "",
    discount_percent: Annotated[str, Form()] = "",
    document_version_id: Annotated[str, Form()] = "",
) -> Response:
    if action not in REQUEST_ACTIONS:
        return render(request, "errors/error.html", {"status": 404}, status_code=404)
    body: dict[str, Any] = {"comment": comment, "channel": "web"}
    if action == "cc":
        body["users"] = _split_users(users)
    elif action == "resubmit":
        # "" / 0: unchanged.
        body |= {"reason": reason.strip(), "impact_scope": impact_scope.strip(),
                 "discount_percent": _number(discount_percent), "document_version_id": document_version_id.strip()}
    try:
        await gw.post(f"/v1/approvals/{approval_id}/{REQUEST_ACTIONS[action]}", json=body)
    except GatewayProblem as exc:
        if exc.status == 401 or exc.status >= 500:
            raise
        form = {"comment": comment, "users": users, "reason": reason, "impact_scope": impact_scope,
                "discount_percent": discount_percent, "document_version_id": document_version_id}
        return await _refused(request, gw, s, approval_id, (approval_id, action), exc, form)
    return await _done(request, gw, s, approval_id, action)


async def _refused(request: Request, gw: GatewayClient, s: Session, approval_id: str, acted: tuple[str, str],
                   exc: GatewayProblem, form: dict[str, str]) -> HTMLResponse:
    """The request drawn again with the refusal in the form it came from (`acted`: whose form, which action)."""
    ctx = await _request_context(gw, s, approval_id) | {
        "problem": exc, "form": form, "acted": acted,
        # A refusal naming none of the form's fields is said at the top of the form.
        "banner": _unplaced(exc),
    }
    return _request_answer(request, ctx, exc.status)


async def _done(request: Request, gw: GatewayClient, s: Session, approval_id: str, action: str) -> Response:
    if not is_htmx(request):
        return RedirectResponse(f"/approvals/{approval_id}?done={action}", status_code=303)
    ctx = await _request_context(gw, s, approval_id) | {"done": tr(request, ACTION_DONE[action])}
    return _request_answer(request, ctx, 200)


def _request_answer(request: Request, ctx: dict[str, Any], status: int) -> HTMLResponse:
    return _page(request, "approvals/request.html", ctx, block_name="request" if is_htmx(request) else None,
                  status_code=status)


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
        return _page(request, "approvals/inbox.html", {"problem": exc}, block_name="batch_result",
                      status_code=exc.status)
    return _page(request, "approvals/inbox.html", {"outcomes": (answer or {}).get("outcomes", [])},
                  block_name="batch_result")
