"""Approval policies: saved, versioned and audited (who changed what), checked
on save like a routing formula, and chosen for a request (the first whose
criteria hold, by position; else the kind's default; else the built-in one)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound, Violation
from crm_shared.ids import new_id
from crm_shared.roles import APPROVAL_POLICY_EDITORS, APPROVAL_POLICY_READERS

from approval.domain import facts as rules_facts
from approval.domain import policy as rules
from approval.domain.facts import SubjectFacts
from approval.domain.policy import Policy, PolicyChange
from approval.domain.policy_choice import DEFAULT_REVIEW_MINUTES, Choice, choose
from approval.service_layer.facts import Facts
from approval.service_layer.organisation import seats_for_step
from approval.service_layer.uow import ApprovalUnitOfWork

UowFactory = Callable[[], ApprovalUnitOfWork]


class SubjectAccessCheck(Protocol):
    async def require(self, caller: Caller, subject_type: str, subject_id: str, *, write: bool = False) -> None: ...


MAX_COMMENT = 500
MAX_VERSIONS = 200
MAX_AUDIT = 500


async def choose_policy(
    uow: ApprovalUnitOfWork,
    tenant_id: str,
    kind: str,
    facts: Mapping[str, object],
    review_minutes: int = DEFAULT_REVIEW_MINUTES,
) -> Policy:
    """The policy a request of `kind` with these facts runs under
    (`review_minutes`: a partner's request's deadline under a built-in policy)."""
    return (await explain_choice(uow, tenant_id, kind, facts, review_minutes)).policy


async def explain_choice(
    uow: ApprovalUnitOfWork,
    tenant_id: str,
    kind: str,
    facts: Mapping[str, object],
    review_minutes: int = DEFAULT_REVIEW_MINUTES,
) -> Choice:
    if kind not in rules.KINDS:
        raise InvalidArgument.field("kind", f"must be one of {', '.join(rules.KINDS)}")
    return choose(tenant_id, kind, await uow.policies.of_kind(tenant_id, kind), facts, review_minutes)


@dataclass(frozen=True)
class StepPeople:
    """Who a step of the chosen policy would ask now: (user, stood in for) pairs."""

    stage_id: str
    step_id: str
    name: str
    approvers: tuple[tuple[str, str], ...]
    note: str


@dataclass(frozen=True)
class DryRun:
    facts: dict[str, object]
    choice: Choice
    steps: tuple[StepPeople, ...] = ()


async def people_of(
    uow: ApprovalUnitOfWork, policy: Policy, requester_id: str, facts: Mapping[str, object] | None = None
) -> tuple[StepPeople, ...]:
    """Each step's seats as the engine would start it now for `requester_id`
    and a request with these facts (as a request stores them: text)."""
    now = uow.clock.now()
    stored = {k: str(v) for k, v in (facts or {}).items() if v is not None and v != ""}
    out = []
    for stage in policy.stages:
        for step in stage.steps:
            found = await seats_for_step(uow, policy.tenant_id, policy, step, requester_id, now, stored)
            pairs = tuple((seat.user, seat.original or "") for seat in found.seats)
            out.append(StepPeople(stage.stage_id, step.step_id, step.name, pairs, found.note))
    return tuple(out)


def _check_comment(comment: str) -> None:
    if len(comment) > MAX_COMMENT:
        raise InvalidArgument.field("comment", f"is longer than {MAX_COMMENT} characters")


def _second_default(policy: Policy) -> FailedPrecondition:
    return FailedPrecondition(
        f"{policy.kind} already has a default policy; make that one a normal policy first",
        [Violation("policy", policy.kind, "has a default policy already")],
    )


class PolicyHandlers:
    def __init__(
        self, uow: UowFactory, facts: Facts, access: SubjectAccessCheck, review: Callable[[str], int] | None = None
    ) -> None:
        self.uow = uow
        self.facts = facts
        self.access = access
        # A partner's request's deadline under a built-in policy, in working minutes, by tenant.
        self.review_minutes = review or (lambda tenant_id: DEFAULT_REVIEW_MINUTES)

    async def _checked(self, uow: ApprovalUnitOfWork, draft: Policy) -> Policy:
        written = rules.as_written(draft)
        rules.check_policy(written, await uow.departments.sizes(draft.tenant_id))
        return written

    async def check(self, caller: Caller, draft: Policy) -> tuple[Policy, list[str]]:
        """The policy as it would be saved (refused as a save would refuse it)
        and the facts its criteria read."""
        caller.require_role(*APPROVAL_POLICY_READERS)
        async with self.uow() as uow:
            checked = await self._checked(uow, replace(draft, tenant_id=caller.tenant_id))
        compiled = rules.compile_saved(checked.criteria)
        return checked, sorted(compiled.fields) if compiled else []

    async def create(self, caller: Caller, draft: Policy, comment: str) -> Policy:
        caller.require_role(*APPROVAL_POLICY_EDITORS)
        _check_comment(comment)
        async with self.uow() as uow:
            now = uow.clock.now()
            policy = replace(
                await self._checked(uow, replace(draft, tenant_id=caller.tenant_id)),
                policy_id=new_id(),
                version=1,
                active=True,
                updated_by=caller.user_id,
                updated_at=now,
            )
            rules.refuse_past_limit(len(await uow.policies.of_kind(caller.tenant_id, policy.kind)), policy.kind)
            if not await uow.policies.add(policy, comment.strip()):
                raise _second_default(policy)
            await uow.commit()
        return policy

    async def update(
        self, caller: Caller, policy_id: str, expected_version: int, draft: Policy, comment: str
    ) -> Policy:
        """A new version; `expected_version` is the one the admin edited (a
        concurrent save in between is refused, nothing is lost)."""
        caller.require_role(*APPROVAL_POLICY_EDITORS)
        _check_comment(comment)
        async with self.uow() as uow:
            current = await self._current(uow, caller, policy_id)
            if expected_version and expected_version != current.version:
                raise Conflict(f"policy {policy_id} is at version {current.version}, not {expected_version}; reload it")
            if draft.kind != current.kind:
                raise InvalidArgument.field("kind", f"a policy keeps its kind ({current.kind}); create a new one")
            policy = replace(
                await self._checked(uow, replace(draft, tenant_id=caller.tenant_id)),
                policy_id=policy_id,
                version=current.version + 1,
                active=True,
                updated_by=caller.user_id,
                updated_at=uow.clock.now(),
            )
            saved = await uow.policies.save(policy, before=current.version, action="updated", comment=comment.strip())
            if saved is None:
                raise Conflict(f"policy {policy_id} was changed meanwhile; reload it")
            if saved is False:
                raise _second_default(policy)
            await uow.commit()
        return policy

    async def delete(self, caller: Caller, policy_id: str, comment: str) -> Policy:
        """Deleted policies take no new requests; their versions stay (requests
        started under one run by it to the end)."""
        caller.require_role(*APPROVAL_POLICY_EDITORS)
        _check_comment(comment)
        async with self.uow() as uow:
            current = await self._current(uow, caller, policy_id)
            policy = replace(
                current,
                version=current.version + 1,
                active=False,
                updated_by=caller.user_id,
                updated_at=uow.clock.now(),
            )
            if not await uow.policies.save(policy, before=current.version, action="deleted", comment=comment.strip()):
                raise Conflict(f"policy {policy_id} was changed meanwhile; reload it")
            await uow.commit()
        return policy

    async def _current(self, uow: ApprovalUnitOfWork, caller: Caller, policy_id: str) -> Policy:
        policy = await uow.policies.get(caller.tenant_id, policy_id)
        if policy is None or not policy.active:
            raise NotFound(f"policy {policy_id} not found")
        return policy

    async def get(self, caller: Caller, policy_id: str, version: int = 0) -> Policy:
        caller.require_role(*APPROVAL_POLICY_READERS)
        async with self.uow() as uow:
            if version:
                policy = await uow.policies.get_version(caller.tenant_id, policy_id, version)
                if policy is None:
                    raise NotFound(f"policy {policy_id} has no version {version}")
                return policy
            return await self._current(uow, caller, policy_id)

    async def list(self, caller: Caller, kind: str = "") -> list[Policy]:
        caller.require_role(*APPROVAL_POLICY_READERS)
        if kind and kind not in rules.KINDS:
            raise InvalidArgument.field("kind", f"must be one of {', '.join(rules.KINDS)}")
        async with self.uow() as uow:
            return await uow.policies.list(caller.tenant_id, kind)

    async def versions(self, caller: Caller, policy_id: str) -> list[PolicyChange]:
        """Every saved version, newest first: who saved it, when, why."""
        caller.require_role(*APPROVAL_POLICY_READERS)
        async with self.uow() as uow:
            changes = await uow.policies.versions(caller.tenant_id, policy_id, MAX_VERSIONS)
        if not changes:
            raise NotFound(f"policy {policy_id} not found")
        return changes

    async def audit(self, caller: Caller, kind: str = "", page_size: int = 0) -> list[PolicyChange]:
        """Who changed which policy, when and why, newest first."""
        caller.require_role(*APPROVAL_POLICY_READERS)
        if kind and kind not in rules.KINDS:
            raise InvalidArgument.field("kind", f"must be one of {', '.join(rules.KINDS)}")
        if not (0 <= page_size <= MAX_AUDIT):
            raise InvalidArgument.field("page_size", f"must be between 1 and {MAX_AUDIT}")
        async with self.uow() as uow:
            return await uow.policies.audit(caller.tenant_id, kind, page_size or 100)

    async def dry_run(
        self,
        caller: Caller,
        kind: str,
        given: Mapping[str, str | int],
        subject_type: str = "",
        subject_id: str = "",
        requester_id: str = "",
        draft: Policy | None = None,
        replaces: str = "",
    ) -> DryRun:
        """Which policy an example subject would get, and why: the facts of a
        real subject (when named) or only those given, then each policy tried."""
        caller.require_role(*APPROVAL_POLICY_READERS)
        if kind not in rules.KINDS:
            raise InvalidArgument.field("kind", f"must be one of {', '.join(rules.KINDS)}")
        if subject_id:
            subject_type = subject_type or "opportunity"
            rules_facts.given_facts(given)
            await self.access.require(caller, subject_type, subject_id)  # a subject the caller may not see is missing
            facts = await self.facts.collect(caller, kind, subject_type, subject_id, given)
        else:
            facts = await self.facts.with_averages(caller.tenant_id, SubjectFacts(), given)
        if len(requester_id) > rules.MAX_ID:
            raise InvalidArgument.field("requester_id", f"is longer than {rules.MAX_ID} characters")
        async with self.uow() as uow:
            if draft is None:
                choice = await explain_choice(uow, caller.tenant_id, kind, facts, self.review_minutes(caller.tenant_id))
            else:
                choice = await self._choice_with_draft(uow, caller, kind, facts, draft, replaces.strip())
            steps = await people_of(uow, choice.policy, requester_id.strip(), facts) if requester_id.strip() else ()
        return DryRun(facts, choice, steps)

    async def _choice_with_draft(
        self,
        uow: ApprovalUnitOfWork,
        caller: Caller,
        kind: str,
        facts: Mapping[str, object],
        draft: Policy,
        replaces: str,
    ) -> Choice:
        """The choice as it would be with the draft saved (over `replaces`, when named)."""
        if draft.kind != kind:
            raise InvalidArgument.field("draft.kind", f"must be the dry run's kind, {kind}")
        saved = await uow.policies.of_kind(caller.tenant_id, kind)
        if replaces and all(p.policy_id != replaces for p in saved):
            raise NotFound(f"policy {replaces} not found")
        written = await self._checked(uow, replace(draft, tenant_id=caller.tenant_id))
        trial = replace(written, policy_id=replaces or "draft", version=0, active=True)
        others = [trial, *(p for p in saved if p.policy_id != replaces)]
        return choose(caller.tenant_id, kind, others, facts, self.review_minutes(caller.tenant_id))
