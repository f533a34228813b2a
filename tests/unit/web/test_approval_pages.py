"""The approval pages against a fake gateway: the inbox by urgency with the
working time left (overdue in red), each action posted to its gateway path
with the comment and the users, a refusal next to the field it names, the
timeline in Shanghai time and the bottleneck report's numbers. The request's
own actions (撤回, 催办, 重新提交, 抄送, 评论) and 减签 are offered to whom
approval's rules let take them, in the states that allow them."""

from __future__ import annotations

import re

import pytest

from tests.unit.web.fakes import FakeGateway, problem

HTMX = {"hx-request": "true"}


def inbox_item(task_id: str, title: str, minutes: int, *, has_due: bool = True, **extra: object) -> dict:
    return {
        "task_id": task_id, "approval_id": f"ap-{task_id}", "kind": "quote", "subject_type": "opportunity",
        "subject_id": "op-1", "title": title, "stage_id": "st-1", "step_id": "sp-1", "step_name": "销售经理审批",
        "amount_minor": 35_000_000, "currency": "CNY", "impact_scope": "", "requested_by": "zhangwei",
        "started_at": "2026-12-03T01:00:00Z", "due_at": "2026-12-04T01:00:00Z" if has_due else None,
        "has_due": has_due, "working_minutes_left": minutes, "overdue": minutes < 0, "reminders": 0,
        "escalated": False, "original_assignee": "",
    } | extra


APPROVAL = {
    "approval_id": "ap-1", "tenant_id": "demo", "subject_type": "opportunity", "subject_id": "op-1",
    "document_version_id": "", "reason": "报价低于指导价 8%", "status": "pending", "requested_by": "zhangwei",
    "decided_by": "", "comment": "", "requested_at": "2026-12-03T01:02:00Z", "decided_at": None, "kind": "quote",
    "stale": False, "facts": [{"name": "region", "value": "柯桥区"}], "impact_scope": "", "amount_minor": 35_000_000,
    "currency": "CNY", "document_sha256": "", "policy_id": "builtin", "policy_version": 1, "current_stage": 0,
    "locked_fields": [], "channel": "web", "cc_users": [],
}


def task(task_id: str, assignee: str, status: str = "pending", **extra: object) -> dict:
    return {
        "task_id": task_id, "approval_id": "ap-1", "stage_id": "st-1", "step_id": "sp-1", "step_name": "销售经理审批",
        "department_id": "", "assignee": assignee, "original_assignee": "", "delegated_from": "", "mode": "all",
        "status": status, "position": 0, "started_at": "2026-12-03T01:02:00Z", "due_at": "2026-12-04T01:02:00Z",
        "decided_at": None, "comment": "", "dwell_seconds": 0, "dwell_working_seconds": 0, "escalated": False,
        "reminders": 0, "placement": "", "stage_name": "经理审批",
    } | extra


HISTORY = [
    {"entry_id": "h1", "task_id": "", "at": "2026-12-03T01:02:00Z", "actor": "zhangwei", "action": "submitted",
     "comment": "请尽快", "channel": "web", "details": []},
    {"entry_id": "h2", "task_id": "t-1", "at": "2026-12-03T16:30:00Z", "actor": "wangqiang",
     "action": "signers_added", "comment": "请财务把关", "channel": "web",
     "details": [{"name": "users", "value": "liufang"}]},
]


def approval_answer(tasks: list[dict] | None = None) -> dict:
    return {"approval": APPROVAL, "tasks": tasks if tasks is not None else [task("t-1", "wangqiang")],
            "history": HISTORY}


@pytest.fixture
def gw(fake_gateway: FakeGateway) -> FakeGateway:
    fake_gateway.on("GET", "/v1/approvals/ap-1", approval_answer())
    fake_gateway.on("GET", "/v1/departments", {"departments": [
        {"department_id": "d1", "name": "华东销售部", "head_id": "wangqiang", "version": 1, "updated_by": "admin",
         "updated_at": None, "members": [{"user_id": "liufang", "role": "finance"},
                                         {"user_id": "chenjing", "role": "reviewer"}]},
    ]})
    return fake_gateway


async def test_the_inbox_keeps_the_gateways_urgency_order_and_shows_working_time_left(console, gw) -> None:
    gw.on("GET", "/v1/approval-inbox", {"items": [
        inbox_item("t-late", "超期的报价", -65),
        inbox_item("t-soon", "快到期的合同", 200),
        inbox_item("t-free", "没有时限的折扣", 0, has_due=False),
    ], "next_page_token": ""})
    page = await console("wangqiang").get("/approvals")
    assert page.status_code == 200
    text = page.text
    assert text.index("超期的报价") < text.index("快到期的合同") < text.index("没有时限的折扣")
    assert "已超时 1 小时 5 分" in text
    assert "剩余 3 小时 20 分" in text
    assert "无时限" in text
    # The overdue one, and only it, is drawn red.
    late = re.search(r'<li class="card task overdue" id="task-t-late">', text)
    assert late is not None
    assert 'class="card task overdue" id="task-t-soon"' not in text
    assert re.search(r'class="time-left overdue-text"[^>]*data-minutes="-65"', text)
    assert "¥350,000.00" in text
    [call] = gw.called("GET", "/v1/approval-inbox")
    assert call.token == "token-of-wangqiang" and call.kwargs["params"]["page_size"] == 50


async def test_my_requests_tab_reads_the_outbox(console, gw) -> None:
    gw.on("GET", "/v1/approval-outbox", {"items": [{
        "approval_id": "ap-1", "kind": "quote", "subject_type": "opportunity", "subject_id": "op-1",
        "title": "报价低于指导价 8%", "status": "pending", "stale": False, "amount_minor": 100, "currency": "CNY",
        "impact_scope": "", "requested_by": "zhangwei", "requested_at": "2026-12-03T01:02:00Z", "decided_at": None,
        "waiting_on": ["wangqiang"], "next_due_at": "2026-12-02T01:00:00Z", "overdue": True}], "next_page_token": ""})
    page = await console("zhangwei").get("/approvals?tab=mine")
    assert page.status_code == 200
    assert "报价低于指导价 8%" in page.text and "wangqiang" in page.text and "审批中" in page.text
    assert '<tr class="overdue">' in page.text
    assert gw.called("GET", "/v1/approval-outbox") and not gw.called("GET", "/v1/approval-inbox")


async def test_approving_from_the_inbox_removes_the_row_and_confirms(console, gw) -> None:
    gw.on("POST", "/v1/approval-tasks/t-1/approve", {"approval": APPROVAL, "tasks": []})
    answer = await console("wangqiang").post("/approvals/tasks/t-1/approve", headers=HTMX, data={
        "comment": "同意，价格合理", "back": "inbox", "approval_id": "ap-1"})
    assert answer.status_code == 200
    [call] = gw.called("POST", "/v1/approval-tasks/t-1/approve")
    assert call.kwargs["json"] == {"comment": "同意，价格合理", "channel": "web"}
    # Nothing is left for the row (it is swapped out); the confirmation goes to the flash region.
    assert 'hx-swap-oob="innerHTML:#flash"' in answer.text and "已同意" in answer.text
    assert "task-t-1" not in answer.text


@pytest.mark.parametrize(("action", "form", "sent"), [
    ("reject", {"comment": "价格过低"}, {"comment": "价格过低"}),
    ("send-back", {"comment": "请补充竞品报价", "send_back_to": "requester"},
     {"comment": "请补充竞品报价", "send_back_to": "requester"}),
    ("add-signers", {"comment": "请财务把关", "users": "liufang, chenjing", "placement": "after", "mode": "any"},
     {"comment": "请财务把关", "users": ["liufang", "chenjing"], "placement": "after", "mode": "any"}),
    ("transfer", {"comment": "我出差，转交李经理", "target_user": " zhoumin "},
     {"comment": "我出差，转交李经理", "target_user": "zhoumin"}),
    ("delegate", {"comment": "请给意见", "target_user": "chenjing"}, {"comment": "请给意见", "target_user": "chenjing"}),
    ("confirm", {"comment": "采纳"}, {"comment": "采纳"}),
])
async def test_each_action_posts_to_its_gateway_path_with_the_comment_and_users(
    console, gw, action: str, form: dict, sent: dict
) -> None:
    gw.on("POST", f"/v1/approval-tasks/t-1/{action}", {"approval": APPROVAL, "tasks": []})
    answer = await console("wangqiang").post(f"/approvals/tasks/t-1/{action}", headers=HTMX,
                                             data=form | {"approval_id": "ap-1"})
    assert answer.status_code == 200, answer.text
    [call] = gw.called("POST", f"/v1/approval-tasks/t-1/{action}")
    assert call.kwargs["json"] == sent | {"channel": "web"}
    assert call.token == "token-of-wangqiang"
    # The request is drawn again (its tasks and timeline changed) with the confirmation.
    assert 'class="ok"' in answer.text and "审批记录" in answer.text


async def test_a_form_posted_without_htmx_goes_back_to_the_request_with_the_confirmation(console, gw) -> None:
    gw.on("POST", "/v1/approval-tasks/t-1/add-signers", {"approval": APPROVAL, "tasks": []})
    client = console("wangqiang")
    answer = await client.post("/approvals/tasks/t-1/add-signers", data={
        "users": "liufang", "placement": "before", "comment": "加签财务", "approval_id": "ap-1"})
    assert answer.status_code == 303 and answer.headers["location"] == "/approvals/ap-1?done=add-signers"
    page = await client.get(answer.headers["location"])
    assert "已加签" in page.text


async def test_a_refused_signer_is_shown_next_to_the_users_field(console, gw) -> None:
    gw.on("POST", "/v1/approval-tasks/t-1/add-signers",
          problem(400, "users: the requester is never their own approver",
                  errors=[{"field": "users", "description": "the requester is never their own approver"}]))
    answer = await console("wangqiang").post("/approvals/tasks/t-1/add-signers", headers=HTMX, data={
        "users": "zhangwei", "placement": "before", "mode": "all", "comment": "加签", "approval_id": "ap-1"})
    assert answer.status_code == 400
    form = re.search(r'<form[^>]*id="form-add-signers-t-1".*?</form>', answer.text, re.DOTALL).group(0)
    field = re.search(r'<input id="users-add-signers-t-1"[^>]*>', form).group(0)
    assert 'aria-invalid="true"' in field and 'value="zhangwei"' in field
    assert 'aria-describedby="err-users-add-signers-t-1"' in field
    error = form[form.index(field) + len(field):]
    assert re.match(r'\s*<p class="field-error" id="err-users-add-signers-t-1" role="alert">'
                    r"the requester is never their own approver</p>", error)
    assert "加签" in re.search(r'<textarea id="comment-add-signers-t-1"[^>]*>(.*?)</textarea>', form).group(1)
    # Not in the other forms.
    assert answer.text.count("the requester is never their own approver") == 1


async def test_a_validation_refusal_names_the_target_user_of_a_transfer(console, gw) -> None:
    gw.on("POST", "/v1/approval-tasks/t-1/transfer",
          problem(422, "target_user: String should have at most 64 characters",
                  errors=[{"field": "target_user", "description": "String should have at most 64 characters"}]))
    answer = await console("wangqiang").post("/approvals/tasks/t-1/transfer", headers=HTMX, data={
        "target_user": "x" * 70, "comment": "", "approval_id": "ap-1"})
    assert answer.status_code == 422
    assert re.search(r'<input id="target_user-transfer-t-1"[^>]*aria-invalid="true"', answer.text)
    assert 'id="err-target_user-transfer-t-1"' in answer.text


async def test_an_already_decided_task_is_said_in_the_inbox_row(console, gw) -> None:
    gw.on("POST", "/v1/approval-tasks/t-1/approve",
          problem(409, "approval ap-1 is approved, not pending: nothing to decide", title="Conflict"))
    answer = await console("wangqiang").post("/approvals/tasks/t-1/approve", headers=HTMX, data={
        "comment": "同意", "back": "inbox", "approval_id": "ap-1"})
    assert answer.status_code == 409
    assert answer.headers["hx-retarget"] == "#decide-t-1"
    assert answer.text.lstrip().startswith('<form id="decide-t-1"')
    assert 'role="alert"' in answer.text and "nothing to decide" in answer.text
    assert ">同意</textarea>" in answer.text


async def test_the_request_shows_facts_tasks_and_the_timeline_in_shanghai_time(console, gw) -> None:
    page = await console("wangqiang").get("/approvals/ap-1")
    assert page.status_code == 200
    text = page.text
    assert "报价低于指导价 8%" in text and "柯桥区" in text and "¥350,000.00" in text
    # 01:02 UTC is 09:02 in Shanghai; 16:30 UTC is 00:30 the next day.
    assert re.search(r'<time datetime="2026-12-03T01:02:00Z">2026-12-03 09:02</time>\s*<strong>zhangwei</strong> 提交了申请', text)
    assert re.search(r'<time datetime="2026-12-03T16:30:00Z">2026-12-04 00:30</time>\s*<strong>wangqiang</strong> 加签',
                     text)
    assert "请财务把关" in text
    # The approver's forms, with the tenant's users offered for 加签 / 转交 / 委派.
    for action in ("approve", "reject", "send-back", "add-signers", "transfer", "delegate"):
        assert f'action="/approvals/tasks/t-1/{action}"' in text
    assert '<datalist id="directory"><option value="chenjing"></option><option value="liufang"></option>' \
           '<option value="wangqiang"></option></datalist>' in text
    assert re.search(r'<input id="users-add-signers-t-1" name="users"[^>]*list="directory"', text)


async def test_the_requester_sees_no_task_forms_and_a_reader_without_a_place_no_directory(console, gw) -> None:
    page = await console("zhangwei").get("/approvals/ap-1")
    assert page.status_code == 200
    assert "/approvals/tasks/" not in page.text
    # A reader who neither asked nor holds a task may only comment: no user picker is read for them.
    page = await console("lina").get("/approvals/ap-1")
    assert "/approvals/tasks/" not in page.text and 'action="/approvals/ap-1/comment"' in page.text
    assert 'action="/approvals/ap-1/cc"' not in page.text
    assert [c.token for c in gw.called("GET", "/v1/departments")] == ["token-of-zhangwei"]


async def test_the_user_picker_is_a_plain_input_when_departments_cannot_be_read(console, gw) -> None:
    gw.on("GET", "/v1/departments", problem(403, "not allowed"))
    page = await console("wangqiang").get("/approvals/ap-1")
    assert page.status_code == 200
    assert "<datalist" not in page.text
    assert re.search(r'<input id="target_user-transfer-t-1" name="target_user"[^>]*>', page.text)
    assert 'list="directory"' not in page.text


async def test_a_delegated_task_offers_only_confirmation(console, gw) -> None:
    gw.on("GET", "/v1/approvals/ap-1", approval_answer([task("t-1", "wangqiang", "delegated"),
                                                        task("t-2", "chenjing", "approved", delegated_from="wangqiang")]))
    page = await console("wangqiang").get("/approvals/ap-1")
    assert 'action="/approvals/tasks/t-1/confirm"' in page.text
    assert 'action="/approvals/tasks/t-1/approve"' not in page.text


async def test_the_bottleneck_report_shows_the_numbers_in_table_and_chart(console, gw) -> None:
    gw.on("GET", "/v1/approval-reports/bottlenecks", {"tasks": 12, "total_working_seconds": 0, "total_seconds": 0,
        "rows": [
            {"dimension": "step", "policy_id": "p", "stage_id": "s", "step_id": "sp-1", "step_name": "财务审批",
             "department_id": "", "approver": "", "count": 7, "median_working_seconds": 5400,
             "p90_working_seconds": 30600, "median_seconds": 0, "p90_seconds": 0, "total_working_seconds": 0,
             "share_of_delay_percent": 62.5, "overdue": 3, "escalations": 1},
            {"dimension": "step", "policy_id": "p", "stage_id": "s", "step_id": "sp-2", "step_name": "经理审批",
             "department_id": "", "approver": "", "count": 5, "median_working_seconds": 1800,
             "p90_working_seconds": 7200, "median_seconds": 0, "p90_seconds": 0, "total_working_seconds": 0,
             "share_of_delay_percent": 37.5, "overdue": 0, "escalations": 0},
        ]})
    page = await console("wangqiang").get("/approvals/bottlenecks?from=2026-11-01&to=2026-11-30&dimension=step")
    assert page.status_code == 200
    table = re.search(r'<table id="bottleneck-table">.*?</table>', page.text, re.DOTALL).group(0)
    row = re.search(r"<th scope=\"row\">财务审批</th>(.*?)</tr>", table, re.DOTALL).group(1)
    cells = re.findall(r'<td class="num">(.*?)</td>', row)
    assert cells == ["7", "1 小时 30 分", "8 小时 30 分", "62.5%", "3", "1"]
    assert '"median": [1.5, 0.5]' in page.text and '"p90": [8.5, 2.0]' in page.text
    assert "/static/vendor/echarts.min.js" in page.text
    [call] = gw.called("GET", "/v1/approval-reports/bottlenecks")
    # Whole Shanghai days: from Nov 1 00:00 to Dec 1 00:00 (the 30th included).
    assert call.kwargs["params"] == {"decided_from": "2026-11-01T00:00:00+08:00",
                                     "decided_to": "2026-12-01T00:00:00+08:00", "dimension": "step"}


async def test_a_batch_decision_removes_the_decided_rows(console, gw) -> None:
    gw.on("POST", "/v1/approval-tasks/batch-decision", {"outcomes": [
        {"task_id": "t-1", "ok": True, "error": "", "approval_id": "ap-1", "approval_status": "approved"},
        {"task_id": "t-2", "ok": False, "error": "policy forbids batch approval", "approval_id": "ap-2",
         "approval_status": "pending"}]})
    answer = await console("wangqiang").post("/approvals/batch", headers=HTMX, data={
        "task_ids": ["t-1", "t-2"], "decision": "approve", "comment": "批量同意"})
    assert answer.status_code == 200
    [call] = gw.called("POST", "/v1/approval-tasks/batch-decision")
    assert call.kwargs["json"] == {"task_ids": ["t-1", "t-2"], "decision": "approve", "comment": "批量同意",
                                   "channel": "web"}
    assert '<div id="task-t-1" hx-swap-oob="delete"></div>' in answer.text
    assert 'id="task-t-2"' not in answer.text and "policy forbids batch approval" in answer.text


async def test_an_inbox_row_posted_without_htmx_comes_back_to_the_inbox_with_the_confirmation(console, gw) -> None:
    gw.on("POST", "/v1/approval-tasks/t-1/reject", {"approval": APPROVAL, "tasks": []})
    gw.on("GET", "/v1/approval-inbox", {"items": [], "next_page_token": ""})
    client = console("wangqiang")
    answer = await client.post("/approvals/tasks/t-1/reject", data={
        "comment": "不同意", "back": "inbox", "approval_id": "ap-1"})
    assert answer.status_code == 303 and answer.headers["location"] == "/approvals?done=reject"
    page = await client.get(answer.headers["location"])
    assert '<p class="ok">已驳回。</p>' in page.text and "暂无待您审批的事项" in page.text


def request_forms(text: str) -> set[str]:
    """The request's own actions the page offers."""
    return set(re.findall(r'<form method="post" action="/approvals/ap-1/([a-z-]+)"', text))


@pytest.mark.parametrize(("user", "status", "tasks", "offered"), [
    # The requester: recall while pending or sent back, remind while pending, resubmit once sent back.
    ("zhangwei", "pending", [task("t-1", "wangqiang")], {"recall", "remind", "cc", "comment"}),
    ("zhangwei", "returned", [task("t-1", "wangqiang", "rejected")], {"recall", "resubmit", "cc", "comment"}),
    ("zhangwei", "approved", [task("t-1", "wangqiang", "approved")], {"cc", "comment"}),
    ("zhangwei", "recalled", [task("t-1", "wangqiang", "cancelled")], {"cc", "comment"}),
    # An approver, now or before: 抄送 and comment, never the requester's actions.
    ("wangqiang", "pending", [task("t-1", "wangqiang")], {"cc", "comment"}),
    ("wangqiang", "returned", [task("t-1", "wangqiang", "rejected")], {"cc", "comment"}),
    # A reader with no place on it (the admin, a colleague): comment only.
    ("admin", "pending", [task("t-1", "wangqiang")], {"comment"}),
    ("lina", "returned", [task("t-1", "wangqiang", "rejected")], {"comment"}),
])
async def test_the_request_actions_shown_follow_the_role_the_place_and_the_state(
    console, gw, user: str, status: str, tasks: list[dict], offered: set[str]
) -> None:
    gw.on("GET", "/v1/approvals/ap-1", {"approval": APPROVAL | {"status": status}, "tasks": tasks, "history": HISTORY})
    page = await console(user).get("/approvals/ap-1")
    assert page.status_code == 200
    assert request_forms(page.text) == offered
    if offered:
        assert re.search(r'<form method="post" action="/approvals/ap-1/comment"[^>]*>\s*'
                         r'<input type="hidden" name="csrf_token" value="[^"]+">', page.text)


@pytest.mark.parametrize(("action", "path", "form", "sent"), [
    ("recall", "recall", {"comment": "客户撤单"}, {"comment": "客户撤单"}),
    ("remind", "remind", {"comment": "客户今天要报价"}, {"comment": "客户今天要报价"}),
    ("cc", "cc", {"users": "liufang，chenjing", "comment": "请知悉"},
     {"users": ["liufang", "chenjing"], "comment": "请知悉"}),
    ("comment", "comments", {"comment": "已补充竞品报价"}, {"comment": "已补充竞品报价"}),
    ("resubmit", "resubmit",
     {"comment": "已按要求调整", "reason": " 报价低于指导价 5% ", "discount_percent": "5", "impact_scope": "",
      "document_version_id": "dv-2"},
     {"comment": "已按要求调整", "reason": "报价低于指导价 5%", "discount_percent": 5, "impact_scope": "",
      "document_version_id": "dv-2"}),
])
async def test_each_request_action_posts_to_its_gateway_path_and_redraws_the_request(
    console, gw, action: str, path: str, form: dict, sent: dict
) -> None:
    gw.on("POST", f"/v1/approvals/ap-1/{path}", {"approval": APPROVAL})
    answer = await console("zhangwei").post(f"/approvals/ap-1/{action}", headers=HTMX, data=form)
    assert answer.status_code == 200, answer.text
    [call] = gw.called("POST", f"/v1/approvals/ap-1/{path}")
    assert call.kwargs["json"] == sent | {"channel": "web"}
    assert call.token == "token-of-zhangwei"
    done = {"recall": "已撤回申请。", "remind": "已催办审批人。", "cc": "已抄送。", "comment": "已评论。",
            "resubmit": "已重新提交。"}[action]
    assert f'<p class="ok" role="status">{done}</p>' in answer.text and "审批记录" in answer.text
    assert "<html" not in answer.text  # only the request's block, swapped in place


async def test_a_request_action_posted_without_htmx_comes_back_with_the_confirmation(console, gw) -> None:
    gw.on("POST", "/v1/approvals/ap-1/recall", {"approval": APPROVAL})
    client = console("zhangwei")
    answer = await client.post("/approvals/ap-1/recall", data={"comment": ""})
    assert answer.status_code == 303 and answer.headers["location"] == "/approvals/ap-1?done=recall"
    assert "已撤回申请。" in (await client.get(answer.headers["location"])).text


async def test_a_request_action_without_the_forms_token_is_refused_before_the_gateway(console, gw) -> None:
    answer = await console("zhangwei").post("/approvals/ap-1/recall", headers={"x-csrf-token": ""},
                                            data={"comment": ""})
    assert answer.status_code == 403
    assert not gw.called("POST", "/v1/approvals/ap-1/recall")


async def test_an_unknown_request_action_is_not_found(console, gw) -> None:
    answer = await console("zhangwei").post("/approvals/ap-1/void", headers=HTMX, data={})
    assert answer.status_code == 404
    assert not [c for c in gw.calls if c.method == "POST"]


def form_of(text: str, key: str) -> str:
    return re.search(rf'<form[^>]*id="form-{key}".*?</form>', text, re.DOTALL).group(0)


@pytest.mark.parametrize(("user", "action", "path", "status", "form", "field", "message"), [
    ("zhangwei", "comment", "comments", "pending", {"comment": ""}, "comment",
     "is required (or attach a document version)"),
    ("wangqiang", "cc", "cc", "pending", {"users": "x" * 70, "comment": "请知悉"}, "users",
     "String should have at most 64 characters"),
    ("zhangwei", "resubmit", "resubmit", "returned", {"discount_percent": "五", "comment": "改了"},
     "discount_percent", "Input should be a valid integer"),
    ("zhangwei", "resubmit", "resubmit", "returned", {"document_version_id": "dv-9", "comment": "新版本"},
     "document_version_id", "is not a version of a document of this opportunity"),
])
async def test_a_refused_request_action_shows_the_error_on_its_field_and_keeps_what_was_typed(
    console, gw, user: str, action: str, path: str, status: str, form: dict, field: str, message: str
) -> None:
    gw.on("GET", "/v1/approvals/ap-1", {"approval": APPROVAL | {"status": status},
                                        "tasks": [task("t-1", "wangqiang")], "history": HISTORY})
    gw.on("POST", f"/v1/approvals/ap-1/{path}", problem(
        422 if field != "document_version_id" else 400, f"{field}: {message}",
        errors=[{"field": f"body.{field}" if field != "document_version_id" else field, "description": message}]))
    answer = await console(user).post(f"/approvals/ap-1/{action}", headers=HTMX, data=form)
    assert answer.status_code in (400, 422)
    key = f"{action}-ap-1"
    html = form_of(answer.text, key)
    tag = "textarea" if field == "comment" else "input"
    control = re.search(rf'<{tag} id="{field}-{key}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in control and f'aria-describedby="err-{field}-{key}"' in control
    assert re.search(rf'<p class="field-error" id="err-{field}-{key}" role="alert">{re.escape(message)}</p>', html)
    if tag == "input":
        assert f'value="{form[field]}"' in control
    assert answer.text.count(message) == 1  # in its form only, not above it
    assert form["comment"] in re.search(rf'<textarea id="comment-{key}"[^>]*>(.*?)</textarea>', html).group(1)


async def test_a_refusal_naming_no_field_is_said_at_the_top_of_the_form(console, gw) -> None:
    gw.on("POST", "/v1/approvals/ap-1/remind", problem(
        412, "approval ap-1 was reminded at 2026-12-03T02:00:00+00:00; remind again after 2026-12-03T06:00:00+00:00",
        title="Failed precondition", violations=[{"type": "approval", "subject": "ap-1",
                                                  "description": "was reminded too recently"}]))
    answer = await console("zhangwei").post("/approvals/ap-1/remind", headers=HTMX, data={"comment": "再催一下"})
    assert answer.status_code == 412
    html = form_of(answer.text, "remind-ap-1")
    assert '<div class="problem" role="alert">' in html and "was reminded too recently" in html
    assert ">再催一下</textarea>" in html


def added(task_id: str, assignee: str, status: str = "pending", placement: str = "before") -> dict:
    return task(task_id, assignee, status, placement=placement)


async def test_removing_a_signer_is_offered_to_the_holder_of_the_step_with_the_signers_still_to_answer(
    console, gw
) -> None:
    gw.on("GET", "/v1/approvals/ap-1", approval_answer([
        task("t-1", "wangqiang", "waiting"), added("t-2", "liufang"), added("t-3", "chenjing", "approved"),
        task("t-4", "zhoumin", "pending", step_id="sp-2")]))
    page = await console("wangqiang").get("/approvals/ap-1")
    html = form_of(page.text, "remove-signer-t-1")
    assert 'action="/approvals/tasks/t-1/remove-signer"' in html
    # Only the one still to answer, in this step.
    assert re.findall(r'<option value="([^"]+)"', html) == ["liufang"]
    # Not to the signer, nor to someone in another step, nor once the request is decided.
    assert "remove-signer" not in (await console("liufang").get("/approvals/ap-1")).text
    assert "remove-signer" not in (await console("zhoumin").get("/approvals/ap-1")).text
    gw.on("GET", "/v1/approvals/ap-1", {"approval": APPROVAL | {"status": "approved"},
                                        "tasks": [task("t-1", "wangqiang", "approved"), added("t-2", "liufang")],
                                        "history": HISTORY})
    assert "remove-signer" not in (await console("wangqiang").get("/approvals/ap-1")).text


async def test_removing_a_signer_posts_the_user_and_a_refusal_shows_on_the_field(console, gw) -> None:
    gw.on("GET", "/v1/approvals/ap-1", approval_answer([task("t-1", "wangqiang"), added("t-2", "liufang")]))
    gw.on("POST", "/v1/approval-tasks/t-1/remove-signer", {"approval": APPROVAL, "tasks": []})
    answer = await console("wangqiang").post("/approvals/tasks/t-1/remove-signer", headers=HTMX, data={
        "target_user": "liufang", "comment": "不需要财务了", "approval_id": "ap-1"})
    assert answer.status_code == 200
    [call] = gw.called("POST", "/v1/approval-tasks/t-1/remove-signer")
    assert call.kwargs["json"] == {"target_user": "liufang", "comment": "不需要财务了", "channel": "web"}
    assert "已减签。" in answer.text
    gw.on("POST", "/v1/approval-tasks/t-1/remove-signer", problem(
        400, "target_user: is not an added signer still to answer in this step",
        errors=[{"field": "target_user", "description": "is not an added signer still to answer in this step"}]))
    answer = await console("wangqiang").post("/approvals/tasks/t-1/remove-signer", headers=HTMX, data={
        "target_user": "liufang", "comment": "", "approval_id": "ap-1"})
    assert answer.status_code == 400
    html = form_of(answer.text, "remove-signer-t-1")
    assert re.search(r'<select id="target_user-remove-signer-t-1"[^>]*aria-invalid="true"', html)
    assert 'id="err-target_user-remove-signer-t-1"' in html and "still to answer in this step" in html
