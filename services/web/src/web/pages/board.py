"""The pipeline board: a chosen pipeline's open opportunities in columns by
stage (each column paged by the gateway), filtered by rep, team, region and
product line; a card moves by drag and drop (static/board.js) or by its own
"move to stage" form. Whether a move is allowed is the gateway's to say: a
refusal lists every unmet gate requirement and the card stays where it was."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.session import Session, session
from web.templating import is_htmx, render

router = APIRouter()

# Cards per column and page: a column shows its first ones, "more" asks the gateway for the next page.
CARDS_PER_COLUMN = 20
FILTERS = ("owner_id", "team", "region", "product_line")


@dataclass(frozen=True)
class Filters:
    """What the board (and the dashboard) is narrowed to; passed to the gateway as they are."""

    owner_id: str = ""
    team: str = ""
    region: str = ""
    product_line: str = ""

    def params(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name)}

    @classmethod
    def of(cls, values: dict[str, str]) -> Filters:
        return cls(**{name: str(values.get(name, "")).strip()[:200] for name in FILTERS})


def filters_query(
    owner_id: Annotated[str, Query(max_length=64)] = "",
    team: Annotated[str, Query(max_length=100)] = "",
    region: Annotated[str, Query(max_length=100)] = "",
    product_line: Annotated[str, Query(max_length=200)] = "",
) -> Filters:
    return Filters.of({"owner_id": owner_id, "team": team, "region": region, "product_line": product_line})


def board_query(pipeline_id: str, f: Filters) -> str:
    """The board's own address query (kept by the move forms so the answer shows the same board)."""
    return urlencode({"pipeline_id": pipeline_id, **f.params()})


async def choose_pipeline(gw: GatewayClient, pipeline_id: str) -> tuple[list[dict], dict | None]:
    pipelines = (await gw.get("/v1/pipelines")).get("pipelines") or []
    chosen = next((p for p in pipelines if p["pipeline_id"] == pipeline_id), None)
    if chosen is None and not pipeline_id and pipelines:
        chosen = pipelines[0]
    if chosen is None and pipeline_id:
        raise GatewayProblem(status=404, title="Not found", detail=f"pipeline {pipeline_id} not found")
    return pipelines, chosen


async def reps_of(gw: GatewayClient) -> list[dict]:
    """Rep profiles the user may see (a manager's team, a rep's own), for the filters and owner names."""
    try:
        return (await gw.get("/v1/reps")).get("reps") or []
    except GatewayProblem as exc:
        if exc.status == 401 or exc.status >= 500:
            raise
        return []


def filter_choices(reps: list[dict], pipelines: list[dict]) -> dict[str, list[str]]:
    def distinct(values: Any) -> list[str]:
        return sorted({v for v in values if v})

    return {
        "teams": distinct(r.get("team") for r in reps),
        "regions": distinct(r.get("region") for r in reps),
        "product_lines": distinct(p.get("product_line") for p in pipelines),
    }


def totals_by_stage(board: dict) -> dict[str, dict]:
    return {c["stage"]: c for c in board.get("columns") or []}


def days_in_stage(opportunity: dict, now: datetime | None = None) -> int | None:
    entered = opportunity.get("stage_entered_at")
    if not entered:
        return None
    try:
        at = datetime.fromisoformat(str(entered))
    except ValueError:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return max(0, ((now or datetime.now(UTC)) - at).days)


async def high_intent_ids(gw: GatewayClient) -> set[str]:
    """Open opportunities in a high-intent episode (the card's 高意向 marker); none when the gateway has no list."""
    try:
        answer = await gw.get("/v1/high-intents", params={"state": "open"})
    except GatewayProblem as exc:
        if exc.status in (403, 404):
            return set()
        raise
    return {i["opportunity_id"] for i in (answer or {}).get("items") or [] if i.get("opportunity_id")}


def card(opportunity: dict, names: dict[str, str], hot: set[str] | frozenset[str] = frozenset()) -> dict:
    amount = opportunity.get("amount") or {}
    return {
        "id": opportunity["opportunity_id"],
        "name": opportunity.get("name", ""),
        "customer": opportunity.get("customer_name", ""),
        "customer_id": opportunity.get("customer_id", ""),
        "stage": opportunity.get("stage", ""),
        "amount": amount.get("amount_minor"),
        "currency": amount.get("currency") or "CNY",
        "days": days_in_stage(opportunity),
        "owner": names.get(opportunity.get("owner_id", ""), opportunity.get("owner_id", "")),
        "red": bool(opportunity.get("red")),
        "probability": opportunity.get("probability"),
        "high_intent": bool(opportunity.get("high_intent")) or opportunity["opportunity_id"] in hot,
    }


async def column_page(
    gw: GatewayClient, pipeline_id: str, stage: str, f: Filters, page_token: str = ""
) -> dict:
    return await gw.get("/v1/opportunities", params={
        "pipeline_id": pipeline_id, "stage": stage, "status": "open", **f.params(),
        "page_size": CARDS_PER_COLUMN, "page_token": page_token,
    })


async def board_context(gw: GatewayClient, pipeline_id: str, f: Filters) -> dict[str, Any]:
    (pipelines, chosen), reps = await asyncio.gather(choose_pipeline(gw, pipeline_id), reps_of(gw))
    ctx: dict[str, Any] = {
        "pipelines": pipelines, "pipeline": chosen, "filters": f, "reps": reps,
        "choices": filter_choices(reps, pipelines), "columns": [], "board": {},
    }
    if chosen is None:
        return ctx
    pid = chosen["pipeline_id"]
    stages = [s["name"] for s in chosen.get("stages") or []]
    board, hot, *pages = await asyncio.gather(
        gw.get("/v1/board", params={"pipeline_id": pid, **f.params()}),
        high_intent_ids(gw),
        *(column_page(gw, pid, stage, f) for stage in stages),
    )
    names = {r["rep_id"]: r.get("name") or r["rep_id"] for r in reps}
    totals = totals_by_stage(board)
    ctx["board"] = board
    ctx["query"] = board_query(pid, f)
    ctx["stages"] = stages
    ctx["columns"] = [
        {
            "index": i, "stage": stage, "totals": totals.get(stage, {}),
            "cards": [card(o, names, hot) for o in page.get("opportunities") or []],
            "next": page.get("next_page_token", ""),
        }
        for i, (stage, page) in enumerate(zip(stages, pages, strict=True))
    ]
    return ctx


@router.get("/board", response_class=HTMLResponse, include_in_schema=False)
async def board_page(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    f: Annotated[Filters, Depends(filters_query)],
    pipeline_id: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    return render(request, "board/board.html", await board_context(gw, pipeline_id, f))


@router.get("/board/cards", response_class=HTMLResponse, include_in_schema=False)
async def more_cards(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    f: Annotated[Filters, Depends(filters_query)],
    pipeline_id: Annotated[str, Query(min_length=1, max_length=64)],
    stage: Annotated[str, Query(min_length=1, max_length=50)],
    index: Annotated[int, Query(ge=0, le=100)] = 0,
    page_token: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    """The next page of one column's cards (htmx appends them in place of the "more" button)."""
    (_, chosen), page, reps, hot = await asyncio.gather(
        choose_pipeline(gw, pipeline_id), column_page(gw, pipeline_id, stage, f, page_token), reps_of(gw),
        high_intent_ids(gw),
    )
    names = {r["rep_id"]: r.get("name") or r["rep_id"] for r in reps}
    column = {"index": index, "stage": stage, "next": page.get("next_page_token", ""),
              "cards": [card(o, names, hot) for o in page.get("opportunities") or []]}
    return render(request, "board/_cards.html", {
        "column": column, "pipeline": chosen, "stages": [st["name"] for st in (chosen or {}).get("stages") or []],
        "query": board_query(pipeline_id, f), "filters": f,
    })


@router.post("/board/move", include_in_schema=False)
async def move(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    opportunity_id: Annotated[str, Form(min_length=1, max_length=64)],
    stage: Annotated[str, Form(min_length=1, max_length=50)],
    from_stage: Annotated[str, Form(max_length=50)] = "",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Asks the gateway to move the opportunity. For the board's script (an htmx-style request) the answer
    is the card re-rendered for its new column with the totals, or (409) the panel of unmet requirements;
    for a plain form, the board again."""
    kept = dict(parse_qsl(back))
    pipeline_id = kept.get("pipeline_id", "")[:64]
    f = Filters.of(kept)
    try:
        moved = await gw.post(f"/v1/opportunities/{opportunity_id}/stage", json={"stage": stage})
    except GatewayProblem as exc:
        if exc.status == 401 or exc.status >= 500:
            raise
        refusal = {"problem": exc, "from_stage": from_stage, "to_stage": stage}
        if is_htmx(request):
            return render(request, "board/_refused.html", refusal, status_code=exc.status)
        ctx = await board_context(gw, pipeline_id, f)
        return render(request, "board/board.html", ctx | {"refusal": refusal}, status_code=exc.status)
    if not is_htmx(request):
        return RedirectResponse(f"/board?{board_query(pipeline_id, f)}", status_code=303)
    opportunity = moved.get("opportunity") or {}
    pid = opportunity.get("pipeline_id") or pipeline_id
    (_, chosen), board, reps = await asyncio.gather(
        choose_pipeline(gw, pid), gw.get("/v1/board", params={"pipeline_id": pid, **f.params()}), reps_of(gw)
    )
    names = {r["rep_id"]: r.get("name") or r["rep_id"] for r in reps}
    stages = [st["name"] for st in (chosen or {}).get("stages") or []]
    totals = totals_by_stage(board)
    return render(request, "board/_moved.html", {
        "card": card(opportunity, names), "stages": stages, "board": board, "query": board_query(pid, f),
        "columns": [{"index": i, "stage": st, "totals": totals.get(st, {})} for i, st in enumerate(stages)],
        "from_stage": from_stage,
    })
