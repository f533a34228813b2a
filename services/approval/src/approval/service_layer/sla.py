"""The SLA job (one periodic job under a lease, on the injected clock): each
due timer either reminds the approver (催办: a notification and a history
entry) and waits another working_minutes, or, its reminders spent, applies
the step's outcome through the engine (ActionHandlers.on_timeout). It also
refreshes the approval metrics.

Idempotent: a reminder commits together with the compare-and-set that moves
its timer, so a job run twice sends it once, and a replica dying before the
commit leaves the timer due for the next run. An outcome is applied first
and the timer closed after; applying it again is a no-op (the engine leaves
a task that is no longer pending alone)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from crm_shared.business_calendar import BusinessCalendar
from crm_shared.ids import new_id
from crm_shared.notifications import publish_notification

from approval.adapters import metrics
from approval.adapters.timer_repository import CANCELLED, DONE, Timer
from approval.domain import sla
from approval.domain.approval import SYSTEM_USER, ApprovalRequest, ApprovalTask, HistoryEntry
from approval.domain.policy import SlaRule
from approval.service_layer.actions import ActionHandlers
from approval.service_layer.uow import ApprovalUnitOfWork

UowFactory = Callable[[], ApprovalUnitOfWork]
SCAN_LIMIT = 200

OUTCOME_NOTES = {
    "escalate": "超过审批时限（{minutes} 个工作分钟）且催办 {reminders} 次未处理，已升级",
    "auto_approve": "超过审批时限（{minutes} 个工作分钟），系统自动同意",
    "auto_reject": "超过审批时限（{minutes} 个工作分钟），系统自动拒绝",
    "auto_transfer": "超过审批时限（{minutes} 个工作分钟），系统自动转交",
}


def rule_of(request: ApprovalRequest, task: ApprovalTask) -> SlaRule | None:
    """The SLA rule of the task's step, for the request's impact scope, in the policy the request runs by."""
    if task.stage_index >= len(request.policy.stages):
        return None
    step = next((s for s in request.policy.stages[task.stage_index].steps if s.step_id == task.step_id), None)
    return sla.matching_rule(step, request.impact_scope) if step else None


class SlaJob:
    def __init__(self, uow: UowFactory, actions: ActionHandlers, calendar: BusinessCalendar | None = None) -> None:
        self.uow = uow
        self.actions = actions
        self.calendar = calendar or BusinessCalendar()
        self._observed_until: datetime | None = None
        self._tenants: set[str] = set()

    async def run(self) -> dict[str, int]:
        """Fire every due timer (SCAN_LIMIT a run), then refresh the metrics; counts by what happened."""
        async with self.uow() as uow:
            due = await uow.timers.due(uow.clock.now(), SCAN_LIMIT)
        counts: dict[str, int] = {}
        for timer in due:
            what = await self.fire(timer)
            counts[what] = counts.get(what, 0) + 1
        await self.refresh_metrics()
        return counts

    async def fire(self, timer: Timer) -> str:
        """One due timer: reminded | <outcome> | expired | cancelled | lost (another run had it)."""
        async with self.uow() as uow:
            task = await uow.approvals.task(timer.tenant_id, timer.task_id)
            request = await uow.approvals.get(timer.tenant_id, timer.approval_id)
            rule = rule_of(request, task) if task and request else None
            if rule is None or task is None or request is None or task.status != "pending" or request.status != "pending":
                # Answered, handed on or ended while the timer waited (or its rule is gone).
                won = await uow.timers.advance(timer, due_at=None, status=CANCELLED)
                await uow.commit()
                return "cancelled" if won else "lost"
            move = sla.next_move(self.calendar, rule, timer.fired, timer.due_at)
            if isinstance(move, sla.Remind):
                if not await uow.timers.advance(timer, due_at=move.next_due):
                    return "lost"
                await self._remind(uow, request, task, move, rule)
                await uow.commit()
                metrics.REMINDERS.labels(timer.tenant_id).inc()
                return "reminded"
            if move.outcome == "none":
                if not await uow.timers.advance(timer, due_at=None, status=DONE):
                    return "lost"
                await uow.approvals.add_history(self._entry(task, uow.clock.now(), "sla_expired", "超过审批时限，已停止催办"))
                await uow.commit()
                return "expired"
        note = OUTCOME_NOTES[move.outcome].format(minutes=rule.working_minutes, reminders=rule.reminders)
        await self.actions.on_timeout(timer.tenant_id, timer.task_id, move.outcome, rule.target, note)
        async with self.uow() as uow:
            won = await uow.timers.close_after_outcome(timer)
            await uow.commit()
        if won:
            metrics.ESCALATIONS.labels(timer.tenant_id, move.outcome).inc()
        return move.outcome if won else "lost"

    async def _remind(
        self, uow: ApprovalUnitOfWork, request: ApprovalRequest, task: ApprovalTask, move: sla.Remind, rule: SlaRule
    ) -> None:
        comment = f"审批超时催办（第 {move.number}/{rule.reminders} 次）"
        await uow.approvals.add_history(
            self._entry(task, uow.clock.now(), "sla_reminded", comment, number=str(move.number), next_due_at=move.next_due.isoformat())
        )
        await publish_notification(
            uow,
            task.tenant_id,
            task.assignee,
            "approval_reminder",
            f"请尽快审批：{request.title}",
            f"{task.step_name}：{comment}",
            subject_type=request.subject_type,
            subject_id=request.subject_id,
            aggregate_id=request.approval_id,
        )

    def _entry(self, task: ApprovalTask, at: datetime, action: str, comment: str, **details: str) -> HistoryEntry:
        return HistoryEntry(
            entry_id=new_id(),
            tenant_id=task.tenant_id,
            approval_id=task.approval_id,
            at=at,
            actor=SYSTEM_USER,
            action=action,
            comment=comment,
            channel="system",
            task_id=task.task_id,
            details={"assignee": task.assignee, **details},
        )

    async def refresh_metrics(self) -> None:
        async with self.uow() as uow:
            now = uow.clock.now()
            counts = await uow.reports.open_and_overdue(now)
            # A tenant whose last open task was answered reads 0, not its last count.
            for tenant in self._tenants - counts.keys():
                counts[tenant] = (0, 0)
            self._tenants |= counts.keys()
            for tenant, (open_, overdue) in counts.items():
                metrics.TASKS_OPEN.labels(tenant).set(open_)
                metrics.TASKS_OVERDUE.labels(tenant).set(overdue)
            # Dwell of the tasks decided since the last refresh on this replica.
            since = self._observed_until or now
            for kind, wall, working in await uow.reports.decided_between(since, now):
                metrics.DWELL_WALL.labels(kind).observe(wall / 3600)
                metrics.DWELL_WORKING.labels(kind).observe(working / 3600)
            self._observed_until = now
