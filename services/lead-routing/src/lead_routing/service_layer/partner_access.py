"""Answering other services: may this user read or write this registration
or promotion application? (domain/partner_access.py says who may.)"""

from __future__ import annotations

from collections.abc import Callable

from crm_shared import roles
from crm_shared.approval_kinds import REGISTRATION
from crm_shared.context import Caller

from lead_routing.domain.partner_access import MAX_ID, SubjectAccess, decide, validate_query
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

UowFactory = Callable[[], LeadRoutingUnitOfWork]


class PartnerAccessHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def check(
        self,
        asker: Caller,
        *,
        tenant_id: str,
        user_id: str,
        role: str,
        organisation: str,
        subject_type: str,
        subject_id: str,
    ) -> SubjectAccess:
        asker.require_role(roles.SYSTEM)
        validate_query(asker, tenant_id, user_id, role, subject_type)
        user = Caller(tenant_id, user_id, role, asker.trace_id, organisation)
        subject_id = subject_id.strip()
        async with self.uow().reading() as uow:
            distributor_id: str | None = None
            if subject_id and len(subject_id) <= MAX_ID:
                if subject_type == REGISTRATION:
                    registration = await uow.registrations.get(tenant_id, subject_id)
                    distributor_id = registration.distributor_id if registration else None
                else:
                    application = await uow.promotion_applications.get(tenant_id, subject_id)
                    distributor_id = application.distributor_id if application else None
            distributor = await uow.distributors.get(tenant_id, distributor_id) if distributor_id else None
            return decide(user, subject_type, distributor_id, distributor, uow.clock.now())
