"""A rep's leads and the pool: my leads (paged), a lead with why it is mine,
the pool best match first with my score, claim / release / touch in place.
Every refusal (someone claimed it first, capacity, cool-down) is the
gateway's, shown next to the row it concerns."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.session import Session, session
from web.templating import is_htmx, render

router = APIRouter()

PAGE_SIZE = 20
TOUCH_KINDS = ("call", "visit", "chat")


def my_score(entry: dict[str, Any], user_id: str) -> float | None:
    """The signed-in rep's score in a pool entry (a rep is sent only their own)."""
    for c in entry.get("candidates") or []:
        if c.get("rep_id") == user_id:
            return c.get("score")
    return None


def _by_score(entries: list[dict[str, Any]], user_id: str) -> list[dict[str, Any]]:
    """Best match first within the page (the gateway already orders it so; unscored last)."""
    def key(e: dict[str, Any]) -> tuple[bool, float]:
        score = my_score(e, user_id)
        return (score is None, -(score or 0.0))
    return sorted(entries, key=key)


@router.get("/leads", response_class=HTMLResponse, include_in_schema=False)
async def my_leads(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    status: str = "open",
    page_token: str = "",
) -> HTMLResponse:
    answer = await gw.get("/v1/leads", params={"status": status, "page_size": PAGE_SIZE, "page_token": page_token})
    return render(request, "leads/mine.html", {
        "leads": answer.get("leads") or [], "next_token": answer.get("next_page_token", ""),
        "status": status, "touch_kinds": TOUCH_KINDS,
    })


@router.get("/leads/{lead_id}", response_class=HTMLResponse, include_in_schema=False)
async def lead_detail(
    request: Request,
    lead_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> HTMLResponse:
    lead = (await gw.get(f"/v1/leads/{lead_id}"))["lead"]
    explanation, why_not = None, None
    try:
        explanation = (await gw.get(f"/v1/leads/{lead_id}/explanation")).get("explanation")
    except GatewayProblem as exc:
        if exc.status not in (403, 404):
            raise
        why_not = exc  # a pool lead, or one that was never assigned: nothing to explain yet
    return render(request, "leads/detail.html", {
        "lead": lead, "explanation": explanation, "why_not": why_not, "touch_kinds": TOUCH_KINDS,
    })


@router.get("/pool", response_class=HTMLResponse, include_in_schema=False)
async def pool(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    page_token: str = "",
) -> HTMLResponse:
    answer = await gw.get("/v1/pool", params={"page_size": PAGE_SIZE, "page_token": page_token})
    entries = _by_score(answer.get("entries") or [], s.user_id)
    return render(request, "leads/pool.html", {
        "entries": entries, "next_token": answer.get("next_page_token", ""),
        "score_of": lambda e: my_score(e, s.user_id),
    })


@router.get("/pool/{lead_id}/why", response_class=HTMLResponse, include_in_schema=False)
async def pool_why(
    request: Request,
    lead_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    rep_id: str = "",
) -> HTMLResponse:
    """The fragment a pool card's "why" disclosure loads: the route, the rep
    filter, the formula's terms with their values and the rank, as the gateway
    works them out for the rep (a manager names the candidate)."""
    why, problem = None, None
    try:
        why = await gw.get(f"/v1/pool/{lead_id}/explanation", params={"rep_id": rep_id} if rep_id else None)
    except GatewayProblem as exc:
        if exc.status not in (403, 404):
            raise
        problem = exc  # claimed meanwhile, or no longer the rep's to see: said in the card
    return render(request, "leads/pool_why.html", {"why": why, "problem": problem})


def _row(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return render(request, template, context, block_name="row", status_code=status_code)


async def _act(
    request: Request, gw: GatewayClient, lead_id: str, action: str, body: dict[str, Any], template: str,
    context: dict[str, Any],
) -> Response:
    """POST /v1/leads/{id}/{action}; htmx gets the row back in place (with the
    gateway's refusal beside it), a plain form goes on to the lead's page."""
    try:
        answer = await gw.post(f"/v1/leads/{lead_id}/{action}", json=body)
    except GatewayProblem as exc:
        if not is_htmx(request) or exc.status == 401 or exc.status >= 500:
            raise
        return _row(request, template, {**context, "problem": exc, "done": None}, status_code=exc.status)
    if not is_htmx(request):
        return RedirectResponse("/pool" if action == "release" else f"/leads/{lead_id}", status_code=303)
    assignment = (answer or {}).get("assignment")
    return _row(request, template, {**context, "done": action, "assignment": assignment})


@router.post("/leads/{lead_id}/claim", include_in_schema=False)
async def claim(
    request: Request,
    lead_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    company_name: Annotated[str, Form()] = "",
    score: Annotated[str, Form()] = "",
) -> Response:
    entry = {"lead_id": lead_id, "company_name": company_name}
    return await _act(request, gw, lead_id, "claim", {}, "leads/pool.html",
                      {"e": entry, "score": float(score) if score else None})


def _lead_context(lead_id: str, company_name: str, kind: str = "call") -> dict[str, Any]:
    return {"lead": {"lead_id": lead_id, "company_name": company_name, "status": "open"},
            "touch_kinds": TOUCH_KINDS, "kind": kind}


@router.post("/leads/{lead_id}/release", include_in_schema=False)
async def release(
    request: Request,
    lead_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    company_name: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    return await _act(request, gw, lead_id, "release", {"reason": reason.strip()}, "leads/mine.html",
                      _lead_context(lead_id, company_name))


@router.post("/leads/{lead_id}/touch", include_in_schema=False)
async def touch(
    request: Request,
    lead_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    company_name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "call",
) -> Response:
    return await _act(request, gw, lead_id, "touch", {"kind": kind}, "leads/mine.html",
                      _lead_context(lead_id, company_name, kind))
