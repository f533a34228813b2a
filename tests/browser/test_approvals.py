"""The approver in the browser: the request waits in their inbox with its
working time left; on its page they add a signer (加签) with a comment and
approve; the timeline shows both, and the signer finds it in their own inbox.
From the inbox a row is approved in place: it goes and a confirmation shows.
The bottleneck report draws its chart beside the table. A request sent back
is resubmitted by its requester from its page; its approver comments and
copies someone in (抄送); the requester then recalls it (撤回)."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from scripts.localstack import wait_for_opportunity
from tests.browser.conftest import PHONE


def request_approval(api, reason: str) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    """A quote approval on a fresh opportunity of zhangwei's, through the gateway as the apps would make one."""
    rep = api("zhangwei")
    suffix = uuid.uuid4().hex[:6]
    lead = rep.post("/v1/leads", json={
        "company_name": f"绍兴柯桥锦华纺织有限公司{suffix}", "phone": f"138{int(suffix, 16) % 10**8:08d}",
        "source": "展会扫码", "province": "浙江省", "city": "绍兴市", "district": "柯桥区",
    }, headers={"Idempotency-Key": f"browser-approval-{suffix}"})
    assert lead.status_code == 201, lead.text
    lead_id = lead.json()["lead"]["lead_id"]
    converted = rep.post(f"/v1/leads/{lead_id}/convert", json={
        "opportunity_name": f"锦华纺织 喷气织机 {suffix}",
        "expected_amount": {"amount_minor": 45_000_000, "currency": "CNY"}})
    assert converted.status_code == 200, converted.text
    opportunity = wait_for_opportunity(str(rep.base_url).rstrip("/"), dict(rep.headers), lead_id)
    submitted = rep.post("/v1/approvals", json={
        "kind": "quote", "subject_type": "opportunity", "subject_id": opportunity["opportunity_id"], "reason": reason})
    assert submitted.status_code == 201, submitted.text
    approval_id = submitted.json()["approval"]["approval_id"]
    [task] = [t for t in rep.get(f"/v1/approvals/{approval_id}").json()["tasks"] if t["status"] == "pending"]
    return approval_id, task


def test_an_approver_adds_a_signer_with_a_comment_and_approves(page_as, api, accessible, shot) -> None:
    reason = f"报价低于指导价 9% · {uuid.uuid4().hex[:4]}"
    approval_id, task = request_approval(api, reason)
    approver = task["assignee"]
    signer = "liufang" if approver != "liufang" else "chenjing"

    page = page_as(approver)
    page.goto("/approvals")
    row = page.locator(f"#task-{task['task_id']}")
    expect(row).to_contain_text(reason)
    expect(row.locator(".time-left")).to_contain_text(re.compile(r"剩余 \d+ 小时 \d+ 分|无时限|已超时"))
    shot(page, "inbox")
    accessible(page)

    row.get_by_role("link", name=reason).click()
    page.wait_for_url(re.compile(rf"/approvals/{approval_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(reason)
    add = page.locator(f"#form-add-signers-{task['task_id']}")
    # The requester cannot be added: approval's refusal is shown at the field, what was typed kept.
    add.get_by_label("加签人").fill("zhangwei")
    add.get_by_label("加签位置").select_option("alongside")
    add.get_by_label("审批意见").fill("价格偏低，请财务把关")
    add.get_by_role("button", name="加签").click()
    users = add.get_by_label("加签人")
    expect(users).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#err-users-add-signers-{task['task_id']}")).to_contain_text("requester")
    expect(add.get_by_label("审批意见")).to_have_value("价格偏低，请财务把关")
    shot(page, "signer-refused")
    accessible(page)
    users.fill(signer)
    add.get_by_role("button", name="加签").click()
    expect(page.locator("#request .ok")).to_have_text("已加签。")
    expect(page.locator(".timeline")).to_contain_text("价格偏低，请财务把关")
    shot(page, "signer-added")

    approve = page.locator(f"#form-approve-{task['task_id']}")
    approve.get_by_label("审批意见").fill("同意，毛利可接受")
    approve.get_by_role("button", name="同意").click()
    expect(page.locator("#request .ok")).to_have_text("已同意。")
    timeline = page.locator(".timeline")
    expect(timeline.locator("li.event-signers_added")).to_contain_text(approver)
    expect(timeline.locator("li.event-signers_added")).to_contain_text("价格偏低，请财务把关")
    expect(timeline.locator("li.event-approved").last).to_contain_text("同意，毛利可接受")
    # Times are Beijing time: "YYYY-MM-DD HH:MM".
    expect(timeline.locator("li time").first).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
    expect(page.locator(f"#form-approve-{task['task_id']}")).to_have_count(0)  # nothing left to decide
    shot(page, "approved")
    accessible(page)

    # The added signer now holds the request; the approver's inbox no longer lists it.
    signer_inbox = api(signer).get("/v1/approval-inbox").json()["items"]
    assert approval_id in [i["approval_id"] for i in signer_inbox]
    page.goto("/approvals")
    expect(page.locator(f"#task-{task['task_id']}")).to_have_count(0)


def test_approving_from_the_inbox_row_removes_it_and_confirms(page_as, api, accessible, shot) -> None:
    reason = f"报价特批 · {uuid.uuid4().hex[:4]}"
    approval_id, task = request_approval(api, reason)
    page = page_as(task["assignee"], viewport=PHONE)  # an approver on the move
    page.goto("/approvals")
    row = page.locator(f"#task-{task['task_id']}")
    row.get_by_label("审批意见").fill("同意")
    row.get_by_role("button", name="同意", exact=True).click()
    expect(page.locator("#flash")).to_contain_text("已同意。")
    expect(row).to_have_count(0)
    shot(page, "row-gone")
    accessible(page)
    assert api("zhangwei").get(f"/v1/approvals/{approval_id}").json()["approval"]["status"] == "approved"


def test_the_bottleneck_report_draws_its_chart_and_table(page_as, api, accessible, shot) -> None:
    # One task decided now, so the period has a row.
    _, task = request_approval(api, f"报价复核 · {uuid.uuid4().hex[:4]}")
    decided = api(task["assignee"]).post(f"/v1/approval-tasks/{task['task_id']}/approve", json={"comment": "同意"})
    assert decided.status_code == 200, decided.text
    page = page_as("wangqiang")
    page.goto("/approvals/bottlenecks")
    expect(page.get_by_role("heading", level=1)).to_have_text("瓶颈分析")
    rows = page.locator("#bottleneck-table tbody tr")
    expect(rows.first).to_be_visible()
    expect(rows.first.locator("td.num").nth(1)).to_have_text(re.compile(r"^\d+ 小时 \d+ 分$"))
    expect(page.locator("#bottleneck-chart[data-ready=true] svg")).to_have_count(1)
    shot(page, "report")
    accessible(page)


def test_a_requester_resubmits_and_recalls_and_an_approver_comments_and_copies_someone_in(
    page_as, api, accessible, shot
) -> None:
    reason = f"报价低于指导价 7% · {uuid.uuid4().hex[:4]}"
    approval_id, task = request_approval(api, reason)
    approver = task["assignee"]
    copied = "liufang" if approver != "liufang" else "chenjing"
    sent_back = api(approver).post(f"/v1/approval-tasks/{task['task_id']}/send-back",
                                   json={"comment": "请补充竞品报价", "send_back_to": "requester"})
    assert sent_back.status_code == 200, sent_back.text

    rep = page_as("zhangwei")
    rep.goto(f"/approvals/{approval_id}")
    expect(rep.locator(f"#form-remind-{approval_id}")).to_have_count(0)  # nothing to remind while it is back
    resubmit = rep.locator(f"#form-resubmit-{approval_id}")
    new_title = f"{reason} · 已补充竞品报价"
    resubmit.get_by_label("新标题").fill(new_title)
    resubmit.get_by_label("修改说明").fill("已附竞品报价单")
    shot(rep, "sent-back")
    accessible(rep)
    resubmit.get_by_role("button", name="重新提交").click()
    expect(rep.locator("#request .ok")).to_have_text("已重新提交。")
    expect(rep.get_by_role("heading", level=1)).to_have_text(new_title)
    expect(rep.locator(".timeline li.event-resubmitted")).to_contain_text("已附竞品报价单")
    expect(rep.locator(f"#form-resubmit-{approval_id}")).to_have_count(0)
    expect(rep.locator(f"#form-remind-{approval_id}")).to_have_count(1)  # in approval again
    shot(rep, "resubmitted")

    page = page_as(approver)
    page.goto(f"/approvals/{approval_id}")
    expect(page.locator(f"#form-recall-{approval_id}")).to_have_count(0)  # the requester's only
    comment = page.locator(f"#form-comment-{approval_id}")
    comment.get_by_label("评论内容").fill("竞品报价已看，价格可以再谈")
    comment.get_by_role("button", name="发表评论").click()
    expect(page.locator("#request .ok")).to_have_text("已评论。")
    expect(page.locator(".timeline li.event-commented")).to_contain_text("竞品报价已看，价格可以再谈")
    cc = page.locator(f"#form-cc-{approval_id}")
    cc.get_by_label("抄送人").fill(copied)
    cc.get_by_label("抄送附言").fill("请财务知悉")
    cc.get_by_role("button", name="抄送").click()
    expect(page.locator("#request .ok")).to_have_text("已抄送。")
    expect(page.locator(".facts")).to_contain_text(copied)
    shot(page, "commented-and-copied")
    accessible(page)

    rep.reload()
    recall = rep.locator(f"#form-recall-{approval_id}")
    recall.get_by_label("撤回原因").fill("客户改为下月采购")
    recall.get_by_role("button", name="撤回申请").click()
    expect(rep.locator("#request .ok")).to_have_text("已撤回申请。")
    expect(rep.locator(".facts .tag").first).to_have_text("已撤回")
    expect(rep.locator(f"#form-recall-{approval_id}")).to_have_count(0)
    shot(rep, "recalled")
    accessible(rep)

    detail = api("zhangwei").get(f"/v1/approvals/{approval_id}").json()
    assert detail["approval"]["status"] == "recalled"
    assert detail["approval"]["reason"] == new_title
    assert copied in detail["approval"]["cc_users"]
    history = [(h["action"], h["actor"], h["comment"]) for h in detail["history"]]
    assert ("resubmitted", "zhangwei", "已附竞品报价单") in history
    assert ("commented", approver, "竞品报价已看，价格可以再谈") in history
    assert ("copied", approver, "请财务知悉") in history
    assert ("recalled", "zhangwei", "客户改为下月采购") in history
    # The one copied in may read it now.
    assert api(copied).get(f"/v1/approvals/{approval_id}").status_code == 200
