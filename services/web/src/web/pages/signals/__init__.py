"""The signals pages: anomaly flags for managers (with their evidence, and a
dismissal that needs a reason), the high-intent list, the signal settings
(keyword groups and dictionary, stage-hint rules, intent signals written in the
formula language, anomaly thresholds: each saved with the version it read), and
the 企业微信 chat-export import with its per-line report.

Every rule is the gateway's. A gateway without one of these routes yet answers
404: the page (or the settings area) then says it is not available, never an
error page."""

from fastapi import APIRouter

from web.pages.signals import flags, intent, settings, wecom_import

router = APIRouter()
for area in (flags, intent, settings, wecom_import):
    router.include_router(area.router)
