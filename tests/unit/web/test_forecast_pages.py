"""The forecast pages with a fake gateway: the forecast by region as bars and a table with the totals,
the region × product line matrix; the calibration report with its three scores and the reliability
curves (the diagonal drawn by the chart); a manager may train it, a rep may not see the button."""

from __future__ import annotations

import json
import re

CELL = {
    "count": 2,
    "amount": {"amount_minor": 3_000_000, "currency": "CNY"},
    "expected": {"amount_minor": 1_234_500, "currency": "CNY"},
    "commit": {"amount_minor": 1_000_000, "currency": "CNY"},
    "best_case": {"amount_minor": 0, "currency": "CNY"},
    "pipeline": {"amount_minor": 2_000_000, "currency": "CNY"},
}


def _chart(html: str, element: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{element}">(.*?)</script>', html, re.DOTALL)
    assert found, html
    return json.loads(found.group(1))


async def test_the_forecast_by_region_and_the_matrix(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/reps", {"reps": []})
    fake_gateway.on(
        "GET", "/v1/forecast", {"group_by": "region", "cells": [CELL | {"key": ["浙江"]}], "totals": [CELL]}
    )
    fake_gateway.on(
        "GET",
        "/v1/forecast/matrix",
        {
            "regions": ["浙江"],
            "product_lines": ["注塑机"],
            "cells": [CELL | {"key": ["浙江", "注塑机"]}],
            "totals": [CELL],
        },
    )
    text = (await console("wangqiang").get("/forecast?group_by=region")).text
    chart = _chart(text, "forecast-data")
    assert chart["labels"] == ["浙江"] and chart["series"][0]["values"] == [12345.0]
    assert [s["values"] for s in chart["series"][1:]] == [[10000.0], [0.0], [20000.0]]
    assert _chart(text, "forecast-matrix-data")["points"] == [[0, 0, 12345.0]]
    assert "各区域、各产品线的预计收入分布" in text and "预计收入" in text


async def test_the_calibration_report_shows_three_scores_and_curves(console, fake_gateway) -> None:
    curve = [
        {"mean_predicted": 0.2, "fraction_won": 0.25, "count": 10},
        {"mean_predicted": 0.7, "fraction_won": 0.6, "count": 5},
    ]
    fake_gateway.on(
        "GET",
        "/v1/forecast/model",
        {
            "model_version": 3,
            "method": "isotonic",
            "trained_at": "2026-12-01T18:00:00Z",
            "holdout_opportunities": 20,
            "holdout_rows": 45,
            "scores": [
                {"predictor": p, "brier": b, "log_loss": ll, "curve": curve}
                for p, b, ll in (("calibrated", 0.18, 0.55), ("uncalibrated", 0.21, 0.7), ("stage_default", 0.3, 0.9))
            ],
        },
    )
    manager = (await console("wangqiang").get("/forecast/model")).text
    assert "0.1800" in manager and "0.2100" in manager and "0.3000" in manager and "朴素贝叶斯（未校准）" in manager
    assert [s["points"] for s in _chart(manager, "reliability-data")["series"]] == [[[0.2, 0.25], [0.7, 0.6]]] * 3
    assert 'action="/forecast/model/train"' in manager
    assert 'action="/forecast/model/train"' not in (await console("zhangwei").get("/forecast/model")).text
