"""How a step's approvers decide: the modes, one group at a time.

A step's own approvers form one group (decided by the step's mode); signers
added with 加签 form groups of their own (decided by the mode they were
added with). A group is made of slots, one seat each: a transfer, an
escalation or a delegation changes who sits in the slot, not how many there
are. Pure functions over the tasks."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from approval.domain.approval import ApprovalTask
from approval.domain.policy import Step

APPROVED, REJECTED, OPEN, GONE = "approved", "rejected", "open", "gone"


def slot_state(tasks: Iterable[ApprovalTask]) -> str:
    """A delegate's task gives an opinion, not the answer: it is not counted."""
    counted = [t for t in tasks if t.delegated_from is None]
    if any(t.status in ("approved", "skipped") for t in counted):
        return APPROVED
    if any(t.status == "rejected" for t in counted):
        return REJECTED
    if counted and all(t.status == "cancelled" for t in counted):
        return GONE
    return OPEN


def needed(mode: str, n: int, k: int = 0, ratio_percent: int = 0) -> int:
    """How many approvals a group of n seats needs."""
    if mode == "k_of_n":
        return max(1, min(k, n))
    if mode == "ratio":
        return max(1, min(n, math.ceil(n * ratio_percent / 100)))
    if mode == "any":
        return 1
    return n  # all, sequence


def group_state(mode: str, states: list[str], k: int = 0, ratio_percent: int = 0) -> str:
    live = [s for s in states if s != GONE]
    if not live:
        return APPROVED  # every seat removed (减签): nothing left to ask
    approved, rejected = live.count(APPROVED), live.count(REJECTED)
    if mode == "any":
        # 或签: the first answer decides, approve or reject.
        return APPROVED if approved else REJECTED if rejected else OPEN
    need = needed(mode, len(live), k, ratio_percent)
    if approved >= need:
        return APPROVED
    if rejected > len(live) - need:
        return REJECTED  # enough have rejected that the rest cannot reach the quorum
    return OPEN


@dataclass(frozen=True)
class Group:
    group_id: str
    mode: str
    placement: str
    added_by: str | None
    slots: tuple[tuple[str, tuple[ApprovalTask, ...]], ...]  # (slot id, its tasks), by position

    def state(self, step: Step) -> str:
        states = [slot_state(tasks) for _, tasks in self.slots]
        if self.group_id == "":
            return group_state(step.mode, states, step.k, step.ratio_percent)
        return group_state(self.mode, states)


def groups_of(step_tasks: Iterable[ApprovalTask]) -> list[Group]:
    by_group: dict[str, dict[str, list[ApprovalTask]]] = {}
    first: dict[str, ApprovalTask] = {}
    for t in sorted(step_tasks, key=lambda t: (t.position, t.started_at, t.task_id)):
        by_group.setdefault(t.group_id, {}).setdefault(t.slot_id, []).append(t)
        first.setdefault(t.group_id, t)
    return [
        Group(
            group_id=g,
            mode=first[g].mode,
            placement=first[g].placement,
            added_by=first[g].added_by,
            slots=tuple((slot, tuple(tasks)) for slot, tasks in slots.items()),
        )
        for g, slots in by_group.items()
    ]


def step_state(step: Step, step_tasks: Iterable[ApprovalTask]) -> str:
    """Approved when every group is; rejected when any group is."""
    states = [g.state(step) for g in groups_of(step_tasks)]
    if REJECTED in states:
        return REJECTED
    if all(s == APPROVED for s in states):
        return APPROVED
    return OPEN


def to_activate(step: Step, step_tasks: list[ApprovalTask]) -> tuple[set[str], set[str]]:
    """(task ids that should be pending, task ids that should wait) among the
    open tasks of an open step: in a sequence only the first open seat is
    asked; an approver who added signers before them waits for those."""
    groups = groups_of(step_tasks)
    blocked = {g.added_by for g in groups if g.placement == "before" and g.state(step) == OPEN}
    active: set[str] = set()
    waiting: set[str] = set()
    for g in groups:
        if g.state(step) != OPEN:
            continue
        mode = step.mode if g.group_id == "" else g.mode
        first_open_seen = False
        for _, tasks in g.slots:
            if slot_state(tasks) != OPEN:
                continue
            for t in tasks:
                if t.status not in ("waiting", "pending"):
                    continue  # a delegated owner waits for their delegate's opinion
                ask = not (mode == "sequence" and first_open_seen) and t.task_id not in blocked
                (active if ask else waiting).add(t.task_id)
            first_open_seen = True
    return active, waiting
