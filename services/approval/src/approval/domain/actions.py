"""Every action on a request, applied to a Run (domain/engine.py): approve,
reject (一票否决 on a veto step), a batch decision, 退回, 加签 / 减签, 转交,
委派 and its confirmation, 撤回, 催办, 抄送, resubmission after a send-back,
the SLA's outcomes, and the void / stale of a request whose document
changed. Each one leaves its trace in the history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, PermissionDenied, Violation

from approval.domain import facts as fact_names
from approval.domain.approval import (
    ADDED_MODES,
    PLACEMENTS,
    SYSTEM_USER,
    ApprovalRequest,
    ApprovalTask,
    Resubmission,
    not_pending,
)
from approval.domain.engine import Run

DECISIONS = {"approve": "approved", "reject": "rejected"}
# 催办: a requester reminds one request's approvers at most once per this (a deployment may set another).
REMIND_EVERY = timedelta(minutes=30)


def decide(run: Run, task_id: str, decision: str, comment: str) -> None:
    t = run.held(task_id)
    status = DECISIONS[decision]
    if t.delegated_from:
        # 委派: the delegate's opinion goes back to the owner, who confirms it.
        run.close(t, status, comment)
        owner = _owner_task(run, t)
        if owner is not None:
            run.put(replace(owner, status="pending"))
            run.started.append(owner.task_id)
            run.tell(owner.assignee, "approval_task", f"委派意见待确认：{run.request.title}", comment)
        run.note("delegate_answered", task_id=t.task_id, comment=comment, decision=status,
                 back_to=t.delegated_from)
        return
    run.close(t, status, comment)
    run.note(status, task_id=t.task_id, comment=comment, step=t.step_name)
    if status == "rejected" and run.step(t.step_id).veto:
        run.note("vetoed", task_id=t.task_id, comment=comment, step=t.step_name)
        run.reject_request()
        return
    run.settle()


def decide_in_batch(run: Run, task_id: str, decision: str, comment: str) -> None:
    """One task of a batch decision: only where the request's policy allows batches."""
    r = run.request
    if not r.policy.allow_batch:
        raise FailedPrecondition(
            f"the policy of approval {r.approval_id} asks for a decision one at a time",
            [Violation("approval", r.approval_id, "its policy does not allow batches")],
        )
    decide(run, task_id, decision, comment)


def send_back(run: Run, task_id: str, to: str, comment: str) -> None:
    t = run.held(task_id)
    run.close(t, "rejected", comment)
    run.send_back(to, by=run.actor, comment=comment)


def add_signers(run: Run, task_id: str, users: tuple[str, ...], placement: str, mode: str, comment: str) -> None:
    """加签: before (the holder waits for them), after (the holder approves
    now, they decide next) or alongside (both must answer)."""
    t = run.held(task_id)
    users = tuple(dict.fromkeys(u.strip() for u in users if u.strip()))
    if placement not in PLACEMENTS:
        raise InvalidArgument.field("placement", f"must be one of {', '.join(PLACEMENTS)}")
    if (mode or "all") not in ADDED_MODES:
        raise InvalidArgument.field("mode", f"must be one of {', '.join(ADDED_MODES)}")
    if not users:
        raise InvalidArgument.field("users", "name at least one user to add")
    if run.request.requested_by in users:
        raise InvalidArgument.field("users", "the requester is never their own approver")
    busy = {x.assignee for x in run.of_step(t.step_id) if x.is_open}
    if set(users) & (busy | {run.actor}):
        raise InvalidArgument.field("users", "already asked in this step: " + ", ".join(sorted(set(users) & busy)))
    group = run.new_id()
    for position, user in enumerate(users):
        run.new_task(t, assignee=user, status="waiting", position=position, group_id=group, slot_id=run.new_id(),
                     mode=mode or "all", placement=placement, added_by=t.task_id)
    run.note("signers_added", task_id=t.task_id, comment=comment, users=",".join(users), placement=placement,
             mode=mode or "all")
    if placement == "after":
        run.close(t, "approved", comment)
        run.note("approved", task_id=t.task_id, comment=comment, step=t.step_name)
    run.settle()


def remove_signer(run: Run, task_id: str, user: str, comment: str) -> None:
    """减签: an added signer not yet answered is taken off; the step's own
    approvers are the policy's and stay."""
    t = run.held(task_id, statuses=("pending", "waiting"))
    target = next(
        (x for x in run.of_step(t.step_id) if x.assignee == user.strip() and x.is_open and x.group_id), None
    )
    if target is None:
        raise InvalidArgument.field("target_user", "is not an added signer still to answer in this step")
    run.close(target, "cancelled")
    run.note("signer_removed", task_id=target.task_id, comment=comment, user=target.assignee)
    run.settle()


def transfer(run: Run, task_id: str, to: str, comment: str, *, action: str = "transferred") -> ApprovalTask:
    """转交: the new person owns the seat from now on."""
    t = run.held(task_id)
    to = _other_person(run, t, to)
    run.close(t, "transferred", comment)
    new = run.new_task(t, assignee=to, original_assignee=t.original_assignee or t.assignee, status="waiting")
    run.note(action, task_id=new.task_id, comment=comment, **{"from": t.assignee, "to": to})
    run.ask(new)
    return new


def delegate(run: Run, task_id: str, to: str, comment: str) -> None:
    """委派: the delegate answers, then the task comes back to its owner to confirm."""
    t = run.held(task_id)
    to = _other_person(run, t, to)
    run.ended.append(t.task_id)
    run.put(replace(t, status="delegated"))
    new = run.new_task(t, assignee=to, delegated_from=t.assignee, status="waiting")
    run.note("delegated", task_id=t.task_id, comment=comment, to=to)
    run.ask(new)


def confirm(run: Run, task_id: str, comment: str) -> None:
    """The owner adopts their delegate's opinion as their answer."""
    t = run.held(task_id)
    answered = [x for x in run.tasks.values() if x.slot_id == t.slot_id and x.delegated_from == t.assignee
                and x.status in ("approved", "rejected") and x.round == t.round]
    if not answered:
        raise FailedPrecondition(f"task {task_id} has no delegate's opinion to confirm",
                                 [Violation("approval_task", task_id, "no delegate has answered")])
    opinion = max(answered, key=lambda x: x.decided_at or run.now)
    run.note("confirmed", task_id=t.task_id, comment=comment, delegate=opinion.assignee, decision=opinion.status)
    decide(run, task_id, "approve" if opinion.status == "approved" else "reject",
           comment or f"{opinion.assignee}: {opinion.comment}")


def recall(run: Run, comment: str) -> None:
    """撤回 by the requester: while nothing is decided, or while pending if the policy says so."""
    r = run.request
    if run.actor != r.requested_by:
        raise PermissionDenied(f"only the requester {r.requested_by} may recall approval {r.approval_id}")
    if r.status not in ("pending", "returned"):
        raise not_pending(r, "recalling")
    # Answers before a send-back were to an earlier round: the resubmitted request is undecided again.
    answered = [t for t in run.tasks.values()
                if t.status in ("approved", "rejected") and t.delegated_from is None and t.round == r.round]
    if r.policy.recall_while == "undecided" and answered and r.status == "pending":
        raise FailedPrecondition(
            f"approval {r.approval_id} cannot be recalled: {answered[0].assignee} has already answered",
            [Violation("approval", r.approval_id, "an approver has already answered")],
        )
    run.finish("recalled", by=run.actor, comment=comment)
    run.note("recalled", comment=comment)
    run.emit("approval.recalled", subject_type=r.subject_type, subject_id=r.subject_id, by=run.actor, kind=r.kind,
             unlocked_fields=list(r.locked_fields))


def remind(run: Run, comment: str, every: timedelta = REMIND_EVERY) -> list[str]:
    """催办 by the requester: the approvers now asked are told, at most once per
    `every` per request (the refusal says when it may be asked again). Returns who was reminded."""
    requester_only(run)
    r = run.request
    if r.status != "pending":
        raise not_pending(r, "reminding")
    if r.last_reminded_at and run.now - r.last_reminded_at < every:
        next_at = r.last_reminded_at + every
        raise FailedPrecondition(
            f"approval {r.approval_id} was reminded at {r.last_reminded_at.isoformat()}; "
            f"remind again after {next_at.isoformat()}",
            [Violation("approval", r.approval_id, "was reminded too recently")],
        )
    reminded = sorted({t.assignee for t in run.live() if t.status == "pending"})
    for user in reminded:
        run.tell(user, "approval_reminder", f"催办：{r.title}", comment or f"{r.requested_by} 催办")
    run.note("reminded", comment=comment, users=",".join(reminded))
    run.request = replace(r, last_reminded_at=run.now)
    return reminded


def may_copy(run: Run, user: str) -> bool:
    """Who may copy someone in (抄送): the requester, or anyone who holds or held a task on the request."""
    return user == run.request.requested_by or any(t.assignee == user for t in run.tasks.values())


def copy_in(run: Run, users: Iterable[str], comment: str) -> list[str]:
    """抄送: read access and a notice, no task. Someone already copied is not
    told twice. Returns who was newly copied."""
    r = run.request
    if not may_copy(run, run.actor):
        raise PermissionDenied(f"only the requester or an approver of approval {r.approval_id} may copy someone in")
    added = [u for u in dict.fromkeys(u.strip() for u in users) if u and u not in r.cc_users]
    for user in added:
        run.note("copied", comment=comment, user=user)
        run.tell(user, "approval_copied", f"抄送：{r.title}", comment or f"{run.actor} 抄送给你")
    run.request = replace(r, cc_users=(*r.cc_users, *added))
    return added


def resubmit(run: Run, change: Resubmission, document: tuple[str, str, str] | None = None) -> None:
    """After a send-back to the requester: the same policy copy runs again from
    its first stage, in a new round, with what the requester changed (a
    discount, the impact scope, the title; `document`: a new version as
    (version id, sha256, document id))."""
    requester_only(run)
    r = run.request
    if r.status != "returned":
        raise FailedPrecondition(
            f"approval {r.approval_id} is {r.status}; only a request sent back to its requester is resubmitted",
            [Violation("approval", r.approval_id, f"is {r.status}, not returned")],
        )
    facts = dict(r.facts)
    if change.discount_percent:
        facts[fact_names.DISCOUNT] = str(change.discount_percent)
    impact = change.impact_scope.strip()
    if impact:
        facts[fact_names.IMPACT] = impact
    version_id, sha256, document_id = document or (r.document_version_id, r.document_sha256, r.document_id)
    run.request = replace(
        r, status="pending", round=r.round + 1, current_stage=0, decided_at=None, decided_by="",
        decision_comment="", title=change.title.strip() or r.title, facts=facts, impact_scope=impact or r.impact_scope,
        document_version_id=version_id, document_sha256=sha256, document_id=document_id,
    )
    run.note("resubmitted", comment=change.comment.strip(), document_version=run.request.document_version_id)
    run.emit("approval.requested", **requested_fields(run.request), resubmitted=True)
    run.stage_to_start = 0


def requested_fields(r: ApprovalRequest) -> dict[str, object]:
    """What approval.requested says of a request (submitted or resubmitted)."""
    return {
        "subject_type": r.subject_type, "subject_id": r.subject_id, "requested_by": r.requested_by,
        "document_version_id": r.document_version_id or "", "kind": r.kind, "policy_id": r.policy_id,
        "policy_version": r.policy_version, "title": r.title, "impact_scope": r.impact_scope,
        "amount_minor": r.amount_minor, "document_sha256": r.document_sha256, "locked_fields": list(r.locked_fields),
    }


def time_out(run: Run, task_id: str, outcome: str, targets: tuple[str, ...], note: str) -> None:
    """The SLA ran out on a task (reminders spent): escalate hands the seat to
    the target's people (any one of them answers), or the system answers."""
    t = run.tasks.get(task_id)
    if t is None or t.status != "pending" or run.request.status != "pending":
        return  # answered or ended meanwhile: nothing to do
    if outcome in ("auto_approve", "auto_reject"):
        decision = "approve" if outcome == "auto_approve" else "reject"
        run.note(f"auto_{DECISIONS[decision]}", task_id=task_id, comment=note, assignee=t.assignee)
        decide(run, task_id, decision, note)
        return
    people = [u for u in dict.fromkeys(targets) if u and u != run.request.requested_by and u != t.assignee]
    if outcome not in ("escalate", "auto_transfer") or not people:
        run.note("timed_out", task_id=task_id, comment=note or "no one to hand the task to", assignee=t.assignee)
        return
    run.close(replace(t, escalated=outcome == "escalate"), "transferred", note)
    for user in people if outcome == "escalate" else people[:1]:
        new = run.new_task(t, assignee=user, original_assignee=t.original_assignee or t.assignee, status="waiting",
                           escalated=outcome == "escalate")
        run.ask(new)
    if outcome == "escalate":
        run.note("escalated", task_id=task_id, comment=note, **{"from": t.assignee, "to": ",".join(people)})
        run.emit("approval.escalated", task_id=task_id, from_assignee=t.assignee, to_users=people, note=note,
                 kind=run.request.kind)
        run.tell(t.assignee, "approval_escalated", f"审批已超时升级：{run.request.title}",
                 f"{t.step_name}：已转交 {'、'.join(people)}")
    else:
        run.note("auto_transferred", task_id=task_id, comment=note, **{"from": t.assignee, "to": people[0]})


def document_changed(run: Run, document_id: str, new_version_id: str, new_sha256: str) -> None:
    """A newer version of the request's document: a pending request is
    voided, an approved one is stale (no gate accepts it)."""
    r = run.request
    about = {
        "subject_type": r.subject_type, "subject_id": r.subject_id, "kind": r.kind, "document_id": document_id,
        "approved_version_id": r.document_version_id or "", "approved_sha256": r.document_sha256,
        "new_version_id": new_version_id, "new_sha256": new_sha256,
    }
    if r.status in ("pending", "returned"):
        people = {t.assignee for t in run.tasks.values() if t.round == r.round and t.status != "skipped"}
        run.finish("voided", by=SYSTEM_USER, comment=f"document {document_id} has a newer version {new_version_id}")
        run.note("voided", actor=SYSTEM_USER, comment=run.request.decision_comment, old=r.document_version_id,
                 new=new_version_id)
        run.emit("approval.voided", unlocked_fields=list(r.locked_fields), **about)
        body = f"文件已更新：原版本 {r.document_version_id}，新版本 {new_version_id}"
        for person in sorted(people | {r.requested_by}):
            run.tell(person, "approval_voided", f"审批已作废：{r.title}", body)
    elif r.status == "approved" and not r.stale:
        run.request = replace(r, stale=True)
        run.note("stale", actor=SYSTEM_USER, old=r.document_version_id, new=new_version_id)
        run.emit("approval.stale", **about)
        run.tell(r.requested_by, "approval_stale", f"审批已过期（文件有新版本）：{r.title}", new_version_id)


def _owner_task(run: Run, delegate_task: ApprovalTask) -> ApprovalTask | None:
    return next((x for x in run.tasks.values() if x.slot_id == delegate_task.slot_id and x.status == "delegated"
                 and x.assignee == delegate_task.delegated_from and x.round == delegate_task.round), None)


def _other_person(run: Run, t: ApprovalTask, to: str) -> str:
    to = to.strip()
    if not to:
        raise InvalidArgument.field("target_user", "is required")
    if to == run.request.requested_by:
        raise InvalidArgument.field("target_user", "the requester is never their own approver")
    if to == t.assignee:
        raise InvalidArgument.field("target_user", "already holds this task")
    if any(x.assignee == to and x.is_open for x in run.of_step(t.step_id)):
        raise InvalidArgument.field("target_user", "already has a task in this step")
    return to


def requester_only(run: Run) -> None:
    """For a reader of the request who did not ask for it."""
    if run.actor != run.request.requested_by:
        raise PermissionDenied(f"only the requester {run.request.requested_by} may do this to approval "
                               f"{run.request.approval_id}")

