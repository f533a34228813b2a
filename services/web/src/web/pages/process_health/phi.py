"""The PHI pages: each rep's three indicators and composite beside the team average (bars and a table), and
one rep's indicator with its evidence."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from web.pages.board import reps_of
from web.pages.process_health.common import INDICATORS, names_of, pct, period_of, ratio
from web.pages.signals.common import Gateway, Signed, optional
from web.templating import render, tr

router = APIRouter()


def shown(indicator: dict[str, Any]) -> float | None:
    value = indicator.get("value_bp")
    return ratio(value) if indicator.get("name") == "collaboration" else pct(value)


def rows_of(answer: dict[str, Any], names: dict[str, str], period: str) -> list[dict[str, Any]]:
    rows = []
    for r in answer.get("reps", []):
        by_name = {i.get("name"): i for i in r.get("indicators", [])}
        rows.append({
            "rep_id": r.get("rep_id", ""), "name": names.get(r.get("rep_id", ""), r.get("rep_id", "")),
            "composite": pct(r.get("composite_bp")), "warning": r.get("saturation_warning", False),
            "indicators": [
                {"name": n, "value": shown(by_name.get(n, {})), "healthy": by_name.get(n, {}).get("healthy", False),
                 "href": "/indexes/phi/evidence?" + urlencode({"rep_id": r.get("rep_id", ""), "indicator": n,
                                                               "period": period})}
                for n in INDICATORS
            ],
        })
    return rows


@router.get("/indexes/phi", response_class=HTMLResponse, include_in_schema=False)
async def phi_page(
    request: Request, s: Signed, gw: Gateway, period: Annotated[str, Query(max_length=7)] = "",
) -> HTMLResponse:
    period = period_of(period)
    (answer, available), reps = await asyncio.gather(
        optional(gw.get("/v1/indexes/phi", params={"period": period})), reps_of(gw))
    answer = answer or {}
    rows = rows_of(answer, names_of(reps), answer.get("period", period))
    average = {a.get("name"): a.get("value_bp") for a in answer.get("team_average", [])}
    team = {"composite": pct(average.get("composite")),
            **{n: (ratio if n == "collaboration" else pct)(average.get(n)) for n in INDICATORS}}
    chart = {"labels": [r["name"] for r in rows], "values": [r["composite"] or 0 for r in rows],
             "average": team["composite"] or 0, "axis": tr(request, "PHI composite (%)"),
             "average_name": tr(request, "Team average")}
    return render(request, "process_health/phi.html", {
        "rows": rows, "team": team, "chart": chart, "available": available,
        "period": answer.get("period", period), "computed_at": answer.get("computed_at"),
    })


@router.get("/indexes/phi/evidence", response_class=HTMLResponse, include_in_schema=False)
async def phi_evidence(
    request: Request, s: Signed, gw: Gateway,
    rep_id: Annotated[str, Query(max_length=64)] = "",
    indicator: Annotated[str, Query(max_length=20)] = "key_actions",
    period: Annotated[str, Query(max_length=7)] = "",
) -> HTMLResponse:
    indicator = indicator if indicator in INDICATORS else "key_actions"
    period = period_of(period)
    answer, available = await optional(gw.get("/v1/indexes/phi", params={"period": period}))
    row = next((r for r in (answer or {}).get("reps", []) if r.get("rep_id") == rep_id), None)
    if row is None and answer and answer.get("reps"):
        row = answer["reps"][0]
    found = next((i for i in (row or {}).get("indicators", []) if i.get("name") == indicator), None)
    return render(request, "process_health/evidence.html", {
        "row": row, "indicator": indicator, "found": found, "value": shown(found or {}),
        "threshold": (ratio if indicator == "collaboration" else pct)((found or {}).get("threshold_bp")),
        "available": available and row is not None, "period": (answer or {}).get("period", period),
        "indicators": INDICATORS,
    })
