"""The manufacturer's side: clashes (撞单) for the channel manager."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.pages.partner.common import PAGE_SIZE, form_text, page, refusal_status
from web.session import Session, session

router = APIRouter()

MATCHED_BY = {
    "credit_code": "the same unified social credit code",
    "phone": "the same phone",
    "similar_name": "a similar name in the same city",
}


async def _clashes_page(
    request: Request,
    gw: GatewayClient,
    *,
    status: str = "open",
    problem: GatewayProblem | None = None,
    failed_clash: str = "",
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    answer = await gw.get("/v1/registrations/clashes", params={"status": status, "page_size": PAGE_SIZE})
    return page(
        request,
        "partner/clashes.html",
        {
            "clashes": answer.get("clashes", []),
            "status": status,
            "matched_by": MATCHED_BY,
            "decided": request.query_params.get("decided", ""),
            "failed_clash": failed_clash,
            "form": form or {},
            "problem": problem,
        },
        fields=("winner_registration_id", "comment"),
        status_code=status_code,
    )


@router.get("/partner/clashes", response_class=HTMLResponse, include_in_schema=False)
async def clashes(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    status: str = "open",
) -> HTMLResponse:
    return await _clashes_page(request, gw, status=status)


@router.post("/partner/clashes/{clash_id}/decide", response_class=HTMLResponse, include_in_schema=False)
async def decide_clash(
    request: Request,
    clash_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> Response:
    submitted = await request.form()
    form = {name: form_text(submitted, name) for name in ("winner_registration_id", "comment")}
    try:
        await gw.post(f"/v1/registrations/clashes/{clash_id}/decide", json=form)
    except GatewayProblem as exc:
        if exc.status >= 500 or exc.status in (401, 403, 404):
            raise
        return await _clashes_page(request, gw, problem=exc, failed_clash=clash_id, form=form,
                                   status_code=refusal_status(exc))
    return RedirectResponse(f"/partner/clashes?decided={clash_id}", status_code=303)
