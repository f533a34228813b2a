"""The engine's use cases on fakes: a request is checked against its
subject's access and document, stored with its first tasks, timed and
announced; an action is written under the request's row version and run
again when another committed first; refusals change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from approval.adapters.documents import VersionInfo
from approval.domain.approval import ApprovalRequest, Submission
from approval.domain.organisation import Delegation
from approval.domain.policy import ApproverRule, Policy, SlaRule, Stage, Step
from approval.service_layer.actions import ActionHandlers, TaskAction
from approval.service_layer.policies import PolicyHandlers
from approval.service_layer.requests import RequestHandlers
from approval.service_layer.running import Engine
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from crm_shared.testing import DEFAULT_NOW, FakeSubjectAccess, FakeUnitOfWork

REP = Caller("t-1", "rep-1", "rep")
MANAGER = Caller("t-1", "mgr-1", "manager")
POLICY = Policy(
    policy_id="p-1", tenant_id="t-1", kind="quote", name="报价审批", version=3, position=0, criteria="",
    is_default=True, locked_fields=("amount",),
    stages=(Stage("s1", "主管", (Step("a", "主管审批", ApproverRule("user", "mgr-1"),
                                      sla=(SlaRule(impact="", working_minutes=60),)),)),),
)


class FakeApprovals:
    """The request rows with their row version, tasks and history, as the repository keeps them."""

    def __init__(self) -> None:
        self.requests: dict[str, ApprovalRequest] = {}
        self.tasks: dict[str, object] = {}
        self.history: list = []
        self.lose_next_save = False  # another action commits between our read and our write

    async def add(self, r: ApprovalRequest) -> bool:
        if any(p.status == "pending" and (p.subject_id, p.kind) == (r.subject_id, r.kind)
               for p in self.requests.values()):
            return False
        self.requests[r.approval_id] = r
        return True

    async def get(self, tenant_id: str, approval_id: str):
        r = self.requests.get(approval_id)
        return r if r and r.tenant_id == tenant_id else None

    async def pending_for(self, tenant_id, subject_type, subject_id, kind):
        return next((r for r in self.requests.values() if r.status == "pending" and r.subject_id == subject_id
                     and r.kind == kind), None)

    async def tasks_of(self, tenant_id, approval_id):
        return [t for t in self.tasks.values() if t.approval_id == approval_id]

    async def task(self, tenant_id, task_id):
        return self.tasks.get(task_id)

    async def holds_place(self, tenant_id, approval_id, user_id):
        return any(t.assignee == user_id for t in await self.tasks_of(tenant_id, approval_id))

    async def history_of(self, tenant_id, approval_id):
        return [h for h in self.history if h.approval_id == approval_id]

    async def add_tasks(self, tasks) -> None:
        self.tasks.update({t.task_id: t for t in tasks})

    async def add_history(self, entry) -> None:
        self.history.append(entry)

    async def save(self, request, before, tasks, new_ids, history) -> bool:
        if self.lose_next_save:
            self.lose_next_save = False
            current = self.requests[request.approval_id]
            self.requests[request.approval_id] = replace(current, version=current.version + 1)
            return False
        if self.requests[request.approval_id].version != before:
            return False
        self.requests[request.approval_id] = request
        await self.add_tasks(tasks)
        self.history.extend(history)
        return True


class FakePolicies:
    async def of_kind(self, tenant_id: str, kind: str) -> list[Policy]:
        return [POLICY] if kind == "quote" else []


class FakeDelegations:
    """Windows covering now, by the approver who is away; `reads` counts the users asked about."""

    def __init__(self) -> None:
        self.windows: dict[str, Delegation] = {}
        self.reads: list[str] = []

    def away(self, user: str, deputy: str) -> None:
        now = DEFAULT_NOW
        self.windows[user] = Delegation(f"d-{user}", "t-1", user, deputy, now - timedelta(hours=1),
                                        now + timedelta(days=1), "出差", "admin", now)

    async def covering(self, tenant_id, users, now):
        self.reads += users
        return {u: self.windows[u] for u in users if u in self.windows}


class FakeTimers:
    def __init__(self) -> None:
        self.armed: dict[str, datetime] = {}

    async def schedule(self, tenant_id, approval_id, task_id, due_at) -> None:
        self.armed[task_id] = due_at

    async def cancel_for_task(self, tenant_id, task_id) -> None:
        self.armed.pop(task_id, None)


class FakeFacts:
    async def collect(self, caller, kind, subject_type, subject_id, given):
        return {"amount_minor": 12_000_000, "金额": 120_000.0, "币种": "CNY", "影响范围": given.get("impact_scope", "")}

    async def with_averages(self, tenant_id, subject, given):
        return await self.collect(None, "", "", "", given)


class FakeDocuments:
    async def version_of(self, tenant_id: str, version_id: str):
        return {"v-1": VersionInfo("d-1", "opportunity", "opp-1", "opp-1", "a" * 64)}.get(version_id)


@pytest.fixture
def world():
    approvals, timers = FakeApprovals(), FakeTimers()
    uow = FakeUnitOfWork(approvals=approvals, policies=FakePolicies(), delegations=FakeDelegations(), timers=timers)
    access = FakeSubjectAccess()
    access.allow(REP, "opp-1")
    engine = Engine(lambda: uow)
    requests = RequestHandlers(engine, access, FakeDocuments(), FakeFacts())
    return requests, ActionHandlers(engine), uow, approvals, timers


def ask(**kw) -> Submission:
    return Submission(**({"kind": "quote", "subject_type": "opportunity", "subject_id": " opp-1 ",
                          "title": "折扣 12%"} | kw))


async def test_a_request_is_stored_with_its_first_task_timed_and_announced(world) -> None:
    requests, _, uow, approvals, timers = world
    r = await requests.submit(REP, ask(document_version_id="v-1", impact_scope="影响交付"))
    assert (r.status, r.subject_id, r.policy_version, r.amount_minor, r.document_sha256, r.document_id) == (
        "pending", "opp-1", 3, 12_000_000, "a" * 64, "d-1")
    assert r.locked_fields == ("amount",) and r.impact_scope == "影响交付"
    [task] = approvals.tasks.values()
    assert (task.assignee, task.status) == ("mgr-1", "pending")
    assert timers.armed == {task.task_id: task.due_at} and task.due_at is not None
    types = [e[0] for e in uow.published]
    assert types[:2] == ["approval.requested", "approval.task_assigned"] and "notification.requested" in types
    assert uow.committed


async def test_a_request_without_a_title_is_named_by_its_kind(world) -> None:
    requests, *_ = world
    r = await requests.submit(REP, ask(title="  "))
    assert r.title == "报价审批"


async def test_an_overlong_id_of_an_action_is_refused_naming_its_field(world) -> None:
    _, actions, *_ = world
    with pytest.raises(InvalidArgument, match="send_back_to"):
        await actions.act(MANAGER, TaskAction(task_id="t", action="send_back", send_back_to="s" * 65))


async def test_refusals_change_nothing(world) -> None:
    requests, _, uow, approvals, _ = world
    with pytest.raises(InvalidArgument):
        await requests.submit(REP, ask(document_version_id="v-2"))
    with pytest.raises(InvalidArgument):
        await requests.submit(REP, ask(document_version_id="v-1", document_sha256="b" * 64))
    with pytest.raises(NotFound):
        await requests.submit(Caller("t-1", "rep-2", "rep"), ask())
    with pytest.raises(PermissionDenied):
        await requests.submit(Caller("t-1", "fin-1", "finance"), ask())
    assert not approvals.requests and not uow.published
    first = await requests.submit(REP, ask())
    with pytest.raises(FailedPrecondition, match=first.approval_id):
        await requests.submit(REP, ask())


async def test_an_action_another_committed_before_is_run_again_on_what_it_wrote(world) -> None:
    requests, task_actions, uow, approvals, timers = world
    r = await requests.submit(REP, ask())
    [task] = approvals.tasks.values()
    approvals.lose_next_save = True
    acted = await task_actions.act(MANAGER, TaskAction(task.task_id, "approve", comment="同意"))
    assert (acted.request.status, acted.request.version) == ("approved", r.version + 2)
    assert timers.armed == {}
    assert [e[0] for e in uow.published].count("approval.decided") == 1
    with pytest.raises(FailedPrecondition):
        await task_actions.act(MANAGER, TaskAction(task.task_id, "reject"))
    with pytest.raises(NotFound):
        await task_actions.act(REP, TaskAction(task.task_id, "approve"))
    with pytest.raises(InvalidArgument):
        await task_actions.act(MANAGER, TaskAction(task.task_id, "shrug"))


async def test_who_reads_a_request_its_subjects_readers_and_those_with_a_place_on_it(world) -> None:
    requests, _, _, _, _ = world
    r = await requests.submit(REP, ask())
    assert (await requests.get(MANAGER, r.approval_id)).tasks[0].assignee == "mgr-1"  # holds its task
    with pytest.raises(NotFound):
        await requests.get(Caller("t-1", "rep-2", "rep"), r.approval_id)
    with pytest.raises(NotFound):
        await requests.get(Caller("t-2", "mgr-1", "manager"), r.approval_id)
    with pytest.raises(PermissionDenied):
        await requests.get(Caller("t-1", "p-1", "partner"), r.approval_id)



async def who_the_dry_run_names(uow) -> list[tuple[str, str]]:
    policies = PolicyHandlers(lambda: uow, FakeFacts(), FakeSubjectAccess())
    run = await policies.dry_run(Caller("t-1", "admin", "admin"), "quote", {}, requester_id=REP.user_id)
    [step] = run.steps
    return list(step.approvers)


async def test_the_dry_run_names_whom_the_real_run_asks_never_the_requester(world) -> None:
    """mgr-1 is away and names the requester as deputy: the real run leaves the
    task with mgr-1, and so does the dry run (it used to show the requester)."""
    requests, _, uow, approvals, _ = world
    uow.delegations.away("mgr-1", REP.user_id)
    assert await who_the_dry_run_names(uow) == [("mgr-1", "")]
    await requests.submit(REP, ask())
    [task] = approvals.tasks.values()
    assert (task.assignee, task.original_assignee) == ("mgr-1", None)


async def test_a_deputy_chain_is_walked_once_and_named_alike_by_the_dry_run(world) -> None:
    requests, _, uow, approvals, _ = world
    uow.delegations.away("mgr-1", "mgr-2")
    uow.delegations.away("mgr-2", "mgr-3")
    assert await who_the_dry_run_names(uow) == [("mgr-3", "mgr-1")]
    uow.delegations.reads.clear()
    await requests.submit(REP, ask())
    assert uow.delegations.reads == ["mgr-1", "mgr-2", "mgr-3"]  # each on the chain read once
    [task] = approvals.tasks.values()
    assert (task.assignee, task.original_assignee) == ("mgr-3", "mgr-1")
