"""The KPI bars (each rep against the team average, seed 000) and a rep's monthly 销售能力画像."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from web.pages.board import reps_of
from web.pages.process_health.common import names_of, pct, period_of
from web.pages.signals.common import Gateway, Signed, optional
from web.templating import render, tr

router = APIRouter()
MEASURES = ("sales", "visit_rate", "effective_call")


def yuan(money: list[dict[str, Any]]) -> float:
    """The CNY amount in 元 (the bars compare one currency; the table lists every one)."""
    return sum(m.get("amount_minor", 0) for m in money if m.get("currency", "CNY") == "CNY") / 100


def figures(k: dict[str, Any]) -> dict[str, Any]:
    return {
        "sales": yuan(k.get("sales", [])), "sales_list": k.get("sales", []),
        "visit_rate": pct(k.get("visit_rate_bp")), "visits": k.get("visits", 0), "target": k.get("visit_target", 0),
        "effective_call": pct(k.get("effective_call_bp")),
        "stage_days": {d.get("stage"): round((d.get("days_tenths") or 0) / 10, 1) for d in k.get("stage_days", [])},
    }


@router.get("/indexes/kpi", response_class=HTMLResponse, include_in_schema=False)
async def kpi_page(
    request: Request, s: Signed, gw: Gateway, period: Annotated[str, Query(max_length=7)] = "",
) -> HTMLResponse:
    period = period_of(period)
    (answer, available), reps = await asyncio.gather(
        optional(gw.get("/v1/kpi", params={"period": period})), reps_of(gw))
    answer = answer or {}
    names = names_of(reps)
    rows = [{"rep_id": k.get("rep_id", ""), "name": names.get(k.get("rep_id", ""), k.get("rep_id", "")),
             **figures(k)} for k in answer.get("reps", [])]
    team = figures(answer.get("team_average") or {})
    stages = sorted({st for r in [*rows, team] for st in r["stage_days"]})
    labels = {"sales": tr(request, "Sales (元)"), "visit_rate": tr(request, "Visit target met (%)"),
              "effective_call": tr(request, "Effective call time (%)")}
    # One bar chart per measure (元 and % do not share an axis): each rep, then the team average.
    average = tr(request, "Team average")
    chart = {"measures": [
        {"title": labels[m], "labels": [r["name"] for r in rows] + [average],
         "values": [r[m] or 0 for r in rows] + [team[m] or 0]}
        for m in MEASURES
    ]}
    return render(request, "process_health/kpi.html", {
        "rows": rows, "team": team, "stages": stages, "chart": chart, "available": available,
        "period": answer.get("period", period),
    })


@router.get("/indexes/profile", response_class=HTMLResponse, include_in_schema=False)
async def profile_page(
    request: Request, s: Signed, gw: Gateway,
    rep_id: Annotated[str, Query(max_length=64)] = "",
    month: Annotated[str, Query(max_length=7)] = "",
) -> HTMLResponse:
    month = period_of(month)
    reps = await reps_of(gw)
    names = names_of(reps)
    choices = [r for r in reps if r.get("manager_id")] or reps
    wanted = rep_id or (s.user_id if s.role == "rep" else (choices[0].get("rep_id", "") if choices else ""))
    profile, available = (None, False)
    if wanted:
        profile, available = await optional(
            gw.get(f"/v1/reps/{quote(wanted, safe='')}/profile", params={"month": month}))
    return render(request, "process_health/profile.html", {
        "profile": profile, "available": available, "rep_id": wanted, "name": names.get(wanted, wanted),
        "choices": [{"rep_id": r.get("rep_id", ""), "name": names.get(r.get("rep_id", ""), "")} for r in choices],
        "month": (profile or {}).get("month", month),
    }, status_code=200)
