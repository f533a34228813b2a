"""The high-intent list and its report: high intent → signed, each rep beside their team."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from web.gateway import GatewayProblem
from web.i18n import SHANGHAI
from web.pages.board import reps_of
from web.pages.signals.common import Gateway, Signed, optional, passes
from web.templating import render, tr

router = APIRouter()

HIGH_INTENT_STATES = ("open", "all")
REPORT_ROLES = {"manager", "admin"}  # the conversion report is offered to these (the gateway decides)


@router.get("/signals/high-intent", response_class=HTMLResponse, include_in_schema=False)
async def high_intent(
    request: Request, s: Signed, gw: Gateway,
    state: Annotated[str, Query(max_length=10)] = "open",
    owner_id: Annotated[str, Query(max_length=64)] = "",
    team: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    state = state if state in HIGH_INTENT_STATES else "open"
    answer, available = await optional(gw.get("/v1/high-intents", params={
        "state": state, "owner_id": owner_id.strip(), "team": team.strip(),
    }))
    items = [i | {"signal_names": signal_names(i.get("signals"))} for i in (answer or {}).get("items", [])]
    return render(request, "signals/high_intent.html", {
        "items": items, "available": available, "state": state, "owner_id": owner_id, "team": team,
        "may_report": s.role in REPORT_ROLES,
    })


def signal_names(signals: Any) -> list[str]:
    """The signals of an episode as names (the gateway may list names or {name, ...} objects)."""
    out = []
    for sig in signals or []:
        name = sig.get("name", "") if isinstance(sig, dict) else str(sig)
        if name:
            out.append(name)
    return out


# --- high intent → won, per rep beside their team ----------------------------------------------------------


def _day(value: str) -> date | None:
    """A date typed into the report's filter; empty or malformed is no bound."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _percent(rate: Any) -> float:
    return round(float(rate or 0) * 100, 1)


def conversion_rows(reps: list[dict[str, Any]], teams: list[dict[str, Any]],
                    profiles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each rep's row beside their team's (the gateway's team is the rep's manager, as the rep profile says)."""
    profile = {p.get("rep_id"): p for p in profiles}
    team_of = {t.get("key", ""): t for t in teams}
    label = {p.get("manager_id"): p.get("team") for p in profiles if p.get("manager_id") and p.get("team")}
    rows = []
    for r in reps:
        p = profile.get(r.get("key"), {})
        manager = p.get("manager_id", "")
        team = team_of.get(manager) if manager else None
        rows.append({
            "rep_id": r.get("key", ""), "name": p.get("name") or r.get("key", ""), "entered": r.get("entered", 0),
            "won": r.get("won", 0), "percent": _percent(r.get("rate")), "team_key": manager,
            "team": label.get(manager) or manager, "team_percent": _percent(team.get("rate")) if team else None,
        })
    return sorted(rows, key=lambda row: (row["team"], -row["percent"], row["name"]))


@router.get("/signals/conversion", response_class=HTMLResponse, include_in_schema=False)
async def conversion(
    request: Request, s: Signed, gw: Gateway,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> HTMLResponse:
    from_day, to_day = _day(start), _day(end)
    # Whole Shanghai days, the last one included: [from 00:00, to+1 00:00).
    period = {k: datetime.combine(d, time(), SHANGHAI).isoformat() for k, d in (
        ("from", from_day), ("to", to_day + timedelta(days=1) if to_day else None)) if d}
    problem = None
    try:
        (by_rep, available), (by_team, _), profiles = await asyncio.gather(
            optional(gw.get("/v1/reports/intent-conversion", params=period | {"group_by": "rep"})),
            optional(gw.get("/v1/reports/intent-conversion", params=period | {"group_by": "team"})),
            reps_of(gw))
    except GatewayProblem as exc:
        if not passes(exc):
            raise
        problem, by_rep, by_team, profiles, available = exc, None, None, [], True
    rows = conversion_rows((by_rep or {}).get("items", []), (by_team or {}).get("items", []), profiles)
    total = (by_rep or {}).get("total") or {}
    chart = {"labels": [r["name"] for r in rows], "rep": [r["percent"] for r in rows],
             "team": [r["team_percent"] for r in rows],
             "series": [tr(request, "The rep"), tr(request, "Their team")], "axis": tr(request, "Signed (%)")}
    return render(request, "signals/conversion.html", {
        "rows": rows, "total": total | {"percent": _percent(total.get("rate"))}, "chart": chart,
        "available": available, "problem": problem, "from_day": from_day.isoformat() if from_day else "",
        "to_day": to_day.isoformat() if to_day else "",
    }, status_code=problem.status if problem else 200)
