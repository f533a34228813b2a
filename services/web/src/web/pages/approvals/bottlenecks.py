"""The bottleneck report: where approvals wait, in working time, as a chart and a table."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from web.gateway import GatewayClient, gateway
from web.i18n import SHANGHAI
from web.pages.approvals.common import page
from web.session import Session, session
from web.templating import tr

router = APIRouter()

DIMENSIONS = ("step", "approver", "stage", "department", "policy")


def hours_minutes(seconds: int | None) -> tuple[int, int]:
    total = int(seconds or 0) // 60
    return total // 60, total % 60


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
    return page(request, "approvals/bottlenecks.html", {
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
