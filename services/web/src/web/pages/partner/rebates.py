"""The partner's rebate progress toward the next tier."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from web.gateway import GatewayClient, gateway
from web.pages.partner.common import page
from web.session import Session, session

router = APIRouter()


def progress_of(progress: dict[str, Any]) -> dict[str, Any]:
    """What the progress bar shows: collected against the next tier's threshold (a full bar at the top tier)."""
    collected = int(progress.get("collected_minor") or 0)
    threshold = int(progress.get("next_threshold_minor") or 0)
    if threshold <= 0:
        return {"value": max(collected, 1), "max": max(collected, 1), "percent": 100, "top": True}
    shown = min(collected, threshold)
    return {"value": shown, "max": threshold, "percent": shown * 100 // threshold, "top": False}


@router.get("/partner/rebates", response_class=HTMLResponse, include_in_schema=False)
async def rebates(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    on: str = "",
) -> HTMLResponse:
    answer = await gw.get("/v1/partner/rebates", params={"on": on})
    rows = [
        {
            "programme": r.get("programme") or {},
            "progress": r.get("progress") or {},
            "bar": progress_of(r.get("progress") or {}),
        }
        for r in answer.get("rebates", [])
    ]
    return page(request, "partner/rebates.html", {"rows": rows, "on": on})
