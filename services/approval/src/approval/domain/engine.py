"""The request engine: one Run per action applies it to a request and its
tasks and collects what follows (changed tasks, history, events, notices,
the stage to start). Starting a stage needs its approvers resolved (I/O), so
a Run only says which stage to start; the handler resolves its people and
calls start_stage. Pure: no I/O; `now`, ids and the calendar are given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from crm_shared.business_calendar import BusinessCalendar
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, Violation

from approval.domain.approval import (
    PARTNER_SUBJECT_OWNER,
    REQUESTER,
    SYSTEM_USER,
    ApprovalRequest,
    ApprovalTask,
    HistoryEntry,
    not_pending,
)
from approval.domain.policy import Stage, Step
from approval.domain.rules import OPEN, REJECTED, step_state, to_activate
from approval.domain.sla import overdue


@dataclass(frozen=True)
class Event:
    type: str  # approval.<event>, payload fields by name (the service layer builds the message)
    fields: dict[str, object]


@dataclass(frozen=True)
class Notice:
    recipient: str
    kind: str
    title: str
    body: str = ""


# What the tenant's 企业微信 group hears of besides each person's app: a request's outcome, an escalation,
# a void. Once per request and kind, however many people the app tells.
GROUP_KINDS = frozenset({"approval_decided", "approval_escalated", "approval_voided"})


def to_group(notices: list[Notice]) -> list[bool]:
    """For each notice, whether it also goes to the group (the first of each group kind)."""
    seen: set[str] = set()
    flags = []
    for n in notices:
        flags.append(n.kind in GROUP_KINDS and n.kind not in seen)
        seen.add(n.kind)
    return flags


@dataclass(frozen=True)
class Seat:
    """One approver a step starts with: who is asked, in whose place, and why."""

    user: str
    original: str | None = None  # the approver a delegation window replaced
    note: str = ""
    department_id: str | None = None


@dataclass
class Run:
    request: ApprovalRequest
    tasks: dict[str, ApprovalTask]
    now: datetime
    new_id: Callable[[], str]
    calendar: BusinessCalendar
    actor: str = ""
    channel: str = ""
    history: list[HistoryEntry] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    created: set[str] = field(default_factory=set)  # tasks new in this run (inserted, not updated)
    started: list[str] = field(default_factory=list)  # tasks now asked: timers, notices
    ended: list[str] = field(default_factory=list)  # tasks no longer asked: their timers end
    stage_to_start: int | None = None

    # ------------------------------------------------------------ reading
    def task(self, task_id: str) -> ApprovalTask:
        t = self.tasks.get(task_id)
        if t is None:
            raise NotFound(f"approval task {task_id} not found")
        return t

    def stage(self, index: int | None = None) -> Stage:
        return self.request.policy.stages[self.request.current_stage if index is None else index]

    def step(self, step_id: str) -> Step:
        return next(s for s in self.stage().steps if s.step_id == step_id)

    def live(self, stage_index: int | None = None) -> list[ApprovalTask]:
        i = self.request.current_stage if stage_index is None else stage_index
        return [t for t in self.tasks.values() if t.round == self.request.round and t.stage_index == i]

    def of_step(self, step_id: str) -> list[ApprovalTask]:
        return [t for t in self.live() if t.step_id == step_id]

    def held(self, task_id: str, *, statuses: tuple[str, ...] = ("pending",)) -> ApprovalTask:
        """The actor's own task, in a state that lets them act (the system acts on any)."""
        t = self.task(task_id)
        if self.actor != SYSTEM_USER and t.assignee != self.actor:
            raise NotFound(f"approval task {task_id} not found")  # another's task reads as missing
        if self.request.status != "pending":
            raise not_pending(self.request, "acting on a task")
        if t.status not in statuses:
            raise FailedPrecondition(
                f"task {task_id} is {t.status}; it cannot be acted on now",
                [Violation("approval_task", task_id, f"is {t.status}")],
            )
        return t

    # ------------------------------------------------------------ writing
    def put(self, t: ApprovalTask) -> ApprovalTask:
        self.tasks[t.task_id] = t
        self.changed.add(t.task_id)
        return t

    def note(self, action: str, *, task_id: str | None = None, comment: str = "", actor: str = "", **details: object):
        self.history.append(
            HistoryEntry(
                entry_id=self.new_id(),
                tenant_id=self.request.tenant_id,
                approval_id=self.request.approval_id,
                at=self.now,
                actor=actor or self.actor,
                action=action,
                comment=comment,
                channel=self.channel,
                task_id=task_id,
                details={k: str(v) for k, v in details.items() if v not in (None, "")},
            )
        )

    def emit(self, type_: str, **fields: object) -> None:
        base = {"approval_id": self.request.approval_id}
        self.events.append(Event(type_, base | fields))

    def tell(self, recipient: str, kind: str, title: str, body: str = "") -> None:
        # lead-routing, requesting for a partner, hears the outcome through approval.decided.
        if recipient and recipient not in (SYSTEM_USER, PARTNER_SUBJECT_OWNER):
            self.notices.append(Notice(recipient, kind, title, body))

    def close(self, t: ApprovalTask, status: str, comment: str = "") -> ApprovalTask:
        """A task ends: decided, handed on or cancelled; its dwell is counted and whether it ended overdue."""
        wall = int((self.now - t.started_at).total_seconds())
        working = int(self.calendar.working_time_between(t.started_at, self.now).total_seconds())
        self.ended.append(t.task_id)
        return self.put(
            replace(
                t,
                status=status,
                decided_at=self.now,
                comment=comment or t.comment,
                dwell_seconds=max(0, wall),
                dwell_working_seconds=max(0, working),
                late=overdue(t.due_at, self.now),
            )
        )

    def new_task(self, like: ApprovalTask | None = None, **fields: object) -> ApprovalTask:
        task_id = self.new_id()
        self.created.add(task_id)
        if like is not None:
            base = replace(
                like, task_id=task_id, status="pending", started_at=self.now, due_at=None, decided_at=None,
                comment="", dwell_seconds=None, dwell_working_seconds=None, escalated=False, reminders=0,
                delegated_from=None, original_assignee=None, late=False,
            )
            return self.put(replace(base, **fields))  # type: ignore[arg-type]
        return self.put(ApprovalTask(task_id=task_id, tenant_id=self.request.tenant_id,
                                     approval_id=self.request.approval_id, round=self.request.round,
                                     started_at=self.now, **fields))  # type: ignore[arg-type]

    def cancel_open(self, tasks: list[ApprovalTask] | None = None) -> None:
        for t in tasks if tasks is not None else [t for t in self.tasks.values() if t.is_open]:
            if t.is_open:
                self.close(t, "cancelled")

    def finish(self, status: str, *, by: str, comment: str = "") -> None:
        """The request ends (approved, rejected, recalled, voided): open tasks are cancelled."""
        self.cancel_open()
        self.request = replace(
            self.request, status=status, decided_at=self.now, decided_by=by, decision_comment=comment
        )

    # ------------------------------------------------------------ starting a stage
    def start_stage(self, index: int, seats: dict[str, list[Seat]]) -> None:
        """The stage's tasks, one per seat of each step, from the seats the
        handler resolved. skip_repeat_approvers passes who already approved."""
        stage = self.request.policy.stages[index]
        self.request = replace(self.request, current_stage=index)
        self.stage_to_start = None
        approved_before = {
            t.assignee for t in self.tasks.values()
            if t.round == self.request.round and t.stage_index < index and t.status == "approved"
        }
        self.note("stage_started", actor=SYSTEM_USER, stage=stage.stage_id, name=stage.name)
        for step in stage.steps:
            for position, seat in enumerate(seats.get(step.step_id, [])):
                slot = self.new_id()
                t = self.new_task(
                    stage_index=index, stage_id=stage.stage_id, step_id=step.step_id, step_name=step.name,
                    assignee=seat.user, mode=step.mode, status="waiting", position=position, group_id="",
                    slot_id=slot, department_id=seat.department_id, original_assignee=seat.original,
                )
                if seat.original:
                    self.note("substituted", task_id=t.task_id, actor=SYSTEM_USER, comment=seat.note,
                              assignee=seat.user, instead_of=seat.original)
                elif seat.note:
                    self.note("fallback", task_id=t.task_id, actor=SYSTEM_USER, comment=seat.note, assignee=seat.user)
                if self.request.policy.skip_repeat_approvers and seat.user in approved_before:
                    self.put(replace(t, status="skipped", decided_at=self.now, dwell_seconds=0,
                                     dwell_working_seconds=0))
                    self.note("skipped", task_id=t.task_id, actor=SYSTEM_USER, assignee=seat.user,
                              comment=f"{seat.user} already approved an earlier step of this request")
        self.settle()

    # ------------------------------------------------------------ after every change
    def settle(self) -> None:
        """Re-reads the current stage: completes steps, the stage, the request,
        or asks the next approvers."""
        if self.request.status != "pending":
            return
        stage = self.stage()
        all_done = True
        for step in stage.steps:
            tasks = self.of_step(step.step_id)
            state = step_state(step, tasks)
            if state == OPEN:
                all_done = False
                active, waiting = to_activate(step, tasks)
                for t in tasks:
                    if t.task_id in active and t.status == "waiting":
                        self.ask(t)
                    elif t.task_id in waiting and t.status == "pending":
                        self.ended.append(t.task_id)
                        self.put(replace(t, status="waiting"))
                continue
            if not any(t.task_id in self.changed for t in tasks):
                continue  # completed by an earlier action
            self.cancel_open([t for t in tasks if t.is_open])
            self._complete_step(step, state, tasks)
            if state == REJECTED:
                self._step_rejected(step)
                return
        if all_done:
            self.note("stage_completed", actor=SYSTEM_USER, stage=stage.stage_id, name=stage.name)
            if self.request.current_stage + 1 < len(self.request.policy.stages):
                self.request = replace(self.request, current_stage=self.request.current_stage + 1)
                self.stage_to_start = self.request.current_stage
            else:
                last = max((t for t in self.live() if t.status == "approved"), key=lambda t: t.decided_at or self.now,
                           default=None)
                self.finish("approved", by=self.actor or (last.assignee if last else SYSTEM_USER),
                            comment=last.comment if last else "")
                self._decided("approved")

    def ask(self, t: ApprovalTask) -> None:
        self.put(replace(t, status="pending", started_at=self.now))
        self.started.append(t.task_id)
        self.note("assigned", task_id=t.task_id, actor=SYSTEM_USER, assignee=t.assignee, step=t.step_name)
        self.emit("approval.task_assigned", task_id=t.task_id, stage_id=t.stage_id, step_id=t.step_id,
                  assignee=t.assignee, original_assignee=t.original_assignee or "", kind=self.request.kind,
                  subject_type=self.request.subject_type, subject_id=self.request.subject_id)
        self.tell(t.assignee, "approval_task", f"待审批：{self.request.title}",
                  f"{t.step_name}（{self.request.kind}）")

    def _complete_step(self, step: Step, state: str, tasks: list[ApprovalTask]) -> None:
        opinions = self.opinions(tasks)
        self.note("step_completed", actor=SYSTEM_USER, step=step.step_id, name=step.name, outcome=state)
        self.emit("approval.step_completed", stage_id=self.stage().stage_id, step_id=step.step_id,
                  outcome=state, opinions=opinions)

    def _step_rejected(self, step: Step) -> None:
        if step.on_reject == "send_back":
            self.send_back(step.send_back_to, by=SYSTEM_USER, comment=f"{step.name} rejected")
        else:
            self.reject_request()

    def reject_request(self) -> None:
        last = max((t for t in self.tasks.values() if t.status == "rejected"), key=lambda t: t.decided_at or self.now,
                   default=None)
        self.finish("rejected", by=self.actor or (last.assignee if last else SYSTEM_USER),
                    comment=last.comment if last else "")
        self._decided("rejected")

    def opinions(self, tasks: list[ApprovalTask] | None = None) -> list[dict[str, str]]:
        chosen = tasks if tasks is not None else [t for t in self.tasks.values() if t.round == self.request.round]
        return [
            {"task_id": t.task_id, "step_id": t.step_id, "actor": t.assignee, "decision": t.status,
             "comment": t.comment}
            for t in sorted(chosen, key=lambda t: (t.decided_at or self.now, t.task_id))
            if t.status in ("approved", "rejected")
        ]

    def _decided(self, decision: str) -> None:
        r = self.request
        self.note("decided", actor=r.decided_by, comment=r.decision_comment, decision=decision)
        self.emit("approval.decided", subject_type=r.subject_type, subject_id=r.subject_id, decision=decision,
                  decided_by=r.decided_by, comment=r.decision_comment, kind=r.kind, opinions=self.opinions(),
                  unlocked_fields=list(r.locked_fields))
        verdict = "已通过" if decision == "approved" else "被驳回"
        self.tell(r.requested_by, "approval_decided", f"审批{verdict}：{r.title}", r.decision_comment)

    # ------------------------------------------------------------ 退回
    def send_back(self, to: str, *, by: str, comment: str) -> None:
        r = self.request
        to = to.strip() or REQUESTER
        if to != REQUESTER:
            index = next((i for i, s in enumerate(r.policy.stages) if s.stage_id == to), None)
            if index is None or index >= r.current_stage:
                raise InvalidArgument.field("send_back_to", "must be \"requester\" or the id of an earlier stage")
        self.cancel_open()
        self.note("sent_back", actor=by, comment=comment, to=to)
        self.emit("approval.sent_back", subject_type=r.subject_type, subject_id=r.subject_id, by=by, to=to,
                  comment=comment, kind=r.kind)
        self.tell(r.requested_by, "approval_sent_back", f"审批被退回：{r.title}", comment)
        if to == REQUESTER:
            self.request = replace(r, status="returned", round=r.round + 1)
        else:
            self.request = replace(r, round=r.round + 1, current_stage=index)  # type: ignore[arg-type]
            self.stage_to_start = index

