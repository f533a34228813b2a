"""Anomaly flags for managers: the list with their evidence, a scan on demand, and a dismissal that needs a
reason."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem
from web.pages.signals.common import Gateway, Signed, optional, passes
from web.templating import is_htmx, render, tr

router = APIRouter()

FLAG_STATES = ("open", "dismissed", "all")
# English msgids of the flag kinds the gateway names (an unknown kind is shown as the gateway wrote it).
FLAG_KINDS = {
    "stuck": "Stuck in a stage",
    "month_end": "Month-end bulk entry",
    "backdating": "Backdated records",
    "follow_up_moved": "Follow-up moved more than 3 times",
    "evidence_failures": "Visit evidence failures",
}


def _p(value: str) -> str:
    return quote(value, safe="")


def _flags_query(state: str, kind: str, rep_id: str) -> dict[str, str]:
    return {"state": state, "kind": kind, "rep_id": rep_id}


async def _flags_page(
    request: Request, gw: GatewayClient, *, state: str = "open", kind: str = "", rep_id: str = "",
    problem: GatewayProblem | None = None, failed: str = "", reason: str = "", done: str = "",
    scanned: dict[str, Any] | None = None, status_code: int = 200,
) -> HTMLResponse:
    answer, available = await optional(gw.get("/v1/anomaly-flags", params=_flags_query(state, kind, rep_id)))
    items = list((answer or {}).get("items", []))
    return render(request, "signals/flags.html", {
        "items": items, "available": available, "state": state, "kind": kind, "rep_id": rep_id,
        "states": FLAG_STATES, "kinds": FLAG_KINDS, "problem": problem, "failed": failed, "reason": reason,
        "done": done, "scanned": scanned, "back": urlencode({k: v for k, v in _flags_query(state, kind, rep_id).items()
                                                             if v}),
    }, status_code=status_code)


@router.get("/signals/flags", response_class=HTMLResponse, include_in_schema=False)
async def flags(
    request: Request, s: Signed, gw: Gateway,
    state: Annotated[str, Query(max_length=20)] = "open",
    kind: Annotated[str, Query(max_length=50)] = "",
    rep_id: Annotated[str, Query(max_length=64)] = "",
    done: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    state = state if state in FLAG_STATES else "open"
    return await _flags_page(request, gw, state=state, kind=kind.strip(), rep_id=rep_id.strip(),
                             done=tr(request, "Flag dismissed.") if done == "dismissed" else "")


@router.post("/signals/flags/scan", response_class=HTMLResponse, include_in_schema=False)
async def scan(request: Request, s: Signed, gw: Gateway) -> HTMLResponse:
    try:
        counts = await gw.post("/v1/anomaly-flags/scan", batch=True)
    except GatewayProblem as exc:
        if not passes(exc):
            raise
        return await _flags_page(request, gw, problem=exc, status_code=exc.status)
    return await _flags_page(request, gw, scanned=counts if isinstance(counts, dict) else {})


@router.post("/signals/flags/{flag_id}/dismiss", include_in_schema=False)
async def dismiss(
    request: Request, flag_id: str, s: Signed, gw: Gateway,
    reason: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        answer = await gw.post(f"/v1/anomaly-flags/{_p(flag_id)}/dismiss", json={"reason": reason.strip()})
    except GatewayProblem as exc:
        if not passes(exc):
            raise
        if is_htmx(request):
            flag = {"flag_id": flag_id, "state": "open"}
            return render(request, "signals/flags.html", {"f": flag, "problem": exc, "failed": flag_id,
                                                          "reason": reason, "kinds": FLAG_KINDS},
                          block_name="dismiss_form", status_code=exc.status,
                          headers={"HX-Retarget": f"#dismiss-{flag_id}", "HX-Reswap": "outerHTML"})
        return await _flags_page(request, gw, problem=exc, failed=flag_id, reason=reason, status_code=exc.status)
    if not is_htmx(request):
        return RedirectResponse("/signals/flags?" + (back + "&" if back else "") + "done=dismissed", status_code=303)
    # The gateway answers the dismissed flag (who, when, the reason kept).
    flag = answer if isinstance(answer, dict) and answer.get("flag_id") else {
        "flag_id": flag_id, "state": "dismissed", "reason": reason.strip()}
    return render(request, "signals/flags.html", {"f": flag, "kinds": FLAG_KINDS, "done": tr(request, "Flag dismissed.")},
                  block_name="dismiss_form")
