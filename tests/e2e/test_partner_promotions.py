"""Promotions of the partner portal across the real processes, as `make run`
starts them: the channel manager publishes a programme; a partner of 杭州
applies for it for one of its approved registrations, with its material
attached; the channel manager approves it through the approval service and
the partner sees the state, the decision and the decision's public comment
(never the approval, nor an approver's internal comment). Another
distributor's partner sees none of it: not the application, not its
documents, not the registration it was for. A period application is
rejected the same way."""

from __future__ import annotations

import base64
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from scripts.localstack import DEMO_PROMOTION, Stack, load_distributors, load_promotion
from tests.e2e.test_access_every_route import company_digits
from tests.e2e.test_partner_protection import approve_task
from tests.e2e.test_routing_and_pipeline import Notifications, ok, until

SHANGHAI = ZoneInfo("Asia/Shanghai")


def terms(starts: date, ends: date, support_yuan: int = 50_000) -> dict:
    return {
        "name": f"春季陈列支持 {random.randrange(10**6):06d}",
        "conditions": "门店陈列数控机床样机不少于 2 台，提供陈列照片",
        "starts_on": starts.isoformat(),
        "ends_on": ends.isoformat(),
        "product_lines": ["数控机床"],
        "benefit": "support",
        "support_amount": {"amount_minor": support_yuan * 100, "currency": "CNY"},
    }


def approved_registration(zhao, manager, admin) -> str:  # type: ignore[no-untyped-def]
    """A registration of dist-hz's with no conflict, approved by the channel manager."""
    submitted = ok(
        zhao.post(
            "/v1/partner/registrations",
            json={
                "company_name": f"杭州滨江{company_digits()}智能装备有限公司",
                "phone": f"137{random.randrange(10**8):08d}", "province": "浙江省", "city": "杭州市",
                "industry": "机电设备", "contact_name": "林经理", "product_line": "数控机床", "models": ["VMC1160"],
                "quantity": 1, "expected_amount": {"amount_minor": 45_000_000, "currency": "CNY"},
            },
        ),
        201,
    )["registration"]  # fmt: skip
    reg_id = submitted["registration_id"]
    assert submitted["outcome"] == "no_conflict"
    approval_id = until(lambda: ok(admin.get(f"/v1/registrations/{reg_id}"))["registration"]["approval_id"])
    approve_task(manager, approval_id, "同意报备")
    until(lambda: ok(admin.get(f"/v1/registrations/{reg_id}"))["registration"]["status"] == "approved")
    return reg_id


def application_of(client, application_id: str) -> dict:  # type: ignore[no-untyped-def]
    return ok(client.get(f"/v1/partner/promotion-applications/{application_id}"))["application"]


def test_a_promotion_application_approved_with_its_material_and_another_distributor_sees_none(
    stack: Stack, as_user
) -> None:
    admin, zhao, sun = as_user("admin"), as_user("zhaolei"), as_user("sunli")
    manager, other_manager = as_user("wangqiang"), as_user("zhoumin")
    load_distributors(admin.client)
    partner_app = Notifications(stack, "zhaolei")
    assert partner_app.opened.wait(10)
    load_promotion(admin.client)  # the demo's programme (make run), loaded once
    load_promotion(admin.client)
    name = DEMO_PROMOTION["terms"]["name"]
    demo = [p for p in ok(zhao.get("/v1/partner/promotions"))["programmes"] if p["terms"]["name"] == name]
    assert len(demo) == 1 and demo[0]["terms"]["support_amount"] == {"amount_minor": 5_000_000, "currency": "CNY"}

    # The channel manager drafts a programme (its date is the service's, whatever the clock says), then publishes it.
    wide = terms(date(2026, 1, 1), date(2028, 12, 31))
    assert other_manager.post("/v1/promotions", json={"terms": wide}).status_code == 403  # no distributor's manager
    draft = ok(manager.post("/v1/promotions", json={"terms": wide}), 201)["programme"]
    pid = draft["programme_id"]
    assert (draft["status"], draft["version"]) == ("draft", 1)
    assert zhao.get(f"/v1/partner/promotions/{pid}").status_code == 404  # a draft does not exist for partners
    today = datetime.fromisoformat(draft["created_at"]).astimezone(SHANGHAI).date()
    period = terms(today - timedelta(days=10), today + timedelta(days=80))
    published = ok(manager.put(f"/v1/promotions/{pid}", json={"terms": period, "status": "published", "version": 1}))
    assert published["programme"]["status"] == "published" and published["programme"]["published_at"]
    assert manager.put(f"/v1/promotions/{pid}", json={"terms": period, "status": "draft"}).status_code == 400
    assert pid in [p["programme_id"] for p in ok(zhao.get("/v1/partner/promotions"))["programmes"]]
    assert pid in [p["programme_id"] for p in ok(sun.get("/v1/partner/promotions"))["programmes"]]

    # 杭州 applies for its approved registration; 宁波 may not name it, and nobody asks more than the support.
    reg_id = approved_registration(zhao, manager, admin)
    asked = {"registration_id": reg_id, "amount_asked": {"amount_minor": 3_000_000, "currency": "CNY"},
             "note": "滨江门店陈列两台 VMC1160"}  # fmt: skip
    assert sun.post(f"/v1/partner/promotions/{pid}/applications", json=asked).status_code == 404
    too_much = zhao.post(
        f"/v1/partner/promotions/{pid}/applications", json=asked | {"amount_asked": {"amount_minor": 5_000_100}}
    )
    assert too_much.status_code == 400 and "amount_asked" in too_much.text
    app = ok(zhao.post(f"/v1/partner/promotions/{pid}/applications", json=asked), 201)["application"]
    aid = app["application_id"]
    assert (app["status"], app["distributor_id"], app["registration_id"]) == ("submitted", "dist-hz", reg_id)
    assert app["approval_id"] == ""  # the partner never sees the approval's id
    assert zhao.post(f"/v1/partner/promotions/{pid}/applications", json=asked).status_code == 409  # one per deal

    # Its material: attached by the partner, read back by them and by the manufacturer.
    photo = base64.b64encode("%PDF-1.4 陈列照片".encode()).decode()
    material = ok(
        zhao.post(
            f"/v1/partner/promotion-applications/{aid}/documents",
            json={"title": "门店陈列照片", "filename": "陈列.pdf", "content_type": "application/pdf",
                  "content_base64": photo},
        ),
        201,
    )  # fmt: skip
    version_id = material["version"]["version_id"]
    listed = ok(zhao.get(f"/v1/partner/promotion-applications/{aid}/documents"))["documents"]
    assert [d["latest_version_id"] for d in listed] == [version_id]
    read = ok(zhao.get(f"/v1/document-versions/{version_id}", params={"include_content": "true"}))
    assert read["content_base64"] == photo
    staff_view = ok(admin.get("/v1/documents", params={"subject_type": "promotion_application", "subject_id": aid}))
    assert [d["latest_version_id"] for d in staff_view["documents"]] == [version_id]

    # 宁波 sees none of it: not the application, its documents, a version, nor 杭州's registration.
    assert sun.get(f"/v1/partner/promotion-applications/{aid}").status_code == 404
    assert sun.get(f"/v1/partner/promotion-applications/{aid}/documents").status_code == 404
    assert sun.get(f"/v1/document-versions/{version_id}").status_code == 404
    refiled = {"title": "冒充", "filename": "x.pdf", "content_base64": photo}
    assert sun.post(f"/v1/partner/promotion-applications/{aid}/documents", json=refiled).status_code == 404
    assert aid not in [a["application_id"] for a in ok(sun.get("/v1/partner/promotion-applications"))["applications"]]
    assert sun.get(f"/v1/partner/registrations/{reg_id}").status_code == 404
    assert sun.get("/v1/promotion-applications").status_code == 403  # the manufacturer's list
    assert (
        zhao.get("/v1/documents", params={"subject_type": "promotion_application", "subject_id": aid}).status_code
        == 403
    )

    # The approval: kind promotion, decided by the channel manager; an approver's comment stays internal.
    approval_id = until(lambda: ok(manager.get(f"/v1/promotion-applications/{aid}"))["application"]["approval_id"])
    request = ok(manager.get(f"/v1/approvals/{approval_id}"))["approval"]
    assert (request["kind"], request["subject_type"], request["subject_id"]) == (
        "promotion",
        "promotion_application",
        aid,
    )
    ok(manager.post(f"/v1/approvals/{approval_id}/comments", json={"comment": "内部：该经销商上季度陈列未达标"}), 201)
    assert other_manager.get(f"/v1/promotion-applications/{aid}").status_code == 404  # not their distributor
    approve_task(manager, approval_id, "同意支持 3 万元陈列费")
    decided = until(lambda: (a := application_of(zhao, aid))["status"] == "approved" and a)
    assert (decided["decision"], decided["decision_comment"]) == ("approved", "同意支持 3 万元陈列费")
    assert decided["approval_id"] == "" and decided["decided_at"]
    told = partner_app.next_about("促销申报已通过")
    assert (told["subject_type"], told["subject_id"]) == ("promotion_application", aid)
    assert "内部" not in str(ok(zhao.get(f"/v1/partner/promotion-applications/{aid}")))
    assert zhao.get(f"/v1/approvals/{approval_id}").status_code in (403, 404)
    managed = ok(manager.get("/v1/promotion-applications", params={"programme_id": pid}))["applications"]
    assert [(a["application_id"], a["status"]) for a in managed] == [(aid, "approved")]
    assert ok(other_manager.get("/v1/promotion-applications", params={"programme_id": pid}))["applications"] == []

    # A period application (no registration) of 杭州's, rejected: the partner reads why.
    for_period = ok(
        zhao.post(
            f"/v1/partner/promotions/{pid}/applications",
            json={"period_starts_on": today.isoformat(), "period_ends_on": (today + timedelta(days=30)).isoformat(),
                  "amount_asked": {"amount_minor": 2_000_000}},
        ),
        201,
    )["application"]  # fmt: skip
    pending = until(lambda: ok(admin.get(f"/v1/promotion-applications/{for_period['application_id']}")))
    period_approval = until(
        lambda: ok(admin.get(f"/v1/promotion-applications/{for_period['application_id']}"))["application"][
            "approval_id"
        ]
    )
    assert pending["application"]["registration_id"] == ""

    def reject() -> bool:
        tasks = ok(manager.get(f"/v1/approvals/{period_approval}"))["tasks"]
        pending_tasks = [t["task_id"] for t in tasks if t["assignee"] == "wangqiang" and t["status"] == "pending"]
        if pending_tasks:
            ok(manager.post(f"/v1/approval-tasks/{pending_tasks[0]}/reject", json={"comment": "请按单笔报备申请"}))
        return bool(pending_tasks)

    until(reject)
    rejected = until(lambda: (a := application_of(zhao, for_period["application_id"]))["status"] == "rejected" and a)
    assert (rejected["decision"], rejected["decision_comment"]) == ("rejected", "请按单笔报备申请")
    mine = ok(zhao.get("/v1/partner/promotion-applications", params={"programme_id": pid}))["applications"]
    assert {a["application_id"]: a["status"] for a in mine} == {
        aid: "approved",
        for_period["application_id"]: "rejected",
    }
    assert ok(sun.get("/v1/partner/promotion-applications", params={"programme_id": pid}))["applications"] == []
