"""The bottleneck report over a period: who may read it (a manager: the
requests of their own team and their own; an admin: the tenant's) and the
bounds of the period; the figures are domain/report.py's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from crm_shared.context import Caller
from crm_shared.domain.errors import Validator
from crm_shared.roles import ADMIN, APPROVAL_REPORT_READERS, SYSTEM

from approval.domain.report import DIMENSIONS, Report, report_of
from approval.service_layer.inbox import check_filters
from approval.service_layer.uow import ApprovalUnitOfWork

UowFactory = Callable[[], ApprovalUnitOfWork]
DEFAULT_PERIOD = timedelta(days=30)
MAX_PERIOD = timedelta(days=400)


class ReportHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def bottlenecks(
        self, caller: Caller, *, start: datetime | None, end: datetime | None, kind: str, dimension: str
    ) -> Report:
        caller.require_role(*APPROVAL_REPORT_READERS, SYSTEM)
        check_filters(kind)
        v = Validator()
        if dimension and dimension not in DIMENSIONS:
            v.add("dimension", f"must be one of {', '.join(DIMENSIONS)}")
        async with self.uow() as uow:
            now = uow.clock.now()
            end = end or now
            start = start or end - DEFAULT_PERIOD
            if start >= end:
                v.add("decided_from", "must be before decided_to")
            elif end - start > MAX_PERIOD:
                v.add("decided_from", f"the period is at most {MAX_PERIOD.days} days")
            v.check()
            requesters: list[str] | None = None
            if caller.role not in (ADMIN, SYSTEM):
                requesters = [*await uow.reports.team_of(caller.tenant_id, caller.user_id), caller.user_id]
            cells = await uow.reports.decided_cells(caller.tenant_id, start, end, kind, requesters)
        return report_of(cells, (dimension,) if dimension else DIMENSIONS)
