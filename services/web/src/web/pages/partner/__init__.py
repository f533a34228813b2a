"""The partner portal (经销商门户): a distributor's own registrations (报备)
with what the conflict check answered and the protection window, its
promotion applications with their material, and its rebate progress.

Everything shown comes from the gateway's /v1/partner/… routes, which answer
the caller's organisation only; the pages add no rule of their own. What the
console does check is the form's shape: an amount typed in 元 becomes integer
分 from its decimal text (never through a float), so "1e3" or "12.345" is
answered next to the field and nothing is sent."""

from fastapi import APIRouter

from web.pages.partner import clashes, promotions, rebates, registrations

router = APIRouter()
for area in (registrations, promotions, rebates, clashes):
    router.include_router(area.router)
