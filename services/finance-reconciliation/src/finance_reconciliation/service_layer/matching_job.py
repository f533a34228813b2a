"""The periodic matching run of every tenant, under the job's lease."""

from __future__ import annotations

from crm_shared.context import Caller
from crm_shared.roles import FINANCE

from finance_reconciliation.service_layer.matching import JOB_USER, MatchingHandlers, UowFactory


class MatchingJob:
    """The periodic run (runtime.every under the lease): every tenant with lines to match or confident
    suggestions waiting, as the tenant's finance (JOB_USER). Each tenant's run is bounded by max_lines."""

    def __init__(self, uow: UowFactory, handlers: MatchingHandlers) -> None:
        self.uow = uow
        self.handlers = handlers

    async def run(self) -> int:
        async with self.uow() as uow:
            tenants = await uow.matches.tenants_to_match()
        confirmed = 0
        for tenant in tenants:
            report = await self.handlers.run(Caller(tenant, JOB_USER, FINANCE))
            confirmed += len(report.confirmed)
        return confirmed
