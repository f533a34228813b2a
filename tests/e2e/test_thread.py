"""The thread through the system, through the gateway, against every process:
lead -> lead.created -> convert -> opportunity from lead.converted ->
proposal version -> approval submitted and decided -> the opportunity sees
the decision -> a contract reviewed and signed -> finance's plan from
contract.signed -> a receipt tagged with the lead's source."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from datetime import UTC, datetime

from scripts.localstack import wait_for_opportunity
from tests.support.contract_signing import payment_plan, receipt_body, sign_contract


def eventually(check: Callable[[], object], timeout: float = 20.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout}s")


def test_lead_to_receipt(as_user) -> None:
    rep, manager, finance = as_user("zhangwei"), as_user("wangqiang"), as_user("liufang")

    created = rep.post(
        "/v1/leads",
        json={"company_name": "湖州南浔华丰木业有限公司", "phone": "13857212345", "source": "展会扫码",
              "province": "浙江省", "city": "湖州市", "district": "南浔区"},
        headers={"Idempotency-Key": "thread-lead-1"},
    )
    assert created.status_code == 201, created.text
    lead = created.json()["lead"]
    assert rep.get(f"/v1/leads/{lead['lead_id']}").json()["lead"]["status"] == "open"

    converted = rep.post(
        f"/v1/leads/{lead['lead_id']}/convert",
        json={"opportunity_name": "华丰木业 砂光线", "expected_amount": {"amount_minor": 35_000_000, "currency": "CNY"}},
    )
    assert converted.status_code == 200, converted.text
    assert converted.json()["lead"]["status"] == "converted"

    opportunity = wait_for_opportunity(str(rep.base_url).rstrip("/"), dict(rep.headers), lead["lead_id"])
    assert opportunity["customer_name"] == "湖州南浔华丰木业有限公司"
    assert opportunity["amount"] == {"amount_minor": 35_000_000, "currency": "CNY"}
    opportunity_id = opportunity["opportunity_id"]

    version = rep.post(
        "/v1/documents/versions",
        json={"opportunity_id": opportunity_id, "doc_type": "技术方案", "title": "砂光线技术方案",
              "filename": "proposal.txt", "content_type": "text/plain",
              "content_base64": base64.b64encode("方案 第1版".encode()).decode()},
    )
    assert version.status_code == 201, version.text
    version_id = version.json()["version"]["version_id"]
    assert version.json()["version"]["version_number"] == 1

    submitted = rep.post(
        "/v1/approvals",
        json={"subject_type": "opportunity", "subject_id": opportunity_id, "document_version_id": version_id,
              "reason": "报价低于指导价 8%"},
    )
    assert submitted.status_code == 201, submitted.text
    approval_id = submitted.json()["approval"]["approval_id"]
    # The request's task is its approver's: the requester's manager under the built-in policy (from the rep
    # profiles lead-routing announces), or the fallback admin while approval has not heard of the team yet.
    team = manager.put("/v1/reps/zhangwei", json={
        "name": "张伟", "team": "华东一组", "manager_id": "wangqiang", "region": "柯桥区",
        "native_place": "绍兴市", "seniority": "senior", "capacity": 10, "daily_claim_limit": 5,
    })
    assert team.status_code in (200, 201), team.text
    [task] = [t for t in rep.get(f"/v1/approvals/{approval_id}").json()["tasks"] if t["status"] == "pending"]
    # The rep cannot approve their own request: the task is not theirs.
    assert rep.post(f"/v1/approval-tasks/{task['task_id']}/approve", json={}).status_code == 404
    decided = as_user(task["assignee"]).post(f"/v1/approval-tasks/{task['task_id']}/approve", json={"comment": "同意"})
    assert decided.status_code == 200, decided.text
    assert decided.json()["approval"]["status"] == "approved"

    def decision_seen() -> list:
        return rep.get(f"/v1/opportunities/{opportunity_id}").json()["opportunity"].get("approvals", [])

    approvals = eventually(decision_seen)
    assert approvals[0]["approval_id"] == approval_id and approvals[0]["decision"] == "approved"

    users = {user: as_user(user) for user in ("wangqiang", "admin")}
    contract_id, version_id = sign_contract(rep, as_user("chenjing"), users, opportunity_id,
                                            datetime.now(UTC).date())
    first = payment_plan(finance, contract_id)["instalments"][0]
    recorded = finance.post("/v1/receipts", json=receipt_body(
        contract_id, version_id, first["instalment_id"], 10_500_000, "湖州南浔华丰木业有限公司"))
    assert recorded.status_code == 201, recorded.text
    receipt = recorded.json()["receipt"]
    assert (receipt["opportunity_id"], receipt["lead_source"], receipt["status"]) == (
        opportunity_id, "展会扫码", "recorded")
    listed = rep.get(f"/v1/opportunities/{opportunity_id}/receipts").json()["receipts"]
    assert [r["receipt_id"] for r in listed] == [receipt["receipt_id"]]
    check = finance.get("/v1/finance/ledger-check").json()
    assert check["balanced"] is True, check
