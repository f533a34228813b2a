"""The forecast pages (seed 000): expected revenue by region and product line (the region × product line
matrix), by rep and by month, as ECharts with the same numbers in tables; the win model's calibration
report with its reliability curve (calibrated, uncalibrated, stage default against the diagonal) and
the three scores, and a manager's button to train it. Every number is the gateway's."""

from fastapi import APIRouter

from web.pages.forecast import model, revenue

router = APIRouter()
for area in (revenue, model):
    router.include_router(area.router)
