"""The value tiers overview (customers per tier, a chart and a table, and one tier's customers) and the
customer health alerts list."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from web.pages.board import reps_of
from web.pages.contact_depth.cdi import names_of
from web.pages.signals.common import Gateway, Signed, optional
from web.templating import render, tr

router = APIRouter()

TIERS = ("战略", "重点", "普通")
PAGE_SIZE = 50


def percent_bp(bp: Any) -> str:
    return "—" if bp is None else f"{int(bp) / 100:.1f}%"


@router.get("/indexes/value-tiers", response_class=HTMLResponse, include_in_schema=False)
async def value_tiers(
    request: Request,
    s: Signed,
    gw: Gateway,
    tier: Annotated[str, Query(max_length=4)] = "",
    page: Annotated[int, Query(ge=1, le=200)] = 1,
) -> HTMLResponse:
    tier = tier if tier in TIERS else ""
    params = {"tier": tier, "page": page, "page_size": PAGE_SIZE}
    (counts, available), (members, _), reps = await asyncio.gather(
        optional(gw.get("/v1/indexes/value-tiers")),
        optional(gw.get("/v1/indexes/value-tiers/customers", params=params)),
        reps_of(gw),
    )
    rows = [
        {
            "tier": c.get("tier", ""),
            "customers": c.get("customers") or 0,
            "href": "/indexes/value-tiers?" + urlencode({"tier": c.get("tier", "")}),
        }
        for c in (counts or {}).get("counts", [])
    ]
    names = names_of(reps)
    items = [
        m | {"owner_name": names.get(m.get("owner_id", ""), m.get("owner_id", ""))}
        for m in (members or {}).get("customers", [])
    ]
    total = (members or {}).get("total") or 0
    chart = {
        "labels": [r["tier"] for r in rows],
        "values": [r["customers"] for r in rows],
        "links": [r["href"] for r in rows],
        "axis": tr(request, "Customers"),
    }
    return render(
        request,
        "customer_value/tiers.html",
        {
            "rows": rows,
            "chart": chart,
            "available": available,
            "items": items,
            "total": total,
            "tier": tier,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "query": urlencode({"tier": tier}),
        },
    )


@router.get("/indexes/health-alerts", response_class=HTMLResponse, include_in_schema=False)
async def health_alerts(
    request: Request,
    s: Signed,
    gw: Gateway,
    page: Annotated[int, Query(ge=1, le=200)] = 1,
) -> HTMLResponse:
    (answer, available), reps = await asyncio.gather(
        optional(gw.get("/v1/indexes/health-alerts", params={"page": page, "page_size": PAGE_SIZE})), reps_of(gw)
    )
    names = names_of(reps)
    alerts = [
        a
        | {
            "owner_name": names.get(a.get("owner_id", ""), a.get("owner_id", "")),
            "rates": [percent_bp(r) for r in a.get("on_time_rate_bp") or []],
        }
        for a in (answer or {}).get("alerts", [])
    ]
    total = (answer or {}).get("total") or 0
    return render(
        request,
        "customer_value/alerts.html",
        {
            "alerts": alerts,
            "available": available,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
        },
    )
