"""The protection window of a deal registration across the real processes, as
`make run` starts them: a partner of 杭州 registers a customer the
manufacturer does not know; the channel manager approves it through the
approval service; the customer's lead carries the partner (reps see it
partner-protected, the partner's distributor sees it, another distributor
does not). With the clock moved, the partner is reminded 7 days and 1 day
before the end (on their notification stream), asks for an extension, the
channel manager approves it and the end moves; at the new end without
progress the registration lapses, visibly, and the lead goes back to the pool
without its partner. On a stack of its own, on SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest

from scripts.localstack import Stack, load_distributors, postgres_databases, wait_for_opportunity
from tests.e2e.conftest import Api, running_stack, stack_on_free_ports
from tests.e2e.test_routing_and_pipeline import Notifications, ok, until
from tests.support.replicated import postgres

DAY = 24 * 3600.0


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def portal(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """(stack, user client maker, clock mover) on a stack of its own, on SQLite or on PostgreSQL: the clock
    moves by months here, which the session's stack's other tests (dates from the wall clock) must not see."""
    var = tmp_path_factory.mktemp(f"protection-{request.param}")
    if request.param == "sqlite":
        with running_stack(var, lambda: stack_on_free_ports(var)) as stack:
            yield stack, _users(stack), _clock(stack)
        return
    server = postgres()
    if server is None:
        pytest.skip("no PostgreSQL server answers (TEST_DATABASE_URL or CRM_POSTGRES_SERVER)")
    with postgres_databases("protection", server) as urls:
        Stack(var=var, database_urls=urls).migrate()
        with running_stack(var, lambda: dataclasses.replace(stack_on_free_ports(var), database_urls=urls)) as stack:
            yield stack, _users(stack), _clock(stack)


def _users(stack: Stack) -> Callable[[str], Api]:
    cache: dict[str, Api] = {}

    def get(name: str) -> Api:
        if name not in cache:
            cache[name] = Api(stack, name)
        return cache[name]

    return get


def _clock(stack: Stack) -> Callable[[float], None]:
    offset = {"s": 0.0}

    def advance(seconds: float) -> None:
        assert stack.clock_offset_file
        offset["s"] += seconds
        stack.clock_offset_file.write_text(str(offset["s"]))

    return advance


def approve_task(manager, approval_id: str, comment: str) -> None:  # type: ignore[no-untyped-def]
    """The channel manager approves their pending task of the request (it appears once approval assigned it)."""

    def pending_task() -> str:
        reply = manager.get(f"/v1/approvals/{approval_id}")
        if reply.status_code != 200:
            return ""
        tasks = [t for t in reply.json()["tasks"] if t["assignee"] == "wangqiang" and t["status"] == "pending"]
        return tasks[0]["task_id"] if tasks else ""

    task_id = until(pending_task)
    ok(manager.post(f"/v1/approval-tasks/{task_id}/approve", json={"comment": comment}))


def registration(admin, registration_id: str) -> dict:  # type: ignore[no-untyped-def]
    return ok(admin.get(f"/v1/registrations/{registration_id}"))["registration"]


def register(partner, company: str) -> str:  # type: ignore[no-untyped-def]
    body = {
        "company_name": company, "phone": f"139{random.randrange(10**8):08d}", "province": "浙江省", "city": "杭州市",
        "industry": "机电设备", "contact_name": "陈经理", "product_line": "数控机床", "models": ["VMC850"],
        "quantity": 2, "expected_amount": {"amount_minor": 38_000_000, "currency": "CNY"},
    }  # fmt: skip
    submitted = ok(partner.post("/v1/partner/registrations", json=body), 201)["registration"]
    assert submitted["outcome"] == "no_conflict"
    return submitted["registration_id"]


def test_a_protected_leads_opportunity_carries_the_partner(portal: tuple) -> None:
    stack, as_user, _ = portal
    admin, zhao, manager = as_user("admin"), as_user("zhaolei"), as_user("wangqiang")
    load_distributors(admin.client)
    reg_id = register(zhao, f"杭州萧山{random.randrange(10**6):06d}液压设备有限公司")
    approve_task(manager, until(lambda: registration(admin, reg_id)["approval_id"]), "同意")
    lead_id = until(lambda: registration(admin, reg_id)["lead_id"])

    converted = ok(manager.post(f"/v1/leads/{lead_id}/convert", json={"opportunity_name": "液压设备 报备商机"}))
    assert converted["lead"]["partner_org_id"] == "dist-hz"
    opp = wait_for_opportunity(stack.gateway_url, dict(manager.client.headers), lead_id)
    assert (opp["partner_org_id"], opp["registration_id"], opp["partner_protected"]) == ("dist-hz", reg_id, True)
    assert opp["partner_name"] == ok(admin.get("/v1/distributors/dist-hz"))["distributor"]["details"]["name"]
    # progress: the registration converted, visibly to the partner, and never lapses
    until(lambda: registration(admin, reg_id)["status"] == "converted")
    assert ok(zhao.get(f"/v1/partner/registrations/{reg_id}"))["registration"]["status"] == "converted"


def test_registration_protected_reminded_extended_and_lapsed(portal: tuple) -> None:
    stack, as_user, advance_clock = portal
    admin, zhao, sun = as_user("admin"), as_user("zhaolei"), as_user("sunli")
    manager, rep = as_user("wangqiang"), as_user("zhangwei")
    load_distributors(admin.client)
    terms = ok(zhao.get("/v1/protection-terms"))["terms"]
    assert (terms["protection_days"], terms["max_extension_days"]) == (90, 30)
    partner_app = Notifications(stack, "zhaolei")
    assert partner_app.opened.wait(10)

    company = f"杭州余杭{random.randrange(10**6):06d}精密机械有限公司"
    reg_id = register(zhao, company)

    # the channel manager approves it through the approval service
    approval_id = until(lambda: registration(admin, reg_id)["approval_id"])
    approve_task(manager, approval_id, "同意报备")
    approved = until(lambda: (r := registration(admin, reg_id))["status"] == "approved" and r)
    lead_id = approved["lead_id"]
    until_ = datetime.fromisoformat(approved["protected_until"])
    assert until_ - datetime.fromisoformat(approved["protected_from"]) == timedelta(days=90)
    seen_by_partner = ok(zhao.get(f"/v1/partner/registrations/{reg_id}"))["registration"]
    assert (seen_by_partner["status"], seen_by_partner["decision_comment"]) == ("approved", "同意报备")
    partner_app.next_about("报备已通过")

    # the lead carries the partner: a rep sees it partner-protected, the partner's distributor sees it, not another
    lead = ok(rep.get(f"/v1/leads/{lead_id}"))["lead"]
    assert (lead["partner_protected"], lead["partner_org_id"], lead["registration_id"]) == (True, "dist-hz", reg_id)
    assert lead["partner_name"] and lead["source"] == "伙伴报备" and lead["owner_id"] == ""
    assert ok(zhao.get(f"/v1/leads/{lead_id}"))["lead"]["company_name"] == company
    assert sun.get(f"/v1/leads/{lead_id}").status_code == 404
    assert (
        sun.post(f"/v1/partner/registrations/{reg_id}/extension", json={"days": 10, "reason": "抢"}).status_code == 404
    )

    # 7 days before the end, then 1 day before: reminded once each
    advance_clock(83 * DAY + 3600)
    partner_app.next_about("还有7天到期", subject_id=reg_id)
    advance_clock(6 * DAY)
    partner_app.next_about("还有1天到期", subject_id=reg_id)

    # an extension: asked by the partner, approved by the channel manager; the end moves
    too_long = zhao.post(f"/v1/partner/registrations/{reg_id}/extension", json={"days": 31, "reason": "客户招标推迟"})
    assert too_long.status_code == 400 and "days" in too_long.text
    asked = ok(
        zhao.post(f"/v1/partner/registrations/{reg_id}/extension", json={"days": 20, "reason": "客户招标推迟到一月"}),
        201,
    )["extension"]
    assert asked["days"] == 20 and asked["approval_id"] == ""  # the partner never sees the approval's id
    extension_approval = until(
        lambda: [x for x in ok(manager.get(f"/v1/registrations/{reg_id}/extensions"))["extensions"] if x["approval_id"]]
    )[0]["approval_id"]
    approve_task(manager, extension_approval, "同意延长")
    extended = until(lambda: (r := registration(admin, reg_id))["extensions"] == 1 and r)
    assert datetime.fromisoformat(extended["protected_until"]) == until_ + timedelta(days=20)
    partner_app.next_about("报备保护期已延长")
    assert ok(rep.get(f"/v1/leads/{lead_id}"))["lead"]["protected_until"] == extended["protected_until"]

    # the old end passes: still protected; the new end passes without progress: lapsed, back to the pool
    advance_clock(2 * DAY)
    assert registration(admin, reg_id)["status"] == "approved"
    advance_clock(20 * DAY)
    until(lambda: registration(admin, reg_id)["status"] == "lapsed")
    partner_app.next_about("报备保护期已过")
    assert ok(zhao.get(f"/v1/partner/registrations/{reg_id}"))["registration"]["status"] == "lapsed"
    lead = ok(rep.get(f"/v1/leads/{lead_id}"))["lead"]
    assert (lead["partner_protected"], lead["partner_org_id"], lead["owner_id"]) == (False, "", "")
    assert zhao.get(f"/v1/leads/{lead_id}").status_code == 404  # no longer the distributor's
