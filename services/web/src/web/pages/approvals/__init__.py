"""The approval inbox: an approver's tasks, most urgent first, with the
working time left; the request's page (facts, tasks, timeline and the
actions: approve, reject, send back, 加签, 转交, 委派, confirm); the
requests I made; and the bottleneck report as a chart and a table.
The request's page also offers what may be done to the request itself:
recall (撤回), remind (催办) and resubmit for its requester, 抄送 for the
requester and its approvers, a comment for every reader, and 减签 to the
holder of a task whose step has added signers still to answer.
Every rule (who may act, which user may be added, what is already decided)
is the gateway's: its refusals are shown next to the field they name."""

from fastapi import APIRouter

from web.pages.approvals import bottlenecks, inbox, request_page

router = APIRouter()
for area in (inbox, bottlenecks, request_page):
    router.include_router(area.router)
