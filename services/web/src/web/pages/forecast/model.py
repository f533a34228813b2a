"""The win model's calibration report: the three predictors' Brier score and log loss on the held-out
part, their reliability curves against the diagonal, and the manager's button to train it now."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.gateway import GatewayProblem
from web.pages.signals.common import Gateway, Signed, optional, passes
from web.templating import render, tr

router = APIRouter()

PREDICTORS = (("calibrated", "Calibrated model"), ("uncalibrated", "Naive Bayes (uncalibrated)"),
              ("stage_default", "Stage default"))


def view(request: Request, report: dict[str, Any] | None) -> dict[str, Any]:
    scores = {p.get("predictor"): p for p in (report or {}).get("scores", [])}
    rows = [{"name": key, "label": tr(request, label), "brier": scores[key].get("brier", 0.0),
             "log_loss": scores[key].get("log_loss", 0.0), "curve": scores[key].get("curve", [])}
            for key, label in PREDICTORS if key in scores]
    chart = {
        "series": [{"name": r["label"], "points": [[b.get("mean_predicted", 0), b.get("fraction_won", 0)]
                                                    for b in r["curve"]]} for r in rows],
        "diagonal": tr(request, "Perfectly calibrated"),
        "x_axis": tr(request, "Mean predicted probability"), "y_axis": tr(request, "Share won"),
    }
    return {"report": report or {}, "rows": rows, "chart": chart, "trained": bool((report or {}).get("model_version"))}


@router.get("/forecast/model", response_class=HTMLResponse, include_in_schema=False)
async def model_page(request: Request, s: Signed, gw: Gateway) -> HTMLResponse:
    report, available = await optional(gw.get("/v1/forecast/model"))
    return render(request, "forecast/model.html", view(request, report) | {"available": available})


@router.post("/forecast/model/train", response_class=HTMLResponse, include_in_schema=False)
async def train(request: Request, s: Signed, gw: Gateway) -> HTMLResponse:
    try:
        report = await gw.post("/v1/forecast/model/train")
    except GatewayProblem as exc:
        if not passes(exc):
            raise
        current, available = await optional(gw.get("/v1/forecast/model"))
        return render(request, "forecast/model.html", view(request, current) | {"available": available, "problem": exc},
                      status_code=exc.status)
    return render(request, "forecast/model.html", view(request, report) | {"available": True, "just_trained": True})
