"""What every use case of the engine does around a Run: load the request
and its tasks, apply the action, start the stages it opens (their seats as
domain/approvers.py walks them: the rules, then delegation windows), time the tasks now asked
(A3's timers), write everything under the request's row version, publish
the events and notices, commit. Another action committed first: the run is
done again on what it wrote (so two approvers on one task: the second hears
the task is decided)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from crm.events.v1 import approval_pb2 as events
from crm_shared.business_calendar import BusinessCalendar
from crm_shared.convert import timestamp
from crm_shared.domain.errors import Conflict, NotFound
from crm_shared.ids import new_id
from crm_shared.notifications import publish_notification

from approval.domain.approval import ApprovalRequest
from approval.domain.approvers import require_seats
from approval.domain.engine import Run, Seat, to_group
from approval.domain.sla import first_due, matching_rule
from approval.service_layer.organisation import seats_for_step
from approval.service_layer.uow import ApprovalUnitOfWork

UowFactory = Callable[[], ApprovalUnitOfWork]
ATTEMPTS = 3


MESSAGES = {
    "approval.task_assigned": events.ApprovalTaskAssigned,
    "approval.step_completed": events.ApprovalStepCompleted,
    "approval.decided": events.ApprovalDecided,
    "approval.sent_back": events.ApprovalSentBack,
    "approval.escalated": events.ApprovalEscalated,
    "approval.recalled": events.ApprovalRecalled,
    "approval.voided": events.ApprovalVoided,
    "approval.stale": events.ApprovalStale,
    "approval.requested": events.ApprovalRequested,
}


class Engine:
    def __init__(self, uow: UowFactory, calendar: BusinessCalendar | None = None) -> None:
        self.uow = uow
        self.calendar = calendar or BusinessCalendar()

    def run(self, uow: ApprovalUnitOfWork, request: ApprovalRequest, tasks, actor: str, channel: str = "") -> Run:
        return Run(request, {t.task_id: t for t in tasks}, uow.clock.now(), new_id, self.calendar, actor=actor,
                   channel=channel.strip())

    async def act(
        self, tenant_id: str, approval_id: str, actor: str, channel: str, do: Callable[[Run], object],
        before: Callable[[ApprovalUnitOfWork, Run], Awaitable[None]] | None = None,
    ) -> Run:
        """`do` applies the action to the loaded run (raising the domain's
        refusals); `before` may read more in the same unit of work first."""
        for _ in range(ATTEMPTS):
            async with self.uow() as uow:
                request = await uow.approvals.get(tenant_id, approval_id)
                if request is None:
                    raise NotFound(f"approval {approval_id} not found")
                run = self.run(uow, request, await uow.approvals.tasks_of(tenant_id, approval_id), actor, channel)
                if before is not None:
                    await before(uow, run)
                do(run)
                if await self.persist(uow, run, request.version):
                    await uow.commit()
                    return run
        raise Conflict(f"approval {approval_id} kept changing while this was done; nothing was changed, try again")

    async def persist(self, uow: ApprovalUnitOfWork, run: Run, before: int | None) -> bool:
        """Starts the stages the run opened, then writes it; `before` None: a new request."""
        while run.stage_to_start is not None:
            await self.start_stage(uow, run, run.stage_to_start)
        self._time(run)
        run.request = replace(run.request, version=(before or 0) + 1)
        changed = [run.tasks[i] for i in sorted(run.changed)]
        if before is None:
            if not await uow.approvals.add(run.request):
                return False
            await uow.approvals.add_tasks(changed)
            for entry in run.history:
                await uow.approvals.add_history(entry)
        else:
            if not await uow.approvals.save(run.request, before, changed, run.created, run.history):
                return False
        await self._timers(uow, run)
        await self._publish(uow, run)
        return True

    async def start_stage(self, uow: ApprovalUnitOfWork, run: Run, index: int) -> None:
        r = run.request
        seats: dict[str, list[Seat]] = {}
        for step in r.policy.stages[index].steps:
            found = await seats_for_step(uow, r.tenant_id, r.policy, step, r.requested_by, run.now, r.facts)
            require_seats(r.policy, step, found)
            seats[step.step_id] = list(found.seats)
        run.start_stage(index, seats)

    def _time(self, run: Run) -> None:
        """The first deadline of each task now asked, from its step's SLA for the request's impact scope."""
        for task_id in dict.fromkeys(run.started):
            t = run.tasks[task_id]
            if t.status != "pending":
                continue
            stage = run.request.policy.stages[t.stage_index]
            step = next(s for s in stage.steps if s.step_id == t.step_id)
            rule = matching_rule(step, run.request.impact_scope)
            due = first_due(self.calendar, t.started_at, rule) if rule and rule.working_minutes > 0 else None
            run.put(replace(t, due_at=due))

    async def _timers(self, uow: ApprovalUnitOfWork, run: Run) -> None:
        tenant = run.request.tenant_id
        for task_id in dict.fromkeys(run.ended):
            await uow.timers.cancel_for_task(tenant, task_id)
        for task_id in dict.fromkeys(run.started):
            t = run.tasks[task_id]
            if t.status == "pending" and t.due_at is not None:
                await uow.timers.schedule(tenant, run.request.approval_id, task_id, t.due_at)

    async def _publish(self, uow: ApprovalUnitOfWork, run: Run) -> None:
        r = run.request
        for event in run.events:
            fields = dict(event.fields)
            if "opinions" in fields:
                fields["opinions"] = [events.ApprovalOpinion(**o) for o in fields["opinions"]]  # type: ignore[union-attr]
            if event.type == "approval.task_assigned":
                fields["due_at"] = timestamp(run.tasks[str(fields["task_id"])].due_at)
            await uow.publish(event.type, r.tenant_id, r.approval_id, MESSAGES[event.type](**fields))
        for n, group in zip(run.notices, to_group(run.notices), strict=True):
            await publish_notification(uow, r.tenant_id, n.recipient, n.kind, n.title, n.body,
                                       subject_type=r.subject_type, subject_id=r.subject_id, aggregate_id=r.approval_id,
                                       group=group)
