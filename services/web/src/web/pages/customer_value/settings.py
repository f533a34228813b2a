"""The value tier settings form: on/off, the formula over the purchase facts, the thresholds of 战略 and
重点 and the new product lines; saved with the version it read, refused on its field (a formula error
with its line and column)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayProblem
from web.pages.signals.common import Gateway, Signed, optional, passes
from web.templating import render

router = APIRouter()

SPLIT = re.compile(r"[\s,，、;；]+")
EDITORS = {"manager", "admin"}


def _number(text: Any) -> Any:
    t = str(text).strip()
    try:
        return float(t) if t else t
    except ValueError:
        return t


def form_of(data: dict[str, Any]) -> dict[str, Any]:
    thresholds = {t.get("tier"): t.get("min_score") for t in data.get("thresholds") or []}
    return {
        "active": bool(data.get("active")),
        "formula": data.get("formula", ""),
        "strategic": thresholds.get("战略", 80),
        "key": thresholds.get("重点", 50),
        "new_product_lines": "、".join(data.get("new_product_lines") or []),
    }


def _page(request: Request, ctx: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return render(request, "customer_value/settings.html", ctx, status_code=status_code)


@router.get("/indexes/value-tiers/settings", response_class=HTMLResponse, include_in_schema=False)
async def value_tier_settings(request: Request, s: Signed, gw: Gateway) -> HTMLResponse:
    data, available = await optional(gw.get("/v1/indexes/value-tiers/settings"))
    return _page(
        request,
        {
            "available": available,
            "data": data or {},
            "form": form_of(data or {}),
            "editable": s.role in EDITORS,
            "problem": None,
            "saved": request.query_params.get("saved") == "1",
        },
    )


@router.post("/indexes/value-tiers/settings", include_in_schema=False)
async def save_value_tier_settings(request: Request, s: Signed, gw: Gateway) -> Response:
    form = await request.form()
    version = str(form.get("version", "0")).strip()
    typed = {
        "active": form.get("active") == "on",
        "formula": str(form.get("formula", ""))[:2000],
        "strategic": form.get("strategic", ""),
        "key": form.get("key", ""),
        "new_product_lines": str(form.get("new_product_lines", ""))[:4000],
    }
    body = {
        "version": int(version) if version.isdigit() else 0,
        "active": typed["active"],
        "formula": typed["formula"],
        "thresholds": [
            {"tier": "战略", "min_score": _number(typed["strategic"])},
            {"tier": "重点", "min_score": _number(typed["key"])},
        ],
        "new_product_lines": [w for w in SPLIT.split(typed["new_product_lines"].strip()) if w][:50],
    }
    try:
        await gw.put("/v1/indexes/value-tiers/settings", json=body)
    except GatewayProblem as exc:
        if not passes(exc):
            raise
        data, available = await optional(gw.get("/v1/indexes/value-tiers/settings"))
        return _page(
            request,
            {
                "available": available,
                "data": data or {},
                "form": typed,
                "editable": True,
                "problem": exc,
                "saved": False,
            },
            status_code=exc.status,
        )
    return RedirectResponse("/indexes/value-tiers/settings?saved=1", status_code=303)
