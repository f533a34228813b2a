"""The organisation approvals need: departments (admin-managed), rep profiles
(projected from `rep.profile_changed`), delegation windows; and, for the
engine, who an approver rule names when a step starts and who stands in for
an approver who is away."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.approval_kinds import FACT_CHANNEL_MANAGER
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, FailedPrecondition, NotFound, Violation
from crm_shared.ids import new_id
from crm_shared.rep_profiles import profile_from

from approval.domain import organisation as org
from approval.domain.approvers import Directory, Resolution, StepSeats, resolve, seats_of
from approval.domain.organisation import Delegation, Department, DepartmentInput, RepProfile, StandIn
from approval.domain.policy import ApproverRule, Policy, Step
from approval.service_layer.uow import ApprovalUnitOfWork

UowFactory = Callable[[], ApprovalUnitOfWork]


async def directory_for(
    uow: ApprovalUnitOfWork, tenant_id: str, rule: ApproverRule, requester_id: str, facts: Mapping[str, str] | None = None
) -> Directory:
    """Only what the rule reads; `facts` are the request's (a partner's names its channel manager)."""
    if rule.kind == "channel_manager":
        manager = str((facts or {}).get(FACT_CHANNEL_MANAGER) or "").strip()
        above = await uow.profiles.chain(tenant_id, manager, rule.level - 1) if manager and rule.level > 1 else {}
        return Directory(profiles=above, channel_manager=manager)
    if rule.kind in ("department_members", "department_head"):
        department = await uow.departments.get(tenant_id, rule.value)
        return Directory(departments={rule.value: department} if department else {})
    if rule.kind in ("manager", "manager_chain"):
        return Directory(profiles=await uow.profiles.chain(tenant_id, requester_id, rule.level))
    if rule.kind == "role":
        holders = await uow.departments.holders_of(tenant_id, rule.value)
        if rule.value == "manager":
            # Everyone a rep profile names as manager is one, listed in a department or not.
            holders = tuple(dict.fromkeys((*holders, *await uow.profiles.managers(tenant_id))))
        return Directory(role_holders={rule.value: holders})
    return Directory()


async def resolve_approvers(
    uow: ApprovalUnitOfWork,
    tenant_id: str,
    rule: ApproverRule,
    requester_id: str,
    now: datetime,
    fallback_user: str = "admin",
    facts: Mapping[str, str] | None = None,
) -> Resolution:
    """The people the rule names now (never the requester); nobody found: the
    fallback user, with a note saying so. Delegation is the next step
    (`seats_for_step`), so the note names the original approver."""
    del now  # departments and profiles are read as they are now
    directory = await directory_for(uow, tenant_id, rule, requester_id, facts)
    return resolve(rule, requester_id, directory, fallback_user)


async def stand_ins(
    uow: ApprovalUnitOfWork, tenant_id: str, users: tuple[str, ...], now: datetime, requester_id: str = ""
) -> dict[str, StandIn]:
    """Who answers for each of `users` now, by user: the domain's deputy walk
    (`org.follow`), fed each hop with the windows of those still walking (one
    read a hop, at most MAX_DEPUTY_HOPS + 1)."""
    walks = {user: org.stand_in(user) for user in users}
    while walking := [w for w in walks.values() if not w.done]:
        windows = await uow.delegations.covering(tenant_id, [w.assignee for w in walking], now)
        for w in walking:
            walks[w.approver] = org.follow(w, windows.get(w.assignee), now, requester=requester_id)
    return walks


async def seats_for_step(
    uow: ApprovalUnitOfWork, tenant_id: str, policy: Policy, step: Step, requester_id: str, now: datetime,
    facts: Mapping[str, str] | None = None,
) -> StepSeats:
    """Who the step would start with now for `requester_id` and a request with
    these facts: the engine starts it with these, the dry run shows them."""
    found = await resolve_approvers(uow, tenant_id, step.approvers, requester_id, now,
                                    fallback_user=policy.fallback_user, facts=facts)
    return seats_of(step, found, await stand_ins(uow, tenant_id, found.users, now, requester_id))


async def project_profile(uow: ApprovalUnitOfWork, tenant_id: str, profile: RepProfile) -> None:
    """The rep profile as lead-routing's latest `rep.profile_changed` says."""
    await uow.profiles.put(profile)


class DepartmentHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def create(self, caller: Caller, cmd: DepartmentInput) -> Department:
        caller.require_role(*org.DEPARTMENT_EDITORS)
        written = org.department_input(cmd)
        async with self.uow() as uow:
            org.refuse_duplicate_name(await uow.departments.by_name(caller.tenant_id, written.name), None)
            org.refuse_past_limit(len(await uow.departments.sizes(caller.tenant_id)))
            department = Department(
                department_id=new_id(),
                tenant_id=caller.tenant_id,
                name=written.name,
                head_id=written.head_id,
                members=written.members,
                version=1,
                updated_by=caller.user_id,
                updated_at=uow.clock.now(),
            )
            if not await uow.departments.add(department):
                # A concurrent create took the name between the check and the insert.
                raise Conflict(f"department {written.name!r} was created meanwhile")
            await uow.commit()
        return department

    async def update(
        self, caller: Caller, department_id: str, cmd: DepartmentInput, expected_version: int
    ) -> Department:
        caller.require_role(*org.DEPARTMENT_EDITORS)
        written = org.department_input(cmd)
        async with self.uow() as uow:
            current = await self._get(uow, caller, department_id)
            if expected_version and expected_version != current.version:
                raise _stale(department_id, current.version)
            org.refuse_duplicate_name(await uow.departments.by_name(caller.tenant_id, written.name), department_id)
            department = Department(
                department_id=department_id,
                tenant_id=caller.tenant_id,
                name=written.name,
                head_id=written.head_id,
                members=written.members,
                version=current.version + 1,
                updated_by=caller.user_id,
                updated_at=uow.clock.now(),
            )
            if not await uow.departments.save(department, before=current.version):
                raise _stale(department_id, current.version)
            await uow.commit()
        return department

    async def delete(self, caller: Caller, department_id: str) -> None:
        caller.require_role(*org.DEPARTMENT_EDITORS)
        async with self.uow() as uow:
            department = await self._get(uow, caller, department_id)
            org.refuse_if_in_use(department, await uow.policies.naming_department(caller.tenant_id, department_id))
            await uow.departments.delete(caller.tenant_id, department_id)
            await uow.commit()

    async def get(self, caller: Caller, department_id: str) -> Department:
        caller.require_role(*org.DEPARTMENT_READERS)
        async with self.uow() as uow:
            return await self._get(uow, caller, department_id)

    async def list(self, caller: Caller, member_id: str = "") -> list[Department]:
        caller.require_role(*org.DEPARTMENT_READERS)
        async with self.uow() as uow:
            return await uow.departments.list(caller.tenant_id, member_id.strip())

    async def _get(self, uow: ApprovalUnitOfWork, caller: Caller, department_id: str) -> Department:
        department = await uow.departments.get(caller.tenant_id, department_id)
        if department is None:
            raise NotFound(f"department {department_id} not found")
        return department


def _stale(department_id: str, version: int) -> FailedPrecondition:
    return FailedPrecondition(
        f"department {department_id} is at version {version}; reload it",
        [Violation("department", department_id, f"is at version {version}")],
    )


class DelegationHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def create(
        self, caller: Caller, user_id: str, deputy_id: str, starts_at: datetime, ends_at: datetime, reason: str
    ) -> Delegation:
        """`user_id` "" is the caller (an approver naming their own deputy)."""
        user_id = user_id.strip() or caller.user_id
        deputy_id = deputy_id.strip()
        org.check_delegation_writer(caller, user_id)
        async with self.uow() as uow:
            now = uow.clock.now()
            existing = await uow.delegations.of_user(caller.tenant_id, user_id, after=now)
            org.check_window(user_id, deputy_id, starts_at, ends_at, reason, now, existing)
            delegation = Delegation(
                delegation_id=new_id(),
                tenant_id=caller.tenant_id,
                user_id=user_id,
                deputy_id=deputy_id,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=reason.strip(),
                created_by=caller.user_id,
                created_at=now,
            )
            await uow.delegations.add(delegation)
            await uow.commit()
        return delegation

    async def cancel(self, caller: Caller, delegation_id: str) -> Delegation:
        async with self.uow() as uow:
            delegation = org.readable_delegation(
                caller, await uow.delegations.get(caller.tenant_id, delegation_id), delegation_id
            )
            org.check_delegation_writer(caller, delegation.user_id)
            now = uow.clock.now()
            if not await uow.delegations.cancel(caller.tenant_id, delegation_id, now):
                raise FailedPrecondition(
                    f"delegation {delegation_id} is already cancelled",
                    [Violation("delegation", delegation_id, "is cancelled")],
                )
            await uow.commit()
        return replace(delegation, cancelled_at=now)

    async def list(self, caller: Caller, user_id: str = "", include_past: bool = False) -> list[Delegation]:
        """The caller's windows (as approver or deputy); an admin's: the tenant's, or `user_id`'s."""
        caller.require_role(*org.DELEGATION_USERS)
        who = user_id.strip() if caller.role == "admin" else caller.user_id
        async with self.uow() as uow:
            return await uow.delegations.list(caller.tenant_id, who, include_past=include_past, now=uow.clock.now())

    async def get(self, caller: Caller, delegation_id: str) -> Delegation:
        caller.require_role(*org.DELEGATION_USERS)
        async with self.uow() as uow:
            return org.readable_delegation(
                caller, await uow.delegations.get(caller.tenant_id, delegation_id), delegation_id
            )


async def on_rep_profile_changed(envelope: Envelope, uow: ApprovalUnitOfWork) -> None:
    """Consumer of lead-routing's `rep.profile_changed` (registered in bootstrap)."""
    profile = profile_from(envelope)
    await project_profile(uow, profile.tenant_id, profile)
