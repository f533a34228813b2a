"""A contract signed for real through the gateway, for the end-to-end tests
(sync httpx clients against a running stack): the owner opens it and uploads
a draft with its fields, asks for the contract review, whoever holds each task
approves, and 法务 signs it once the contract heard of the decision. Finance
then builds its payment plan from contract.signed."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import httpx

from tests.support.documents import make_pdf

# Two instalments due at signing and a retention that waits for acceptance.
TERMS = (
    {"name": "预付款", "trigger": "advance", "days": 0, "percent_bp": 3000},
    {"name": "到货款", "trigger": "advance", "days": 0, "percent_bp": 6000},
    {"name": "质保金", "trigger": "retention", "days": 0, "percent_bp": 1000},
)
EQUIPMENT = ({"model": "HX-280", "description": "剑杆织机", "quantity": 2, "unit_price_minor": 68_000_000},)


def _wait(check: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"not within {timeout}s: {what}")


def _ok(response: httpx.Response, *statuses: int) -> dict:
    assert response.status_code in (statuses or (200, 201)), f"{response.request.url}: {response.text[:500]}"
    return response.json()


def sign_contract(
    owner: httpx.Client,
    signer: httpx.Client,
    users: Mapping[str, httpx.Client],
    opportunity_id: str,
    signed_on: date,
    *,
    label: str = "V1",
) -> tuple[str, str]:
    """(contract id, signed version id); `users` maps user ids to their clients (the approvers among them)."""
    fields = {"currency": "CNY", "total_minor": sum(e["quantity"] * e["unit_price_minor"] for e in EQUIPMENT),
              "warranty_months": 12, "equipment": list(EQUIPMENT), "instalments": list(TERMS)}
    contract_id = _ok(owner.post("/v1/contracts", json={"opportunity_id": opportunity_id, "title": "织机采购合同"}),
                      201)["contract"]["contract_id"]
    version_id = _ok(owner.post("/v1/documents/versions", json={
        "subject_type": "contract", "subject_id": contract_id, "opportunity_id": opportunity_id, "doc_type": "合同",
        "title": "织机采购合同", "filename": "contract.pdf", "content_type": "application/pdf", "fields": fields,
        "content_base64": base64.b64encode(make_pdf([["织机采购合同"]])).decode()}), 201)["version"]["version_id"]
    approval_id = _ok(owner.post("/v1/approvals", json={
        "kind": "contract", "subject_type": "opportunity", "subject_id": opportunity_id,
        "document_version_id": version_id, "reason": "合同评审"}), 201)["approval"]["approval_id"]

    def decided() -> bool:
        found = _ok(owner.get(f"/v1/approvals/{approval_id}"))
        for task in (t for t in found["tasks"] if t["status"] == "pending"):
            _ok(users[task["assignee"]].post(f"/v1/approval-tasks/{task['task_id']}/approve", json={"comment": "同意"}))
        return found["approval"]["status"] == "approved"

    _wait(decided, "the contract's review approved")

    def signed() -> bool:
        response = signer.post(f"/v1/contracts/{contract_id}/signatures", json={
            "version_id": version_id, "label": label, "signed_on": signed_on.isoformat(),
            "parties": ["客户", "本公司"], "filename": "signed.pdf",
            "content_base64": base64.b64encode(make_pdf([[f"织机采购合同 {label} 签署版"]])).decode()})
        return response.status_code == 200  # 400 until the contract heard of the approval's decision

    _wait(signed, "the contract signed by 法务")
    return contract_id, version_id


def payment_plan(finance: httpx.Client, contract_id: str) -> dict:
    """The contract's plan once finance built it from contract.signed."""

    def built() -> dict:
        response = finance.get(f"/v1/contracts/{contract_id}/payment-plans")
        plans = response.json().get("plans", []) if response.status_code == 200 else []
        return plans[0] if plans else {}

    return _wait(built, "finance's payment plan of the signed contract")


def receipt_body(contract_id: str, version_id: str, instalment_id: str, amount_minor: int, payer: str) -> dict:
    return {"contract_id": contract_id, "contract_version_id": version_id, "instalment_id": instalment_id,
            "amount": {"amount_minor": amount_minor, "currency": "CNY"}, "payer_name": payer,
            "equipment": [{"model": e["model"], "quantity": e["quantity"]} for e in EQUIPMENT]}
