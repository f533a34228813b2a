"""The process health pages: PHI (过程健康度指数) per rep beside the team average
with a drill-down into each indicator's evidence, the KPI bars (each rep
against the team average) and a rep's monthly 销售能力画像. Every number is
the gateway's."""

from fastapi import APIRouter

from web.pages.process_health import kpi, phi

router = APIRouter()
for area in (phi, kpi):
    router.include_router(area.router)
