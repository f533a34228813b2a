"""An approver's actions on their task (approve, reject, 退回, 加签, 减签,
转交, 委派, confirm), a batch decision, and what the SLA job asks when a
task's time has run out (on_timeout).

Whoever holds a task acts on it, whatever their role (partners hold none):
the engine checks the assignee, not the role; a task someone else holds
reads as not found."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, InvalidArgument, NotFound

from approval.domain import actions
from approval.domain.approval import ACTORS, MAX_BATCH, SYSTEM_USER, ApprovalRequest, ApprovalTask, validate_note
from approval.domain.engine import Run
from approval.domain.policy import ApproverRule
from approval.service_layer.organisation import resolve_approvers
from approval.service_layer.running import Engine

TASK_ACTIONS = ("approve", "reject", "send_back", "add_signers", "remove_signer", "transfer", "delegate", "confirm")


@dataclass(frozen=True)
class TaskAction:
    task_id: str
    action: str
    comment: str = ""
    channel: str = ""
    send_back_to: str = ""
    users: tuple[str, ...] = ()
    placement: str = ""
    mode: str = ""
    target_user: str = ""


@dataclass(frozen=True)
class Acted:
    request: ApprovalRequest
    tasks: list[ApprovalTask]


@dataclass(frozen=True)
class BatchOutcome:
    task_id: str
    ok: bool
    error: str = ""
    approval_id: str = ""
    approval_status: str = ""


def _apply(run: Run, a: TaskAction) -> None:
    comment = a.comment.strip()
    match a.action:
        case "approve" | "reject":
            actions.decide(run, a.task_id, a.action, comment)
        case "send_back":
            actions.send_back(run, a.task_id, a.send_back_to, comment)
        case "add_signers":
            actions.add_signers(run, a.task_id, a.users, a.placement, a.mode.strip(), comment)
        case "remove_signer":
            actions.remove_signer(run, a.task_id, a.target_user, comment)
        case "transfer":
            actions.transfer(run, a.task_id, a.target_user, comment)
        case "delegate":
            actions.delegate(run, a.task_id, a.target_user, comment)
        case "confirm":
            actions.confirm(run, a.task_id, comment)


class ActionHandlers:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.uow = engine.uow

    async def act(self, caller: Caller, a: TaskAction) -> Acted:
        caller.require_role(*ACTORS)
        if a.action not in TASK_ACTIONS:
            raise InvalidArgument.field("action", f"must be one of {', '.join(TASK_ACTIONS)}")
        validate_note(a.comment, a.channel, users=a.users)
        for name, value in (("task_id", a.task_id), ("target_user", a.target_user), ("send_back_to", a.send_back_to)):
            if len(value) > 64:
                raise InvalidArgument.field(name, "is longer than 64 characters")
        approval_id = await self._approval_of(caller, a.task_id)
        run = await self.engine.act(caller.tenant_id, approval_id, caller.user_id, a.channel, lambda r: _apply(r, a))
        return Acted(run.request, sorted(run.tasks.values(), key=lambda t: (t.round, t.stage_index, t.started_at)))

    async def batch(self, caller: Caller, task_ids: tuple[str, ...], action: str, comment: str,
                    channel: str) -> list[BatchOutcome]:
        """Each task on its own (one refusal does not undo the others), where its request's policy allows batches."""
        caller.require_role(*ACTORS)
        if action not in ("approve", "reject"):
            raise InvalidArgument.field("action", "must be approve or reject")
        ids = tuple(dict.fromkeys(t.strip() for t in task_ids if t.strip()))
        if not ids or len(ids) > MAX_BATCH:
            raise InvalidArgument.field("task_ids", f"name 1 to {MAX_BATCH} tasks")
        validate_note(comment, channel)
        outcomes = []
        for task_id in ids:
            try:
                approval_id = await self._approval_of(caller, task_id)

                run = await self.engine.act(
                    caller.tenant_id, approval_id, caller.user_id, channel,
                    lambda run, task_id=task_id: actions.decide_in_batch(run, task_id, action, comment.strip()),
                )
                outcomes.append(BatchOutcome(task_id, True, "", approval_id, run.request.status))
            except DomainError as error:
                outcomes.append(BatchOutcome(task_id, False, str(error)))
        return outcomes

    async def on_timeout(self, tenant_id: str, task_id: str, outcome: str, target: ApproverRule | None,
                         note: str) -> None:
        """A3's SLA job, once a task's reminders are spent: escalate (the
        target's people take the seat, any one answers), auto_approve,
        auto_reject or auto_transfer, as the system user; a task answered
        meanwhile is left alone."""
        async with self.uow() as uow:
            task = await uow.approvals.task(tenant_id, task_id)
        if task is None:
            return
        targets: tuple[str, ...] = ()

        async def resolve(uow, run: Run) -> None:
            nonlocal targets
            r = run.request
            rule = target or ApproverRule("user", r.policy.fallback_user)
            found = await resolve_approvers(uow, tenant_id, rule, r.requested_by, run.now,
                                            fallback_user=r.policy.fallback_user, facts=r.facts)
            targets = found.users

        await self.engine.act(tenant_id, task.approval_id, SYSTEM_USER, "system",
                              lambda run: actions.time_out(run, task_id, outcome, targets, note), resolve)

    async def _approval_of(self, caller: Caller, task_id: str) -> str:
        async with self.uow() as uow:
            task = await uow.approvals.task(caller.tenant_id, task_id.strip())
        if task is None or (task.assignee != caller.user_id and caller.role != "system"):
            raise NotFound(f"approval task {task_id} not found")
        return task.approval_id
