"""The CDI pages: groups (bars and a table), a group's customers, one customer's factors with evidence."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from web.pages.board import reps_of
from web.pages.signals.common import Gateway, Signed, optional
from web.templating import render, tr

router = APIRouter()

GROUPS = ("rep", "region", "tier")
SORTS = ("cdi", "-cdi", "name")
PAGE_SIZE = 50
FACTORS = ("coverage", "needs", "closure")


def names_of(reps: list[dict[str, Any]]) -> dict[str, str]:
    return {r.get("rep_id", ""): r.get("name") or r.get("rep_id", "") for r in reps}


def group_rows(items: list[dict[str, Any]], group_by: str, names: dict[str, str]) -> list[dict[str, Any]]:
    """Each group with its label (a rep's name), its share of red customers and its drill-down link."""
    rows = []
    for g in items:
        key, count = g.get("key", ""), g.get("customers") or 0
        rows.append({
            "key": key, "label": names.get(key, key) if group_by == "rep" else key or "—",
            "average": g.get("average_cdi") or 0.0, "customers": count, "red": g.get("red") or 0,
            "red_percent": round((g.get("red") or 0) / count * 100, 1) if count else 0.0,
            "href": "/indexes/cdi/customers?" + urlencode({"group_by": group_by, "key": key}),
        })
    return rows


def percent(factor: dict[str, Any] | None) -> float | None:
    """A factor's value in %, None when it does not apply (nothing to measure)."""
    if not factor or not factor.get("applicable"):
        return None
    return round(float(factor.get("value") or 0) * 100, 1)


@router.get("/indexes/cdi", response_class=HTMLResponse, include_in_schema=False)
async def cdi_groups(
    request: Request, s: Signed, gw: Gateway, group_by: Annotated[str, Query(max_length=10)] = "rep",
) -> HTMLResponse:
    group_by = group_by if group_by in GROUPS else "rep"
    (answer, available), reps = await asyncio.gather(
        optional(gw.get("/v1/indexes/cdi", params={"group_by": group_by})), reps_of(gw))
    rows = group_rows((answer or {}).get("items", []), group_by, names_of(reps))
    chart = {"labels": [r["label"] for r in rows], "values": [r["average"] for r in rows],
             "links": [r["href"] for r in rows], "axis": tr(request, "Average CDI")}
    return render(request, "contact_depth/cdi.html", {
        "rows": rows, "chart": chart, "group_by": group_by, "groups": GROUPS, "available": available,
    })


@router.get("/indexes/cdi/customers", response_class=HTMLResponse, include_in_schema=False)
async def cdi_customers(
    request: Request, s: Signed, gw: Gateway,
    group_by: Annotated[str, Query(max_length=10)] = "",
    key: Annotated[str, Query(max_length=64)] = "",
    red_only: bool = False,
    sort: Annotated[str, Query(max_length=5)] = "cdi",
    page: Annotated[int, Query(ge=1, le=200)] = 1,
) -> HTMLResponse:
    group_by = group_by if group_by in GROUPS else ""
    sort = sort if sort in SORTS else "cdi"
    params: dict[str, Any] = {"group_by": group_by, "key": key if group_by else "", "sort": sort,
                              "page": page, "page_size": PAGE_SIZE, "red_only": str(red_only).lower()}
    (answer, available), reps = await asyncio.gather(
        optional(gw.get("/v1/indexes/cdi/customers", params=params)), reps_of(gw))
    names = names_of(reps)
    items = [i | {"owner_name": names.get(i.get("owner_id", ""), i.get("owner_id", "")),
                  **{f: percent(i.get(f)) for f in FACTORS}} for i in (answer or {}).get("items", [])]
    total = (answer or {}).get("total") or 0
    base = {k: v for k, v in params.items() if k not in ("page", "page_size")}
    return render(request, "contact_depth/customers.html", {
        "items": items, "total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE)),
        "group_by": group_by, "key": key, "label": names.get(key, key) if group_by == "rep" else key,
        "red_only": red_only, "sort": sort, "available": available, "query": urlencode(base),
    })


@router.get("/customers/{customer_id}/cdi", response_class=HTMLResponse, include_in_schema=False)
async def customer_cdi(
    request: Request, s: Signed, gw: Gateway, customer_id: Annotated[str, Path(max_length=64)],
) -> HTMLResponse:
    found, available = await optional(gw.get(f"/v1/customers/{quote(customer_id, safe='')}/cdi"))
    factors = [{"name": f, **({} if found is None else {"percent": percent(found.get(f))})} for f in FACTORS]
    return render(request, "contact_depth/customer.html", {
        "cdi": found, "factors": factors, "available": available, "customer_id": customer_id,
    }, status_code=200 if available else 404)
