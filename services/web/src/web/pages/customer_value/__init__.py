"""The customer value pages: the value tiers (战略/重点/普通, seed 002) as a chart
with the customers of a tier, the customer health alerts (seed 001), the tier
formula's settings form, and the tier + health section of a customer's page.
Every number is the gateway's."""

from fastapi import APIRouter

from web.pages.customer_value import customer, settings, tiers

router = APIRouter()
for area in (tiers, settings, customer):
    router.include_router(area.router)
