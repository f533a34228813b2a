"""A partner's deal registration in the channel manager's approval inbox,
across the real processes as `make run` starts them: 杭州's partner registers
a customer; lead-routing submits the request to approval; wangqiang (the
distributor's channel manager) finds it in /v1/approval-inbox with two
working days to decide and approves it there; the partner sees the
registration approved, with the public comment. Who reads the request is
lead-routing's answer about the registration (another manager may, a rep may
not); a partner reads no approval. From 50万 the channel manager's manager
(here nobody: the fallback, admin) decides second."""

from __future__ import annotations

import random

from scripts.localstack import load_distributors
from tests.e2e.test_routing_and_pipeline import ok, until


def register(partner, company: str, amount_yuan: int) -> dict:  # type: ignore[no-untyped-def]
    phone = f"139{random.randrange(10**8):08d}"
    body = {
        "company_name": company, "phone": phone, "province": "浙江省", "city": "杭州市", "industry": "机电设备",
        "contact_name": "陈经理", "contact_phone": phone, "product_line": "数控机床", "models": ["VMC850"],
        "quantity": 2, "expected_amount": {"amount_minor": amount_yuan * 100, "currency": "CNY"},
    }  # fmt: skip
    submitted = ok(partner.post("/v1/partner/registrations", json=body), 201)["registration"]
    assert submitted["outcome"] == "no_conflict"
    return submitted


def inbox_item(user, registration_id: str) -> dict | None:  # type: ignore[no-untyped-def]
    items = ok(user.get("/v1/approval-inbox", params={"kind": "partner_registration"}))["items"]
    return next((i for i in items if i["subject_id"] == registration_id), None)


def test_the_channel_manager_decides_a_registration_from_their_inbox(as_user) -> None:  # type: ignore[no-untyped-def]
    admin, wangqiang, zhoumin = as_user("admin"), as_user("wangqiang"), as_user("zhoumin")
    zhaolei, zhangwei = as_user("zhaolei"), as_user("zhangwei")
    load_distributors(admin.client)
    reg = register(zhaolei, f"杭州恒达精密机械有限公司{random.randrange(10**6)}", 490_000)

    item = until(lambda: inbox_item(wangqiang, reg["registration_id"]))
    assert (item["kind"], item["subject_type"], item["amount_minor"]) == (
        "partner_registration",
        "registration",
        49_000_000,
    )
    # Two working days (of 480 minutes) to decide; less only by the working time since it came.
    assert item["has_due"] and 900 < item["working_minutes_left"] <= 960, item
    assert inbox_item(zhoumin, reg["registration_id"]) is None

    approval_id = item["approval_id"]
    # Another manager reads partner registrations, so the request too; a rep does not; a partner reads no approval.
    assert ok(zhoumin.get(f"/v1/approvals/{approval_id}"))["approval"]["subject_id"] == reg["registration_id"]
    assert zhangwei.get(f"/v1/approvals/{approval_id}").status_code == 404
    assert zhaolei.get(f"/v1/approvals/{approval_id}").status_code == 403
    assert zhaolei.get("/v1/approval-inbox").status_code == 403

    ok(wangqiang.post(f"/v1/approval-tasks/{item['task_id']}/approve", json={"comment": "客户信息核实无误"}))
    assert inbox_item(wangqiang, reg["registration_id"]) is None

    def approved() -> dict | None:
        got = ok(zhaolei.get(f"/v1/partner/registrations/{reg['registration_id']}"))["registration"]
        return got if got["status"] == "approved" else None

    seen = until(approved)
    assert seen["decision_comment"] == "客户信息核实无误"
    assert not seen.get("approval_id")  # the partner never learns the approval's id


def test_a_registration_of_50_wan_or_more_is_decided_by_the_channel_manager_then_above_them(as_user) -> None:  # type: ignore[no-untyped-def]
    admin, wangqiang, zhaolei = as_user("admin"), as_user("wangqiang"), as_user("zhaolei")
    load_distributors(admin.client)
    reg = register(zhaolei, f"杭州恒达重工装备有限公司{random.randrange(10**6)}", 510_000)

    first = until(lambda: inbox_item(wangqiang, reg["registration_id"]))
    ok(wangqiang.post(f"/v1/approval-tasks/{first['task_id']}/approve", json={"comment": "同意"}))
    # Nobody above wangqiang in the rep profiles: the policy's fallback, admin, decides second.
    second = until(lambda: inbox_item(admin, reg["registration_id"]))
    assert second["step_id"] == "channel-manager-manager"
    detail = ok(admin.get(f"/v1/approvals/{second['approval_id']}"))
    assert detail["approval"]["status"] == "pending"
    ok(admin.post(f"/v1/approval-tasks/{second['task_id']}/approve", json={"comment": "同意，注意账期"}))
    assert ok(admin.get(f"/v1/approvals/{second['approval_id']}"))["approval"]["status"] == "approved"
