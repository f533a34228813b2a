"""The KPI bars (each rep against the team average, seed 000) and a rep's monthly 销售能力画像."""

from __future__ import annotations

import asyncio
import calendar
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from web.pages.board import reps_of
from web.pages.process_health.common import names_of, pct, period_of
from web.pages.signals.common import Gateway, Signed, optional
from web.templating import render, tr

router = APIRouter()
MEASURES = ("sales", "collection_rate", "visit_rate", "effective_call")


def month_bounds(period: str) -> tuple[str, str]:
    first = date.fromisoformat(f"{period}-01")
    return first.isoformat(), first.replace(day=calendar.monthrange(first.year, first.month)[1]).isoformat()


def rate(expected: int, actual: int) -> float | None:
    """回款率 in percent with one decimal; None when nothing fell due."""
    return round(actual * 100 / expected, 1) if expected > 0 else None


async def collections(gw: Any, period: str) -> dict[str, tuple[int, int]]:
    """Finance's expected and collected CNY per rep in the month (its collection report by owner, within what
    the caller may see there: a rep their own, a manager the team's); {} when finance is not for this role."""
    start, end = month_bounds(period)
    answer, _ = await optional(gw.get("/v1/finance/collection-report", params={
        "from": start, "to": end, "group_by": "owner", "period": "month"}), part=True)
    out: dict[str, tuple[int, int]] = {}
    for r in (answer or {}).get("rows", []):
        expected, actual = r.get("expected") or {}, r.get("actual") or {}
        if (expected.get("currency") or actual.get("currency") or "CNY") != "CNY":
            continue
        e, a = out.get(r.get("key", ""), (0, 0))
        out[r.get("key", "")] = (e + int(expected.get("amount_minor", 0)), a + int(actual.get("amount_minor", 0)))
    return out


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
    # 回款率 is finance's figure (collected ÷ due in the month, CNY), placed beside the rest per rep. The team's
    # is over the reps shown; a rep sees only their own in finance's report, so their team figure stays empty.
    collected = await collections(gw, answer.get("period") or period) if rows and answer.get("period") else {}
    for r in rows:
        r["collection_rate"] = rate(*collected.get(r["rep_id"], (0, 0)))
    shown = [collected[r["rep_id"]] for r in rows if r["rep_id"] in collected]
    team["collection_rate"] = (
        rate(sum(e for e, _ in shown), sum(a for _, a in shown)) if s.role != "rep" and shown else None
    )
    stages = sorted({st for r in [*rows, team] for st in r["stage_days"]})
    labels = {"sales": tr(request, "Sales (元)"), "collection_rate": tr(request, "Collection rate (%)"),
              "visit_rate": tr(request, "Visit target met (%)"),
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
