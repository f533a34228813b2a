"""Logging a visit from the phone: the customer, the check-in location (the
browser's geolocation, or typed), a photo from the camera, the needs and
competitors, the next follow-up. The evidence checks are the gateway's: a
visit missing evidence comes back as a draft (待补全) naming every failed
check, completed later from /visits/drafts: there every draft of the rep's
across customers (a manager's team's, each rep named), then one customer's
with the forms to complete them."""

from __future__ import annotations

import asyncio
import base64
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.i18n import SHANGHAI
from web.session import Session, session
from web.templating import render, tr

router = APIRouter()

# The gateway's visit-evidence checks (violations[].check / type), in its order.
CHECKS = ("check_in", "photo", "needs", "competitors", "next_follow_up_at")
CUSTOMERS_LISTED = 200  # the gateway's largest page: a rep's own customers to choose from
DRAFTS_LISTED = 50  # drafts across customers per page, newest first
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # the gateway refuses larger; read no more than one byte over


def checks(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every evidence check, passed or failed with the gateway's reasons."""
    out = []
    for name in CHECKS:
        reasons = [str(v.get("description", "")) for v in violations if (v.get("check") or v.get("type")) == name]
        out.append({"check": name, "passed": not reasons, "reasons": reasons})
    return out


def _number(text: str) -> float | str:
    """A typed coordinate as a number; anything else goes as typed, for the gateway to name the field."""
    try:
        return float(text)
    except ValueError:
        return text


def _instant(text: str) -> str:
    """A datetime-local value (wall clock in Asia/Shanghai) as an ISO instant."""
    try:
        return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).isoformat()
    except ValueError:
        return text


async def evidence(
    latitude: str, longitude: str, photo: UploadFile | None, needs: str, competitors: str, next_follow_up_at: str,
) -> dict[str, Any]:
    """The evidence part of a visit's body as the gateway takes it (the photo as base64)."""
    body: dict[str, Any] = {"needs": needs.strip(), "competitors": competitors.strip()}
    if latitude.strip() or longitude.strip():
        body["check_in"] = {"latitude": _number(latitude.strip()), "longitude": _number(longitude.strip())}
    if photo is not None and photo.filename:
        content = await photo.read(MAX_PHOTO_BYTES + 1)
        body["photo"] = base64.b64encode(content).decode()
        body["photo_content_type"] = photo.content_type or "image/jpeg"
    if next_follow_up_at.strip():
        body["next_follow_up_at"] = _instant(next_follow_up_at.strip())
    return body


async def _customers(gw: GatewayClient, s: Session) -> list[dict[str, Any]]:
    answer = await gw.get("/v1/customers", params={"owner_id": s.user_id if s.role == "rep" else "",
                                                   "page_size": CUSTOMERS_LISTED})
    return answer.get("customers") or []


@router.get("/visits/new", response_class=HTMLResponse, include_in_schema=False)
async def new_visit(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    customer_id: str = "",
) -> HTMLResponse:
    return render(request, "visits/new.html", {"customers": await _customers(gw, s), "form": {"customer_id": customer_id}})


@router.post("/visits", response_class=HTMLResponse, include_in_schema=False)
async def log_visit(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    customer_id: Annotated[str, Form()] = "",
    summary: Annotated[str, Form()] = "",
    latitude: Annotated[str, Form()] = "",
    longitude: Annotated[str, Form()] = "",
    accuracy: Annotated[str, Form()] = "",
    needs: Annotated[str, Form()] = "",
    competitors: Annotated[str, Form()] = "",
    next_follow_up_at: Annotated[str, Form()] = "",
    photo: UploadFile | None = None,
) -> HTMLResponse:
    form = {"customer_id": customer_id, "summary": summary, "latitude": latitude, "longitude": longitude,
            "accuracy": accuracy, "needs": needs, "competitors": competitors, "next_follow_up_at": next_follow_up_at}
    body = {"kind": "visit", "summary": summary.strip(),
            **await evidence(latitude, longitude, photo, needs, competitors, next_follow_up_at)}
    try:
        if not customer_id:
            raise GatewayProblem(status=422, title=tr(request, "Choose the customer"), errors=[
                {"field": "customer_id", "description": tr(request, "choose the customer you visited")}])
        answer = await gw.post(f"/v1/customers/{customer_id}/activities", json=body)
    except GatewayProblem as exc:
        if exc.status == 401 or exc.status >= 500:
            raise
        return render(request, "visits/new.html", {"customers": await _customers(gw, s), "form": form,
                                                   "problem": exc}, status_code=exc.status)
    activity = answer["activity"]
    return render(request, "visits/result.html", {
        "activity": activity, "checks": checks(activity.get("violations") or []), "customer_id": customer_id,
    }, status_code=201)


def _my_drafts(activities: list[dict[str, Any]], user_id: str) -> list[dict[str, Any]]:
    """Visits of mine still 待补全: drafts no later entry has completed."""
    completed = {a.get("refers_to") for a in activities if a.get("relation") == "completes"}
    return [a for a in activities
            if a.get("kind") == "visit" and a.get("state") == "draft" and a.get("actor_id") == user_id
            and not a.get("completed_by") and a.get("activity_id") not in completed]


def _still_missing(draft: dict[str, Any], problem: GatewayProblem | None, failed_id: str) -> list[dict[str, Any]]:
    """The checks a draft fails: as the gateway just answered its completion (409), else as saved."""
    if problem is not None and draft.get("activity_id") == failed_id and any(
        v.get("type") in CHECKS for v in problem.violations
    ):
        return problem.violations
    return draft.get("violations") or []


async def _drafts_page(
    request: Request, gw: GatewayClient, s: Session, customer_id: str, *,
    problem: GatewayProblem | None = None, failed_id: str = "", form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    async def activities() -> list[dict[str, Any]]:
        if not customer_id:
            return []
        return (await gw.get(f"/v1/customers/{customer_id}/activities")).get("activities") or []

    customers, log = await asyncio.gather(_customers(gw, s), activities())
    drafts = _my_drafts(log, s.user_id)
    return render(request, "visits/drafts.html", {
        "customers": customers, "customer_id": customer_id,
        "drafts": [{**d, "checks": checks(_still_missing(d, problem, failed_id))} for d in drafts],
        "problem": problem, "failed_id": failed_id, "form": form or {},
    }, status_code=status_code)


async def _every_draft(request: Request, gw: GatewayClient, s: Session, page_token: str) -> HTMLResponse:
    """Every draft the caller has to chase, whatever the customer: each links to its customer's completion form
    (the caller's own; a manager sees the team's named by rep)."""
    params = {"page_size": DRAFTS_LISTED} | ({"page_token": page_token} if page_token else {})
    customers, answer = await asyncio.gather(_customers(gw, s), gw.get("/v1/activity-drafts", params=params))
    pending = [{**d["activity"], "customer_name": d.get("customer_name") or "", "rep_name": d.get("rep_name") or "",
                "checks": checks(d["activity"].get("violations") or [])} for d in answer.get("drafts") or []]
    return render(request, "visits/drafts.html", {
        "customers": customers, "customer_id": "", "pending": pending,
        "next_page_token": answer.get("next_page_token") or "",
    })


@router.get("/visits/drafts", response_class=HTMLResponse, include_in_schema=False)
async def drafts(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    customer_id: str = "",
    page_token: str = "",
) -> HTMLResponse:
    if not customer_id:
        return await _every_draft(request, gw, s, page_token)
    return await _drafts_page(request, gw, s, customer_id)


@router.post("/visits/drafts/{customer_id}/{activity_id}", response_class=HTMLResponse, include_in_schema=False)
async def complete_draft(
    request: Request,
    customer_id: str,
    activity_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    latitude: Annotated[str, Form()] = "",
    longitude: Annotated[str, Form()] = "",
    accuracy: Annotated[str, Form()] = "",
    needs: Annotated[str, Form()] = "",
    competitors: Annotated[str, Form()] = "",
    next_follow_up_at: Annotated[str, Form()] = "",
    photo: UploadFile | None = None,
) -> HTMLResponse:
    body = await evidence(latitude, longitude, photo, needs, competitors, next_follow_up_at)
    try:
        answer = await gw.post(f"/v1/customers/{customer_id}/activities/{activity_id}/submit", json=body)
    except GatewayProblem as exc:
        if exc.status == 401 or exc.status >= 500 or exc.status == 404:
            raise
        form = {"latitude": latitude, "longitude": longitude, "accuracy": accuracy, "needs": needs,
                "competitors": competitors, "next_follow_up_at": next_follow_up_at}
        return await _drafts_page(request, gw, s, customer_id, problem=exc, failed_id=activity_id, form=form,
                                  status_code=exc.status)
    activity = answer["activity"]
    return render(request, "visits/result.html", {
        "activity": activity, "checks": checks(activity.get("violations") or []), "customer_id": customer_id,
    })
