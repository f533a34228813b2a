"""The signals on a customer's page, each a section of its own (loaded when
opened, like the customer's other sections): the tags of each conversation with
the words that matched them, the 历史沟通摘要, the purchase intent (signals, the
proposal countdown, the tool pack), on each open opportunity the needs
completeness and the stage hints to apply or dismiss, and the contacts' 企业微信
ids that match a chat export's lines to this customer (each field showing the
id set, read back from the gateway).

A gateway without one of these routes yet answers 404: only that section is
empty. An applied hint the stage gates refuse says which gates are unmet."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.pages.customers import _fragment, _opportunities, _p
from web.pages.signals.common import optional
from web.session import Session, session
from web.templating import is_htmx, render

router = APIRouter()

Signed = Annotated[Session, Depends(session)]
Gateway = Annotated[GatewayClient, Depends(gateway)]

HINT_ACTIONS = ("apply", "dismiss")
TAGGED_SHOWN = 50
# The account team (the gateway still decides whether this customer is theirs to edit).
WECOM_EDITORS = {"rep", "manager", "admin"}
MAX_WECOM_ID = 200
WECOM_CHANNEL = "wecom"


def countdown(due_at: str | None, now: datetime | None = None) -> dict[str, Any] | None:
    """Hours and minutes to (or past) a deadline, for "due in 5 h 20 min" / "12 h overdue"."""
    if not due_at:
        return None
    try:
        due = datetime.fromisoformat(str(due_at))
    except ValueError:
        return None
    if due.tzinfo is None:
        due = due.replace(tzinfo=UTC)
    seconds = int((due - (now or datetime.now(UTC))).total_seconds())
    minutes = abs(seconds) // 60
    return {"past": seconds < 0, "hours": minutes // 60, "minutes": minutes % 60}


async def _of_customer(gw: GatewayClient, customer_id: str, path: str) -> tuple[Any, bool]:
    """A signal route's answer about a customer, read beside the customer itself: a customer the caller may
    not see is "not found" as its page is, while the signal route answering 404 (not there yet) is empty."""
    _, answer = await asyncio.gather(gw.get(f"/v1/customers/{_p(customer_id)}"),
                                     optional(gw.get(f"/v1/customers/{_p(customer_id)}/{path}"), part=True))
    return answer


@router.get("/customers/{customer_id}/signal-tags", response_class=HTMLResponse, include_in_schema=False)
async def signal_tags(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    answer, available = await _of_customer(gw, customer_id, "activity-tags")
    items = sorted((answer or {}).get("items", []), key=lambda i: i.get("occurred_at") or "", reverse=True)
    return _fragment(request, "signals/_tags.html", {
        "customer_id": customer_id, "available": available, "items": items[:TAGGED_SHOWN],
    })


@router.get("/customers/{customer_id}/conversation-summary", response_class=HTMLResponse, include_in_schema=False)
async def conversation_summary(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    answer, available = await _of_customer(gw, customer_id, "conversation-summary")
    return _fragment(request, "signals/_summary.html", {
        "customer_id": customer_id, "available": available, "summary": answer or {},
    })


@router.get("/customers/{customer_id}/intent", response_class=HTMLResponse, include_in_schema=False)
async def intent(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    answer, available = await _of_customer(gw, customer_id, "intent")
    answer = answer or {}
    due = (answer.get("countdown") or {}).get("due_at")
    return _fragment(request, "signals/_intent.html", {
        "customer_id": customer_id, "available": available, "intent": answer, "left": countdown(due),
    })


async def _deal(gw: GatewayClient, opportunity: dict[str, Any]) -> dict[str, Any]:
    oid = _p(opportunity["opportunity_id"])
    (needs, needs_ok), (hints, hints_ok) = await asyncio.gather(
        optional(gw.get(f"/v1/opportunities/{oid}/needs"), part=True),
        optional(gw.get(f"/v1/opportunities/{oid}/stage-hints"), part=True),
    )
    return {"opportunity": opportunity, "needs": needs if needs_ok else None,
            "hints": (hints or {}).get("items", []) if hints_ok else None}


async def _deals_section(
    request: Request, customer_id: str, gw: GatewayClient, *, refused: dict[str, Any] | None = None,
    done: str = "", status_code: int = 200,
) -> HTMLResponse:
    opportunities = await _opportunities(gw, customer_id)
    deals = await asyncio.gather(*(_deal(gw, o) for o in opportunities))
    return _fragment(request, "signals/_deals.html", {
        "customer_id": customer_id, "deals": deals, "refused": refused, "done": done,
    }, status_code=status_code)


@router.get("/customers/{customer_id}/deal-signals", response_class=HTMLResponse, include_in_schema=False)
async def deal_signals(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    return await _deals_section(request, customer_id, gw)


def unmet_gates(problem: GatewayProblem) -> list[dict[str, str]]:
    """The gates a refused hint did not pass: the problem's `unmet` (the hint's shape) or its `violations`."""
    unmet = problem.body.get("unmet") if isinstance(problem.body, dict) else None
    if isinstance(unmet, list) and unmet:
        return [{"gate": str(u.get("gate", "")), "description": str(u.get("description", ""))}
                for u in unmet if isinstance(u, dict)]
    return [{"gate": str(v.get("type", v.get("gate", ""))), "description": str(v.get("description", ""))}
            for v in problem.violations]


@router.post("/customers/{customer_id}/opportunities/{opportunity_id}/stage-hints/{hint_id}/{action}",
             include_in_schema=False)
async def decide_hint(
    request: Request, customer_id: str, opportunity_id: str, hint_id: str, action: str, s: Signed, gw: Gateway,
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    if action not in HINT_ACTIONS:
        return render(request, "errors/error.html", {"status": 404}, status_code=404)
    refused = None
    status = 200
    try:
        await gw.post(f"/v1/opportunities/{_p(opportunity_id)}/stage-hints/{_p(hint_id)}/{action}")
    except GatewayProblem as exc:
        if exc.status == 401 or exc.status >= 500 or exc.status == 404:
            raise
        refused = {"hint_id": hint_id, "problem": exc, "unmet": unmet_gates(exc)}
        status = exc.status
    if not is_htmx(request) and refused is None:
        return RedirectResponse(f"/customers/{_p(customer_id)}?open=deal-signals", status_code=303)
    return await _deals_section(request, customer_id, gw, refused=refused, status_code=status,
                                done="" if refused else action)


# --- contacts' 企业微信 ids -----------------------------------------------------------------------------------


def on_field(problem: GatewayProblem, name: str) -> GatewayProblem:
    """The refusal with its error on `name` when only its detail names it ("external_id: another contact has …",
    the gateway's 409), so the form shows it next to the field."""
    prefix = name + ":"
    if problem.field_errors(name) or not problem.detail.startswith(prefix):
        return problem
    return dataclasses.replace(problem, errors=[{"field": name, "description": problem.detail[len(prefix):].strip()}])


async def _wecom_section(
    request: Request, customer_id: str, s: Session, gw: GatewayClient, *, saved: dict[str, str] | None = None,
    refused: dict[str, Any] | None = None, status_code: int = 200,
) -> HTMLResponse:
    _, answer, (channels, _) = await asyncio.gather(
        gw.get(f"/v1/customers/{_p(customer_id)}"), gw.get(f"/v1/customers/{_p(customer_id)}/contacts"),
        optional(gw.get(f"/v1/customers/{_p(customer_id)}/contact-channels"), part=True))
    current = {c.get("contact_id"): c.get("external_id", "") for c in (channels or {}).get("channels", [])
               if c.get("channel", WECOM_CHANNEL) == WECOM_CHANNEL}
    return _fragment(request, "signals/_wecom.html", {
        "customer_id": customer_id, "contacts": answer.get("contacts", []), "may_edit": s.role in WECOM_EDITORS,
        "current": current, "saved": saved, "refused": refused,
    }, status_code=status_code)


@router.get("/customers/{customer_id}/wecom-ids", response_class=HTMLResponse, include_in_schema=False)
async def wecom_ids(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    return await _wecom_section(request, customer_id, s, gw)


@router.post("/customers/{customer_id}/contacts/{contact_id}/wecom", include_in_schema=False)
async def set_wecom_id(
    request: Request, customer_id: str, contact_id: str, s: Signed, gw: Gateway,
    external_id: Annotated[str, Form(max_length=MAX_WECOM_ID)] = "",
) -> Response:
    typed = external_id.strip()
    try:
        answer = await gw.put(f"/v1/customers/{_p(customer_id)}/contacts/{_p(contact_id)}/wecom",
                              json={"external_id": typed})
    except GatewayProblem as exc:
        if exc.status == 401 or exc.status == 404 or exc.status >= 500:
            raise
        refused = {"contact_id": contact_id, "problem": on_field(exc, "external_id"), "typed": typed}
        return await _wecom_section(request, customer_id, s, gw, refused=refused, status_code=exc.status)
    if not is_htmx(request):
        return RedirectResponse(f"/customers/{_p(customer_id)}?open=wecom-ids", status_code=303)
    saved = {"contact_id": contact_id, "external_id": str((answer or {}).get("external_id") or typed)}
    return await _wecom_section(request, customer_id, s, gw, saved=saved)
