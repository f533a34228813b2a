"""Expected revenue (Σ amount × effective probability) and the commit / best case / pipeline amounts,
grouped by region, product line, rep or month, and the region × product line matrix."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from web.pages.board import reps_of
from web.pages.signals.common import Gateway, Signed, optional
from web.templating import render, tr

router = APIRouter()

GROUPS = ("region", "product_line", "rep", "month")
CATEGORIES = ("commit", "best_case", "pipeline")


def minor(money: dict[str, Any] | None) -> int:
    return int((money or {}).get("amount_minor") or 0)


def rows_of(cells: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"label": names.get(k, k) or "—", "currency": c.get("amount", {}).get("currency", "CNY"),
         "count": c.get("count") or 0, "amount": minor(c.get("amount")), "expected": minor(c.get("expected")),
         **{cat: minor(c.get(cat)) for cat in CATEGORIES}}
        for c in cells for k in [(c.get("key") or [""])[0]]
    ]


@router.get("/forecast", response_class=HTMLResponse, include_in_schema=False)
async def forecast_page(
    request: Request, s: Signed, gw: Gateway, group_by: Annotated[str, Query(max_length=20)] = "region",
) -> HTMLResponse:
    group_by = group_by if group_by in GROUPS else "region"
    (grouped, available), (matrix, _), reps = await asyncio.gather(
        optional(gw.get("/v1/forecast", params={"group_by": group_by})),
        optional(gw.get("/v1/forecast/matrix")),
        reps_of(gw),
    )
    names = {r.get("rep_id", ""): r.get("name") or r.get("rep_id", "") for r in reps} if group_by == "rep" else {}
    rows = rows_of((grouped or {}).get("cells", []), names)
    totals = rows_of((grouped or {}).get("totals", []), {})
    if group_by == "month":
        rows.sort(key=lambda r: r["label"])
    cny = [r for r in rows if r["currency"] == "CNY"]
    chart = {
        "labels": [r["label"] for r in cny],
        "series": [{"name": tr(request, "Expected revenue"), "values": [r["expected"] / 100 for r in cny], "stack": ""}]
        + [{"name": tr(request, label), "values": [r[cat] / 100 for r in cny], "stack": "amount"}
           for cat, label in (("commit", "Commit"), ("best_case", "Best case"), ("pipeline", "Early pipeline"))],
        "axis": "元",
    }
    m = matrix or {}
    regions, lines = m.get("regions", []), m.get("product_lines", [])
    points = [[lines.index(c["key"][1]), regions.index(c["key"][0]), minor(c.get("expected")) / 100]
              for c in m.get("cells", []) if c.get("amount", {}).get("currency", "CNY") == "CNY"
              and len(c.get("key", [])) == 2 and c["key"][0] in regions and c["key"][1] in lines]
    heat = {"regions": [r or "—" for r in regions], "lines": [p or "—" for p in lines], "points": points,
            "max": max([p[2] for p in points], default=0), "x_axis": tr(request, "Product line"),
            "y_axis": tr(request, "Region")}
    return render(request, "forecast/revenue.html", {
        "rows": rows, "totals": totals, "chart": chart, "heat": heat, "group_by": group_by, "groups": GROUPS,
        "available": available, "matrix_rows": rows_of_matrix(m),
    })


def rows_of_matrix(m: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"region": (c.get("key") or ["", ""])[0] or "—", "product_line": (c.get("key") or ["", ""])[-1] or "—",
             "currency": c.get("amount", {}).get("currency", "CNY"), "count": c.get("count") or 0,
             "amount": minor(c.get("amount")), "expected": minor(c.get("expected"))} for c in m.get("cells", [])]
