"""A request's page: its facts, tasks and timeline, and the actions on them: approve, reject, send back,
加签, 减签, 转交, 委派, confirm on a task; recall (撤回), remind (催办), resubmit, 抄送 and a comment on the
request itself. Every rule (who may act, which user may be added, what is already decided) is the gateway's:
its refusals are shown next to the field they name."""

from __future__ import annotations

import re
from typing import Annotated, Any

from crm_shared.roles import APPROVAL_ACTORS, APPROVAL_REQUESTERS
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.pages.approvals.common import ACTION_DONE, page
from web.session import Session, session
from web.templating import is_htmx, render, tr

router = APIRouter()

# Web path segment -> the gateway's action path (they are the same words) and what the form sends.
ACTIONS = ("approve", "reject", "send-back", "add-signers", "remove-signer", "transfer", "delegate", "confirm")
# Actions on the request itself: web path segment -> the gateway's path under /v1/approvals/{id}/.
REQUEST_ACTIONS = {"recall": "recall", "remind": "remind", "resubmit": "resubmit", "cc": "cc", "comment": "comments"}
FORM_FIELDS = ("comment", "users", "placement", "mode", "target_user", "send_back_to", "reason", "impact_scope",
               "discount_percent", "document_version_id")
OPEN_TASK = ("waiting", "pending", "delegated")
USER_SPLIT = re.compile(r"[\s,，、;；]+")


def _unplaced(problem: GatewayProblem) -> bool:
    """Whether the refusal says something no field of the form shows (then it is said above the form)."""
    placed = sum(len(problem.field_errors(name)) for name in FORM_FIELDS)
    return not problem.errors or placed < len(problem.errors)


def _split_users(text: str) -> list[str]:
    return [u for u in USER_SPLIT.split(text.strip()) if u]


async def _directory(gw: GatewayClient) -> list[str]:
    """User ids the tenant's departments list, for the user picker (none if they cannot be read)."""
    try:
        answer = await gw.get("/v1/departments")
    except GatewayProblem:
        return []
    ids = {m.get("user_id", "") for d in (answer or {}).get("departments", []) for m in d.get("members", [])}
    ids |= {d.get("head_id", "") for d in (answer or {}).get("departments", [])}
    return sorted(i for i in ids if i)


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
    return page(request, "approvals/request.html", ctx)


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
            return page(request, "approvals/inbox.html", {"item": item, "problem": exc, "form": form,
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
        return page(request, "approvals/inbox.html", {"done": tr(request, ACTION_DONE[action])},
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
    return page(request, "approvals/request.html", ctx, block_name="request" if is_htmx(request) else None,
                  status_code=status)
