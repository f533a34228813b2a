"""A customer's value tier (score, purchase facts, history) and health (per month: on-time payment rate,
DSO, consultations; trial progress; the alert with the material sent) as a section of its page."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.pages.customer_value.tiers import percent_bp
from web.pages.customers import _fragment, _p
from web.pages.signals.common import Gateway, Signed, optional

router = APIRouter()


def yuan(minor: Any) -> str:
    return f"{int(minor or 0) / 100:,.2f}"


@router.get("/customers/{customer_id}/value-health", response_class=HTMLResponse, include_in_schema=False)
async def value_health(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    base = f"/v1/customers/{_p(customer_id)}"
    (value, available), (health, _) = await asyncio.gather(
        optional(gw.get(f"{base}/value"), part=True), optional(gw.get(f"{base}/health"), part=True)
    )
    facts = (value or {}).get("facts") or {}
    periods = [
        p
        | {
            "rate": percent_bp(p.get("on_time_rate_bp")),
            "dso": "—" if p.get("dso_tenths") is None else f"{int(p['dso_tenths']) / 10:.1f}",
        }
        for p in (health or {}).get("periods", [])
    ]
    alerts = [
        a | {"rates": [percent_bp(r) for r in a.get("on_time_rate_bp") or []]} for a in (health or {}).get("alerts", [])
    ]
    trial = (health or {}).get("trial_progress")
    return _fragment(
        request,
        "customer_value/_customer.html",
        {
            "customer_id": customer_id,
            "available": available,
            "value": value or {},
            "facts": facts,
            "amount_6m": yuan(facts.get("amount_6m_minor")),
            "annual": yuan(facts.get("annual_amount_minor")),
            "history": (value or {}).get("history", [])[:12],
            "periods": periods,
            "alerts": alerts,
            "trial": None if trial is None else round(float(trial) * 100, 1),
        },
    )
