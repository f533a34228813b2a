"""Distributor organisations: admins create and change them, managers read
the tenant's, a partner reads their own; every change is `distributor.changed`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm.events.v1 import partner_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import AlreadyExists, Conflict, InvalidArgument, NotFound

from lead_routing.adapters.distributor_repository import UserTaken
from lead_routing.domain.distributor import (
    EDITORS,
    READERS,
    Distributor,
    DistributorInput,
    check_unchanged,
    distributor,
    may_read,
    same_content,
)
from lead_routing.service_layer.partners import partner_distributor, partner_or_none
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

UowFactory = Callable[[], LeadRoutingUnitOfWork]


@dataclass(frozen=True)
class DistributorView:
    distributor: Distributor
    current: bool  # active and within its contract period now


def _view(uow: LeadRoutingUnitOfWork, d: Distributor) -> DistributorView:
    return DistributorView(d, d.current(uow.clock.now()))


class DistributorHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def create(self, caller: Caller, cmd: DistributorInput) -> DistributorView:
        caller.require_role(*EDITORS)
        async with self.uow() as uow:
            made = distributor(
                cmd, tenant_id=caller.tenant_id, actor_id=caller.user_id, now=uow.clock.now(), existing=None
            )
            try:
                if not await uow.distributors.add(made):
                    raise AlreadyExists(f"distributor {made.distributor_id} exists")
            except UserTaken as taken:
                raise _user_taken(taken) from None
            await _publish(uow, made, created=True)
            await uow.commit()
            return _view(uow, made)

    async def update(self, caller: Caller, cmd: DistributorInput) -> tuple[DistributorView, bool]:
        """The new version, and whether anything changed (nothing stored otherwise)."""
        caller.require_role(*EDITORS)
        async with self.uow() as uow:
            existing = await uow.distributors.get(caller.tenant_id, cmd.distributor_id.strip())
            if existing is None:
                raise NotFound(f"distributor {cmd.distributor_id} not found")
            check_unchanged(cmd.version, existing)
            changed = distributor(
                cmd, tenant_id=caller.tenant_id, actor_id=caller.user_id, now=uow.clock.now(), existing=existing
            )
            if same_content(existing, changed):
                return _view(uow, existing), False
            try:
                if not await uow.distributors.save(changed, before=existing):
                    raise Conflict(f"distributor {existing.distributor_id} was changed at the same moment; retry")
            except UserTaken as taken:
                raise _user_taken(taken) from None
            await _publish(uow, changed, created=False)
            await uow.commit()
            return _view(uow, changed), True

    async def get(self, caller: Caller, distributor_id: str) -> DistributorView:
        """Managers and admins read any of the tenant's; a partner only their
        own, while it is current; for anyone else the distributor does not exist."""
        async with self.uow().reading() as uow:
            await partner_or_none(uow, caller)
            found = await uow.distributors.get(caller.tenant_id, distributor_id)
            if found is None or not may_read(caller, found):
                raise NotFound(f"distributor {distributor_id} not found")
            return _view(uow, found)

    async def list(self, caller: Caller, *, active: bool | None, channel_manager_id: str) -> list[DistributorView]:
        caller.require_role(*READERS)
        manager = caller.user_id if channel_manager_id == "me" else channel_manager_id
        async with self.uow().reading() as uow:
            found = await uow.distributors.list(caller.tenant_id, active=active, channel_manager_id=manager)
            return [_view(uow, d) for d in found]

    async def own(self, caller: Caller) -> DistributorView:
        """The distributor a partner acts for (refused when they act for none)."""
        async with self.uow().reading() as uow:
            return _view(uow, await partner_distributor(uow, caller))


def _user_taken(taken: UserTaken) -> InvalidArgument:
    return InvalidArgument.field("users", f"{taken.user_id} already belongs to distributor {taken.distributor_id}")


async def _publish(uow: LeadRoutingUnitOfWork, d: Distributor, *, created: bool) -> None:
    await uow.publish(
        "distributor.changed",
        d.tenant_id,
        d.distributor_id,
        partner_pb2.DistributorChanged(
            distributor_id=d.distributor_id,
            name=d.name,
            credit_code=d.credit_code,
            tier=d.tier,
            users=list(d.users),
            channel_manager_id=d.channel_manager_id,
            active=d.active,
            contract_starts=d.contract_starts.isoformat() if d.contract_starts else "",
            contract_ends=d.contract_ends.isoformat() if d.contract_ends else "",
            version=d.version,
            created=created,
            changed_by=d.updated_by,
        ),
    )
