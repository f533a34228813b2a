"""The request engine through the gateway, as the customers' users would
use it: policies and departments written by admin over REST, requests by
the rep, every action by the holder of the task (real gateway, approval,
opportunity, document-versioning, lead-routing; real NATS and databases).

Seed 000's cross-functional review (技术部 and 生产部 in parallel, all must
approve, opinions kept); 加签 before and after, 转交, 委派 and its
confirmation; 退回 to an earlier stage then approval, to the requester then
resubmitted; 撤回; 催办 rate-limited; 一票否决; k of n; a batch decision;
a partner and another tenant see nothing."""

from __future__ import annotations

from tests.integration.gateway.conftest import gateway_db, lead_routing, make_gateway  # noqa: F401 (fixtures)
from tests.integration.gateway.test_gateway import is_problem
from tests.integration.gateway.test_other_backends import (  # noqa: F401 (fixtures)
    Stack,
    create_opportunity,
    document,
    stack,
)


async def policy(s: Stack, kind: str, *stages: list[dict], **spec) -> dict:
    body = {"kind": kind, "name": f"{kind} 审批", "is_default": True,
            "stages": [{"stage_id": f"s{i + 1}", "name": f"第{i + 1}级", "steps": steps} for i, steps in enumerate(stages)]}
    reply = await s.post("admin", "/v1/approval-policies", body | spec)
    assert reply.status_code == 201, reply.text
    return reply.json()["policy"]


def user_step(step_id: str, user: str, **kw) -> dict:
    return {"step_id": step_id, "name": step_id, "approvers": {"kind": "user", "value": user}} | kw


def department_step(step_id: str, department_id: str, **kw) -> dict:
    return {"step_id": step_id, "name": step_id,
            "approvers": {"kind": "department_members", "value": department_id}} | kw


async def department(s: Stack, name: str, head: str, *members: str) -> str:
    reply = await s.post("admin", "/v1/departments", {
        "name": name, "head_id": head, "members": [{"user_id": m} for m in (head, *members)]})
    assert reply.status_code == 201, reply.text
    return reply.json()["department"]["department_id"]


async def submit(s: Stack, kind: str, user: str = "zhangwei", **fields) -> dict:
    opp = fields.pop("subject_id", None) or await create_opportunity(s)
    reply = await s.post(user, "/v1/approvals", {"kind": kind, "subject_type": "opportunity", "subject_id": opp,
                                                 "reason": "二期产线改造 报价", "channel": "mobile"} | fields)
    assert reply.status_code == 201, reply.text
    return reply.json()["approval"]


async def detail(s: Stack, approval_id: str, user: str = "zhangwei") -> dict:
    reply = await s.get(user, f"/v1/approvals/{approval_id}")
    assert reply.status_code == 200, reply.text
    return reply.json()


async def task(s: Stack, approval_id: str, user: str, status: str = "pending") -> str:
    tasks = (await detail(s, approval_id))["tasks"]
    found = [t["task_id"] for t in tasks if t["assignee"] == user and t["status"] == status]
    assert found, [(t["assignee"], t["status"]) for t in tasks]
    return found[-1]


async def act(s: Stack, approval_id: str, user: str, action: str = "approve", status: int = 200, **body) -> dict:
    reply = await s.post(user, f"/v1/approval-tasks/{await task(s, approval_id, user)}/{action}", body)
    assert reply.status_code == status, reply.text
    return reply.json()


def statuses(d: dict) -> list[tuple[str, str]]:
    return [(t["assignee"], t["status"]) for t in d["tasks"]]


async def test_cross_functional_review_all_must_approve_with_opinions_kept(stack: Stack) -> None:  # noqa: F811
    s = stack
    tech = await department(s, "技术部", "chenjing")
    prod = await department(s, "生产部", "zhoumin")
    await policy(s, "technical_proposal", [department_step("技术评审", tech), department_step("生产评审", prod)])
    a = await submit(s, "technical_proposal")
    approval_id = a["approval_id"]
    assert (a["status"], a["kind"], a["channel"]) == ("pending", "technical_proposal", "mobile")
    assert sorted(statuses(await detail(s, approval_id))) == [("chenjing", "pending"), ("zhoumin", "pending")]

    done = await act(s, approval_id, "chenjing", comment="工艺可行，注意模具交期")
    assert done["approval"]["status"] == "pending"
    done = await act(s, approval_id, "zhoumin", comment="产能可排，45 天交付")
    assert (done["approval"]["status"], done["approval"]["decided_by"]) == ("approved", "zhoumin")
    d = await detail(s, approval_id)
    opinions = {(h["actor"], h["comment"]) for h in d["history"] if h["action"] == "approved"}
    assert opinions == {("chenjing", "工艺可行，注意模具交期"), ("zhoumin", "产能可排，45 天交付")}
    assert [h["action"] for h in d["history"]].count("step_completed") == 2
    assert all(t["decided_at"] and t["department_id"] in (tech, prod) for t in d["tasks"])

    # A partner and another tenant see nothing of it; a colleague who may not see the opportunity neither.
    is_problem(await s.get("zhaolei", f"/v1/approvals/{approval_id}"), 403)
    is_problem(await s.get("other-rep", f"/v1/approvals/{approval_id}"), 404)
    is_problem(await s.get("lina", f"/v1/approvals/{approval_id}"), 404)
    is_problem(await s.post("zhaolei", "/v1/approval-tasks/x/approve", {}), 403)
    for user in ("other-rep", "lina"):
        is_problem(await s.post(user, f"/v1/approval-tasks/{d['tasks'][0]['task_id']}/approve", {}), 404)


async def test_add_signers_transfer_delegate_and_confirm(stack: Stack) -> None:  # noqa: F811
    s = stack
    await policy(s, "quote", [user_step("主管", "wangqiang")], [user_step("财务", "liufang")])
    approval_id = (await submit(s, "quote"))["approval_id"]
    # 加签 before: the manager waits for chenjing's opinion first.
    await act(s, approval_id, "wangqiang", "add-signers", users=["chenjing"], placement="before", comment="请技术先看")
    assert ("wangqiang", "waiting") in statuses(await detail(s, approval_id))
    await act(s, approval_id, "chenjing", comment="技术可行")
    # 加签 after: the manager approves now, zhoumin decides next.
    await act(s, approval_id, "wangqiang", "add-signers", users=["zhoumin"], placement="after", comment="同意")
    await act(s, approval_id, "zhoumin", comment="同意")
    # Stage 2: 转交 to admin, who 委派 chenjing, then confirms the opinion.
    await act(s, approval_id, "liufang", "transfer", target_user="admin", comment="出差，转交")
    admin_task = await task(s, approval_id, "admin")
    assert next(t for t in (await detail(s, approval_id))["tasks"]
                if t["task_id"] == admin_task)["original_assignee"] == "liufang"
    await act(s, approval_id, "admin", "delegate", target_user="chenjing")
    assert ("admin", "delegated") in statuses(await detail(s, approval_id))
    await act(s, approval_id, "chenjing", comment="回款条件可接受")
    done = await act(s, approval_id, "admin", "confirm")
    assert (done["approval"]["status"], done["approval"]["decided_by"]) == ("approved", "admin")
    actions = [h["action"] for h in (await detail(s, approval_id))["history"]]
    for expected in ("signers_added", "transferred", "delegated", "delegate_answered", "confirmed", "decided"):
        assert expected in actions
    # A requester may not add themselves; bad input names its field and changes nothing.
    other = (await submit(s, "quote"))["approval_id"]
    bad = await s.post("wangqiang", f"/v1/approval-tasks/{await task(s, other, 'wangqiang')}/add-signers",
                       {"users": ["zhangwei"], "placement": "before"})
    assert [e["field"] for e in is_problem(bad, 400)["errors"]] == ["users"]
    bad = await s.post("wangqiang", f"/v1/approval-tasks/{await task(s, other, 'wangqiang')}/add-signers",
                       {"users": ["chenjing"], "placement": "somewhere"})
    assert [e["field"] for e in is_problem(bad, 422)["errors"]] == ["placement"]
    assert statuses(await detail(s, other)) == [("wangqiang", "pending")]


async def test_send_back_recall_remind_and_resubmit(stack: Stack) -> None:  # noqa: F811
    s = stack
    await policy(s, "quote", [user_step("主管", "wangqiang")], [user_step("财务", "liufang")])
    # 退回 to the first stage, then approved in both.
    sent = (await submit(s, "quote"))["approval_id"]
    await act(s, sent, "wangqiang")
    await act(s, sent, "liufang", "send-back", send_back_to="s1", comment="请主管复核回款节点")
    assert (await detail(s, sent))["approval"]["current_stage"] == 0
    await act(s, sent, "wangqiang", comment="已复核")
    assert (await act(s, sent, "liufang"))["approval"]["status"] == "approved"
    # 退回 to the requester, resubmitted, asked again.
    back = (await submit(s, "quote"))["approval_id"]
    await act(s, back, "wangqiang", "send-back", send_back_to="requester", comment="折扣写错了")
    assert (await detail(s, back))["approval"]["status"] == "returned"
    again = await s.post("zhangwei", f"/v1/approvals/{back}/resubmit", {"comment": "已改", "discount_percent": 8})
    assert again.status_code == 200, again.text
    assert again.json()["approval"]["status"] == "pending"
    assert await task(s, back, "wangqiang")
    # 催办: once, then refused until the interval has passed.
    reminded = await s.post("zhangwei", f"/v1/approvals/{back}/remind", {"comment": "客户在等"})
    assert (reminded.status_code, reminded.json()["reminded"]) == (200, ["wangqiang"])
    too_soon = await s.post("zhangwei", f"/v1/approvals/{back}/remind", {})
    assert "remind again after" in is_problem(too_soon, 409)["detail"]
    is_problem(await s.post("wangqiang", f"/v1/approvals/{back}/remind", {}), 403)  # only the requester
    # Comments, with a document of the same opportunity attached (not another's).
    opp = (await detail(s, back))["approval"]["subject_id"]
    mine = await s.post("zhangwei", "/v1/documents/versions", document(opp, "补充说明"))
    theirs = await s.post("zhangwei", "/v1/documents/versions", document(await create_opportunity(s), "别的"))
    said = await s.post("wangqiang", f"/v1/approvals/{back}/comments", {
        "comment": "请附上成本表", "attachment_version_ids": [mine.json()["version"]["version_id"]]})
    assert said.status_code == 201, said.text
    assert said.json()["entry"]["actor"] == "wangqiang"
    wrong = await s.post("zhangwei", f"/v1/approvals/{back}/comments", {
        "comment": "附件", "attachment_version_ids": [theirs.json()["version"]["version_id"]]})
    assert [e["field"] for e in is_problem(wrong, 400)["errors"]] == ["attachment_version_ids"]
    # 撤回 while nothing is decided; afterwards nothing can be done to it.
    recalled = await s.post("zhangwei", f"/v1/approvals/{back}/recall", {"comment": "客户改需求"})
    assert recalled.json()["approval"]["status"] == "recalled", recalled.text
    is_problem(await s.post("zhangwei", f"/v1/approvals/{back}/remind", {}), 409)
    assert statuses(await detail(s, back))[-1] == ("wangqiang", "cancelled")
    # Not once an approver has answered (the policy's recall_while is "undecided").
    is_problem(await s.post("zhangwei", f"/v1/approvals/{sent}/recall", {}), 409)


async def test_veto_k_of_n_and_a_batch_decision(stack: Stack) -> None:  # noqa: F811
    s = stack
    board = await department(s, "评审组", "chenjing", "zhoumin", "liufang")
    await policy(s, "discount", [department_step("评审", board, mode="k_of_n", k=2)])
    await policy(s, "payment_exception", [department_step("风控", board, mode="k_of_n", k=1, veto=True)],
                 allow_batch=False)
    # k of n: one rejection is outvoted by two approvals.
    k = (await submit(s, "discount", discount_percent=12))["approval_id"]
    await act(s, k, "chenjing", "reject", comment="折扣过大")
    await act(s, k, "zhoumin")
    assert (await act(s, k, "liufang"))["approval"]["status"] == "approved"
    assert (await detail(s, k))["approval"]["facts"]
    # 一票否决: one rejection on a veto step ends the request, the others' tasks are cancelled.
    veto = (await submit(s, "payment_exception"))["approval_id"]
    # Its policy asks for one decision at a time: a batch leaves it alone.
    one_by_one = await s.post("zhoumin", "/v1/approval-tasks/batch-decision",
                              {"task_ids": [await task(s, veto, "zhoumin")], "decision": "approve"})
    [outcome] = one_by_one.json()["outcomes"]
    assert (outcome["ok"], "one at a time" in outcome["error"]) == (False, True)
    done = await act(s, veto, "zhoumin", "reject", comment="回款风险过高")
    assert (done["approval"]["status"], done["approval"]["decided_by"]) == ("rejected", "zhoumin")
    assert sorted(statuses(await detail(s, veto))) == [
        ("chenjing", "cancelled"), ("liufang", "cancelled"), ("zhoumin", "rejected")]
    # A batch: the approver's selection, each answered on its own.
    await policy(s, "quote", [user_step("主管", "wangqiang")])
    ids = [(await submit(s, "quote"))["approval_id"] for _ in range(2)]
    tasks = [await task(s, a, "wangqiang") for a in ids]
    batch = await s.post("wangqiang", "/v1/approval-tasks/batch-decision",
                         {"task_ids": [*tasks, "no-such-task"], "decision": "approve", "comment": "同意"})
    assert batch.status_code == 200, batch.text
    outcomes = {o["task_id"]: (o["ok"], o["approval_status"]) for o in batch.json()["outcomes"]}
    assert outcomes == {tasks[0]: (True, "approved"), tasks[1]: (True, "approved"), "no-such-task": (False, "")}
