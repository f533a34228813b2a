"""The dashboard: the board's totals per stage of a pipeline (count, amount,
weighted amount) as a chart and a table, within what the user may see (a
manager: their team's; a rep: their own), with the board's filters."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from web.gateway import GatewayClient, gateway
from web.pages.board import Filters, board_query, choose_pipeline, filter_choices, filters_query, reps_of
from web.session import Session, session
from web.templating import render

router = APIRouter()


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
async def dashboard(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    f: Annotated[Filters, Depends(filters_query)],
    pipeline_id: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    (pipelines, chosen), reps = await asyncio.gather(choose_pipeline(gw, pipeline_id), reps_of(gw))
    board: dict = {}
    rows: list[dict] = []
    if chosen is not None:
        board = await gw.get("/v1/board", params={"pipeline_id": chosen["pipeline_id"], **f.params()})
        rows = [
            {
                "stage": c["stage"],
                "count": c.get("count") or 0,
                "amount": (c.get("amount") or {}).get("amount_minor") or 0,
                "weighted": (c.get("weighted_amount") or {}).get("amount_minor") or 0,
            }
            for c in board.get("columns") or []
        ]
    # The chart's numbers: amounts in 元 (the axis), counts as they are; the table below shows ¥ exactly.
    chart = {
        "stages": [r["stage"] for r in rows],
        "count": [r["count"] for r in rows],
        "amount": [r["amount"] / 100 for r in rows],
        "weighted": [r["weighted"] / 100 for r in rows],
    }
    return render(request, "dashboard/dashboard.html", {
        "pipelines": pipelines, "pipeline": chosen, "filters": f, "reps": reps,
        "choices": filter_choices(reps, pipelines), "board": board, "rows": rows, "chart": chart,
        "query": board_query(chosen["pipeline_id"], f) if chosen else "",
    })
