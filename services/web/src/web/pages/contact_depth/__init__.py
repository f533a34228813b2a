"""The contact depth pages: the CDI (客户接触深度指数) by rep, region or customer
tier as bars with a click-through to a group's customers and one customer's
factors with their evidence; the follow-up heat map (days since last contact ×
value tier) with a cell's customers. Every number is the gateway's."""

from fastapi import APIRouter

from web.pages.contact_depth import cdi, heat_map

router = APIRouter()
for area in (cdi, heat_map):
    router.include_router(area.router)
