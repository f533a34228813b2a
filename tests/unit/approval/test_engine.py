"""The request engine without I/O: every mode, veto, send-back, 加签 / 减签,
转交, 委派, 撤回, the SLA outcomes and the void / stale of a request."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from approval.domain import actions
from approval.domain.approval import ApprovalRequest, Resubmission
from approval.domain.engine import Run, Seat, to_group
from approval.domain.policy import ApproverRule, Policy, Stage, Step
from crm_shared.business_calendar import BusinessCalendar
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in Shanghai
CAL = BusinessCalendar()


def step(step_id: str, mode: str = "all", **kw) -> Step:
    return Step(step_id=step_id, name=step_id, approvers=ApproverRule("user", step_id), mode=mode, **kw)


def policy(*stages: tuple[Step, ...], **kw) -> Policy:
    return Policy(
        policy_id="p-1", tenant_id="t", kind="quote", name="报价审批", version=1, position=0, criteria="",
        is_default=True, stages=tuple(Stage(f"s{i}", f"stage {i}", steps) for i, steps in enumerate(stages)), **kw,
    )


class World:
    """A request and its tasks, carried from one Run to the next as the handlers would."""

    def __init__(self, pol: Policy, seats: dict[str, list[str]]) -> None:
        self.seats = seats
        self.ids = (f"id-{n}" for n in itertools.count())
        self.now = NOW
        self.request = ApprovalRequest(
            approval_id="a-1", tenant_id="t", kind="quote", subject_type="opportunity", subject_id="o-1",
            title="报价", facts={}, impact_scope="", amount_minor=0, currency="CNY", document_version_id="v-1",
            document_sha256="a" * 64, policy=pol, status="pending", stale=False, current_stage=0, round=1,
            locked_fields=("amount",), requested_by="rep", requested_at=NOW, decided_at=None, decided_by="",
            decision_comment="", channel="web",
        )
        self.tasks: dict = {}
        self.events: list = []
        self.history: list = []
        self.act(SYSTEM, lambda run: None, start=0)

    def act(self, actor: str, do, start: int | None = None) -> Run:
        self.now += timedelta(minutes=30)
        run = Run(self.request, dict(self.tasks), self.now, lambda: next(self.ids), CAL, actor=actor)
        if start is not None:
            run.stage_to_start = start
        do(run)
        while run.stage_to_start is not None:
            stage = run.request.policy.stages[run.stage_to_start]
            run.start_stage(run.stage_to_start, {
                s.step_id: [Seat(u) for u in self.seats[s.step_id]] for s in stage.steps
            })
        self.request, self.tasks = run.request, run.tasks
        self.events += [e.type for e in run.events]
        self.history += run.history
        return run

    def task(self, user: str, status: str = "pending"):
        found = [t for t in self.tasks.values() if t.assignee == user and t.status == status
                 and t.round == self.request.round]
        assert found, f"{user} has no {status} task: {[(t.assignee, t.status) for t in self.tasks.values()]}"
        return found[-1]

    def decide(self, user: str, decision: str = "approve", comment: str = "") -> Run:
        return self.act(user, lambda run: actions.decide(run, self.task(user).task_id, decision, comment))

    def statuses(self) -> dict[str, str]:
        return {t.assignee: t.status for t in sorted(self.tasks.values(), key=lambda t: t.started_at)}


SYSTEM = "system"


def test_countersign_two_parallel_steps_both_must_approve_with_opinions_kept() -> None:
    w = World(policy((step("tech"), step("prod"))), {"tech": ["wang"], "prod": ["li"]})
    assert w.statuses() == {"wang": "pending", "li": "pending"}
    w.decide("wang", comment="工艺可行")
    assert w.request.status == "pending"
    run = w.decide("li", comment="产能可排")
    assert w.request.status == "approved"
    decided = next(e for e in run.events if e.type == "approval.decided")
    assert [(o["actor"], o["comment"]) for o in decided.fields["opinions"]] == [("wang", "工艺可行"), ("li", "产能可排")]
    assert w.events.count("approval.step_completed") == 2


def test_all_any_sequence_modes() -> None:
    w = World(policy((step("a", "any"),), (step("b", "sequence"),)), {"a": ["x", "y"], "b": ["p", "q"]})
    w.decide("y")
    assert w.statuses()["x"] == "cancelled" and w.request.current_stage == 1
    assert w.task("p").status == "pending" and w.task("q", "waiting")
    w.decide("p")
    assert w.task("q").status == "pending"
    w.decide("q")
    assert w.request.status == "approved"


def test_any_mode_first_answer_decides_even_a_rejection() -> None:
    w = World(policy((step("a", "any"),)), {"a": ["x", "y"]})
    w.decide("x", "reject", "不行")
    assert (w.request.status, w.request.decided_by, w.request.decision_comment) == ("rejected", "x", "不行")


def test_k_of_n_and_ratio() -> None:
    w = World(policy((step("a", "k_of_n", k=2),)), {"a": ["x", "y", "z"]})
    w.decide("x", "reject")
    assert w.request.status == "pending"
    w.decide("y")
    w.decide("z")
    assert w.request.status == "approved"
    w = World(policy((step("a", "k_of_n", k=2),)), {"a": ["x", "y", "z"]})
    w.decide("x", "reject")
    w.decide("y", "reject")  # only one seat left: 2 approvals can no longer be reached
    assert w.request.status == "rejected"
    w = World(policy((step("a", "ratio", ratio_percent=50),)), {"a": ["x", "y", "z", "u"]})
    w.decide("x")
    assert w.request.status == "pending"
    w.decide("u")
    assert w.request.status == "approved" and w.statuses()["y"] == "cancelled"


def test_veto_rejects_the_whole_request_at_once() -> None:
    w = World(policy((step("a", "k_of_n", k=1, veto=True), step("b"))), {"a": ["x", "y"], "b": ["z"]})
    w.decide("x", "reject", "一票否决")
    assert w.request.status == "rejected" and w.statuses() == {"x": "rejected", "y": "cancelled", "z": "cancelled"}


def test_without_veto_a_k_of_n_rejection_is_outvoted() -> None:
    w = World(policy((step("a", "k_of_n", k=1),)), {"a": ["x", "y"]})
    w.decide("x", "reject")
    w.decide("y")
    assert w.request.status == "approved"


def test_send_back_to_an_earlier_stage_then_approval() -> None:
    w = World(policy((step("a"),), (step("b"),)), {"a": ["x"], "b": ["y"]})
    w.decide("x")
    w.act("y", lambda run: actions.send_back(run, w.task("y").task_id, "s0", "请补充"))
    assert (w.request.status, w.request.current_stage, w.request.round) == ("pending", 0, 2)
    assert "approval.sent_back" in w.events
    w.decide("x")
    w.decide("y")
    assert w.request.status == "approved"


def test_a_step_that_sends_back_on_reject_returns_to_the_requester() -> None:
    w = World(policy((step("a", on_reject="send_back"),)), {"a": ["x"]})
    w.decide("x", "reject", "金额写错")
    assert w.request.status == "returned"
    with pytest.raises(InvalidArgument):
        w2 = World(policy((step("a"),), (step("b"),)), {"a": ["x"], "b": ["y"]})
        w2.act("x", lambda run: actions.send_back(run, w2.task("x").task_id, "s1", ""))  # not earlier


def test_add_signers_before_the_holder_waits_for_them() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    w.act("x", lambda run: actions.add_signers(run, w.task("x").task_id, ("e1",), "before", "all", "请专家先看"))
    assert w.statuses() == {"x": "waiting", "e1": "pending"}
    w.decide("e1")
    assert w.task("x").status == "pending" and w.request.status == "pending"
    w.decide("x")
    assert w.request.status == "approved"


def test_add_signers_after_the_holder_approves_and_they_decide_next() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    w.act("x", lambda run: actions.add_signers(run, w.task("x").task_id, ("e1", "e2"), "after", "any", "同意"))
    assert w.statuses() == {"x": "approved", "e1": "pending", "e2": "pending"}
    w.decide("e2")
    assert w.request.status == "approved"


def test_add_signers_refuses_the_requester_and_remove_signer_takes_one_off() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    with pytest.raises(InvalidArgument):
        w.act("x", lambda run: actions.add_signers(run, w.task("x").task_id, ("rep",), "after", "all", ""))
    w.act("x", lambda run: actions.add_signers(run, w.task("x").task_id, ("e1",), "before", "all", ""))
    w.act("x", lambda run: actions.remove_signer(run, w.task("x", "waiting").task_id, "e1", "不需要了"))
    assert w.statuses() == {"x": "pending", "e1": "cancelled"}


def test_transfer_gives_the_seat_away() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    mine = w.task("x").task_id
    w.act("x", lambda run: actions.transfer(run, mine, "y", "出差"))
    assert w.task("y").original_assignee == "x" and w.statuses()["x"] == "transferred"
    with pytest.raises(FailedPrecondition):
        w.act("x", lambda run: actions.decide(run, mine, "approve", ""))
    with pytest.raises(NotFound):
        w.act("z", lambda run: actions.decide(run, w.task("y").task_id, "approve", ""))
    w.decide("y")
    assert w.request.status == "approved"


def test_delegate_answers_and_the_owner_confirms() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    w.act("x", lambda run: actions.delegate(run, w.task("x").task_id, "y", "请评估"))
    assert w.statuses() == {"x": "delegated", "y": "pending"}
    w.decide("y", comment="建议同意")
    assert w.request.status == "pending" and w.task("x").status == "pending"
    w.act("x", lambda run: actions.confirm(run, w.task("x").task_id, ""))
    assert w.request.status == "approved" and w.request.decided_by == "x"


def test_recall_only_while_undecided_by_the_requester() -> None:
    w = World(policy((step("a"), step("b"))), {"a": ["x"], "b": ["y"]})
    with pytest.raises(PermissionDenied):
        w.act("x", lambda run: actions.recall(run, ""))
    w.decide("x")
    with pytest.raises(FailedPrecondition):
        w.act("rep", lambda run: actions.recall(run, ""))
    w = World(policy((step("a"),), recall_while="pending"), {"a": ["x", "y"]})
    w.decide("x")
    w.act("rep", lambda run: actions.recall(run, "撤回"))
    assert w.request.status == "recalled" and w.statuses()["y"] == "cancelled"


def test_skip_repeat_approvers() -> None:
    w = World(policy((step("a"),), (step("b"),), skip_repeat_approvers=True), {"a": ["x"], "b": ["x", "y"]})
    w.decide("x")
    assert w.statuses() == {"x": "skipped", "y": "pending"} or w.task("x", "skipped")
    w.decide("y")
    assert w.request.status == "approved"
    assert any(h.action == "skipped" for h in w.history)


def test_timeout_escalates_or_answers_for_the_approver() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    run = w.act(SYSTEM, lambda run: actions.time_out(run, w.task("x").task_id, "escalate", ("head",), "2 小时未处理"))
    assert w.task("head").original_assignee == "x" and w.task("head").escalated
    assert "approval.escalated" in w.events
    # The head is asked in their app; the one who let it sit hears of it, and so does the tenant's group, once.
    told = [(n.recipient, n.kind, group) for n, group in zip(run.notices, to_group(run.notices), strict=True)]
    assert ("head", "approval_task", False) in told and ("x", "approval_escalated", True) in told
    w.act(SYSTEM, lambda run: actions.time_out(run, w.task("head").task_id, "auto_approve", (), "超时自动通过"))
    assert (w.request.status, w.request.decided_by) == ("approved", "system")


def test_a_new_document_version_voids_a_pending_request_and_stales_an_approved_one() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    run = w.act(SYSTEM, lambda run: actions.document_changed(run, "d-1", "v-2", "b" * 64))
    assert w.request.status == "voided" and w.statuses() == {"x": "cancelled"}
    voided = next(e for e in run.events if e.type == "approval.voided")
    assert (voided.fields["approved_version_id"], voided.fields["new_version_id"]) == ("v-1", "v-2")
    assert {n.recipient for n in run.notices} == {"rep", "x"}
    assert to_group(run.notices).count(True) == 1  # the group hears of a void once, not once per person
    w = World(policy((step("a"),)), {"a": ["x"]})
    w.decide("x")
    w.act(SYSTEM, lambda run: actions.document_changed(run, "d-1", "v-2", "b" * 64))
    assert (w.request.status, w.request.stale) == ("approved", True) and "approval.stale" in w.events


def test_dwell_is_counted_in_wall_clock_and_working_time() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    w.decide("x")
    t = w.task("x", "approved")
    assert t.dwell_seconds == 1800 and t.dwell_working_seconds == 1800


def test_a_task_is_not_handed_to_the_requester_or_to_someone_already_asked_in_the_step() -> None:
    w = World(policy((step("a"),)), {"a": ["x", "y"]})
    for target in ("rep", "y", ""):
        with pytest.raises(InvalidArgument):
            w.act("x", lambda run, target=target: actions.transfer(run, w.task("x").task_id, target, ""))
    with pytest.raises(InvalidArgument):
        w.act("x", lambda run: actions.delegate(run, w.task("x").task_id, "rep", ""))
    assert w.statuses() == {"x": "pending", "y": "pending"}


def test_a_step_of_added_signers_only_completes_when_they_answer_and_one_rejection_in_all_rejects() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    w.act("x", lambda run: actions.add_signers(run, w.task("x").task_id, ("e1", "e2"), "alongside", "all", ""))
    w.decide("x")
    assert w.request.status == "pending"
    w.decide("e1")
    w.decide("e2", "reject", "不同意")
    assert (w.request.status, w.request.decided_by) == ("rejected", "e2")


def test_remind_is_the_requesters_at_most_once_per_interval_to_whoever_is_asked_now() -> None:
    w = World(policy((step("a"), step("b"))), {"a": ["x"], "b": ["y"]})
    every = timedelta(hours=1)
    with pytest.raises(PermissionDenied):
        w.act("x", lambda run: actions.remind(run, "", every))
    first = w.act("rep", lambda run: actions.remind(run, "客户在等", every))
    assert sorted(n.recipient for n in first.notices) == ["x", "y"]
    assert w.request.last_reminded_at == first.now
    with pytest.raises(FailedPrecondition, match=re.escape(f"remind again after {(first.now + every).isoformat()}")):
        w.act("rep", lambda run: actions.remind(run, "", every))  # 30 minutes later
    assert w.request.last_reminded_at == first.now  # the refusal changed nothing
    w.decide("x")
    assert w.act("rep", lambda run: actions.remind(run, "", every)).notices[0].recipient == "y"  # an hour on
    w.decide("y")
    with pytest.raises(FailedPrecondition, match="is approved"):
        w.act("rep", lambda run: actions.remind(run, "", timedelta(0)))


def test_who_may_copy_someone_in_and_nobody_is_copied_twice() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    run = w.act("rep", lambda run: actions.copy_in(run, (" li ", "li", "wang"), "请知悉"))
    assert w.request.cc_users == ("li", "wang") and [n.recipient for n in run.notices] == ["li", "wang"]
    again = w.act("x", lambda run: actions.copy_in(run, ("wang", "zhou"), ""))  # an approver may too
    assert w.request.cc_users == ("li", "wang", "zhou") and [n.recipient for n in again.notices] == ["zhou"]
    with pytest.raises(PermissionDenied):
        w.act("li", lambda run: actions.copy_in(run, ("chen",), ""))  # a copied reader may not
    assert w.request.cc_users == ("li", "wang", "zhou")


def test_only_a_request_sent_back_to_its_requester_is_resubmitted_in_a_new_round() -> None:
    w = World(policy((step("a"),)), {"a": ["x"]})
    change = Resubmission(comment="已改", discount_percent=8, impact_scope="影响交付")
    with pytest.raises(FailedPrecondition, match="is pending"):
        w.act("rep", lambda run: actions.resubmit(run, change))
    w.act("x", lambda run: actions.send_back(run, w.task("x").task_id, "requester", "请补充"))
    with pytest.raises(PermissionDenied):
        w.act("x", lambda run: actions.resubmit(run, change))
    w.act("rep", lambda run: actions.resubmit(run, change, ("v-2", "b" * 64, "d-1")))
    r = w.request
    assert (r.status, r.round, r.current_stage, r.impact_scope) == ("pending", 3, 0, "影响交付")
    assert (r.facts["折扣"], r.document_version_id, r.document_sha256) == ("8", "v-2", "b" * 64)
    assert w.task("x").round == 3 and w.events[-2:] == ["approval.requested", "approval.task_assigned"]


def test_a_batch_decision_only_where_the_policy_allows_batches() -> None:
    one_by_one = World(policy((step("a"),), allow_batch=False), {"a": ["x"]})
    with pytest.raises(FailedPrecondition, match="one at a time"):
        one_by_one.act("x", lambda run: actions.decide_in_batch(run, one_by_one.task("x").task_id, "approve", ""))
    assert one_by_one.statuses() == {"x": "pending"}
    batched = World(policy((step("a"),)), {"a": ["x"]})
    batched.act("x", lambda run: actions.decide_in_batch(run, batched.task("x").task_id, "approve", ""))
    assert batched.request.status == "approved"


def test_a_task_records_whether_it_was_decided_overdue() -> None:
    w = World(policy((step("a"), step("b"))), {"a": ["x"], "b": ["y"]})
    for user, due in (("x", w.now + timedelta(minutes=30)), ("y", w.now + timedelta(minutes=61))):
        t = w.task(user)
        w.tasks[t.task_id] = replace(t, due_at=due)
    w.decide("x")  # 30 minutes on (each action is): its deadline has come
    w.decide("y")  # 60 minutes on: a minute before its deadline
    assert {t.assignee: t.late for t in w.tasks.values()} == {"x": True, "y": False}
