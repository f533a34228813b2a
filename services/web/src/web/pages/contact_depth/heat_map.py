"""The follow-up heat map: customers by days since their last contact × value tier, and a cell's customers."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from web.pages.board import reps_of
from web.pages.contact_depth.cdi import PAGE_SIZE, names_of
from web.pages.signals.common import Gateway, Signed, optional
from web.templating import render, tr

router = APIRouter()

BUCKETS = ("0-7", "8-30", "31-90", "90+")


def heat_rows(rows: list[dict[str, Any]], owner_id: str) -> list[dict[str, Any]]:
    """Each tier's cells in bucket order, each with its drill-down link, and the tier's untouched share in %."""
    out = []
    for r in rows:
        counts = {c.get("bucket"): c.get("customers") or 0 for c in r.get("cells", [])}
        cells = [{"bucket": b, "customers": counts.get(b, 0), "href": "/indexes/follow-up-heat-map/customers?"
                  + urlencode({"tier": r.get("tier", ""), "bucket": b, "owner_id": owner_id})} for b in BUCKETS]
        out.append({"tier": r.get("tier", ""), "cells": cells, "total": r.get("total") or 0,
                    "untouched_percent": round(float(r.get("untouched_share") or 0) * 100, 1)})
    return out


@router.get("/indexes/follow-up-heat-map", response_class=HTMLResponse, include_in_schema=False)
async def follow_up_heat_map(
    request: Request, s: Signed, gw: Gateway, owner_id: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    owner_id = owner_id.strip()
    (answer, available), reps = await asyncio.gather(
        optional(gw.get("/v1/indexes/follow-up-heat-map", params={"owner_id": owner_id})), reps_of(gw))
    rows = heat_rows((answer or {}).get("rows", []), owner_id)
    total = heat_rows([(answer or {}).get("total") or {}], owner_id)[0] if answer else None
    # ECharts heatmap points: [bucket index, tier index, customers].
    chart = {"buckets": list(BUCKETS), "tiers": [r["tier"] for r in rows],
             "points": [[x, y, c["customers"]] for y, r in enumerate(rows) for x, c in enumerate(r["cells"])],
             "links": [[c["href"] for c in r["cells"]] for r in rows],
             "max": max([c["customers"] for r in rows for c in r["cells"]] or [0]),
             "x_axis": tr(request, "Days since last contact"), "y_axis": tr(request, "Value tier")}
    return render(request, "contact_depth/heat_map.html", {
        "rows": rows, "total": total, "chart": chart, "available": available, "owner_id": owner_id,
        "reps": reps, "buckets": BUCKETS, "as_of": (answer or {}).get("as_of", ""),
    })


@router.get("/indexes/follow-up-heat-map/customers", response_class=HTMLResponse, include_in_schema=False)
async def heat_map_customers(
    request: Request, s: Signed, gw: Gateway,
    bucket: Annotated[str, Query(max_length=5)] = "90+",
    tier: Annotated[str, Query(max_length=10)] = "",
    owner_id: Annotated[str, Query(max_length=64)] = "",
    page: Annotated[int, Query(ge=1, le=200)] = 1,
) -> HTMLResponse:
    bucket = bucket if bucket in BUCKETS else "90+"
    params = {"bucket": bucket, "tier": tier, "owner_id": owner_id.strip()}
    (answer, available), reps = await asyncio.gather(
        optional(gw.get("/v1/indexes/follow-up-heat-map/customers",
                        params=params | {"page": page, "page_size": PAGE_SIZE})), reps_of(gw))
    names = names_of(reps)
    items = [i | {"owner_name": names.get(i.get("owner_id", ""), i.get("owner_id", ""))}
             for i in (answer or {}).get("items", [])]
    total = (answer or {}).get("total") or 0
    return render(request, "contact_depth/heat_cell.html", {
        "items": items, "total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE)),
        "bucket": bucket, "tier": tier, "owner_id": owner_id, "available": available, "query": urlencode(params),
    })
