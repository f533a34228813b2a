"""Answering other services: may this user read or write this subject?"""

from __future__ import annotations

from collections.abc import Callable

from crm_shared import roles
from crm_shared.context import Caller

from opportunity.domain.subject_access import SubjectAccess, decide, validate_query
from opportunity.service_layer.common import team_of
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
# Ids are at most 36 characters here; a longer one cannot exist.
MAX_ID = 64


class SubjectAccessHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def check(
        self, asker: Caller, *, tenant_id: str, user_id: str, role: str, subject_type: str, subject_id: str
    ) -> SubjectAccess:
        asker.require_role(roles.SYSTEM)
        validate_query(asker, tenant_id, user_id, role, subject_type)
        user = Caller(tenant_id, user_id, role, asker.trace_id)
        subject_id = subject_id.strip()
        async with self.uow() as uow:
            owner_id: str | None = None
            if subject_id and len(subject_id) <= MAX_ID:
                if subject_type == "opportunity":
                    opp = await uow.opportunities.get(tenant_id, subject_id)
                    owner_id = opp.owner_id if opp else None
                else:
                    customer = await uow.customers.get(tenant_id, subject_id)
                    owner_id = customer.owner_id if customer else None
            team = await team_of(uow, user) if owner_id is not None else []
        return decide(user, owner_id, team)
