"""The stack the contract and ECN tests share: document-versioning,
opportunity (on a controllable clock, timers every 0.2 s), approval and
lead-routing (whose distributors a partner route asks for) as real services
(gRPC, database, JetStream), and the gateway in-process with
each tenant's own secret for an e-signature provider. Helpers go through the
gateway."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.events import unpack
from document_versioning.bootstrap import build
from document_versioning.config import Settings
from nats.js.api import DeliverPolicy

from tests.integration.gateway.conftest import gateway_client, nowhere, other_backend
from tests.integration.gateway.test_gateway import login
from tests.support.documents import make_pdf
from tests.support.infra import eventually, migrate, run_service
from tests.support.subjects import Opportunities, opportunity_service, reserve

TENANT = "demo"
OWNER = Caller(TENANT, "zhangwei", "rep")
PEER = Caller(TENANT, "lina", "rep")
ESIGN_SECRET = "fadada-webhook-secret-for-tests"
# The other tenant's account with the same provider signs with its own secret.
OTHER_TENANT = "other"
OTHER_ESIGN_SECRET = "fadada-secret-of-the-other-tenant"


@dataclass
class Stack:
    client: httpx.AsyncClient
    opps: Opportunities
    clock: FixedClock
    js: Any
    auth: dict[str, dict[str, str]] = field(default_factory=dict)

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]

    async def get(self, user: str, path: str, **params: object) -> httpx.Response:
        return await self.client.get(path, params=params, headers=await self.as_(user))

    async def post(self, user: str, path: str, body: dict) -> httpx.Response:
        return await self.client.post(path, json=body, headers=await self.as_(user))

    async def events(self, event_type: str, aggregate_id: str, message: Any) -> list[Any]:
        """Every event of a type about one aggregate, read from its real stream."""
        sub = await self.js.subscribe(f"crm.{event_type}", deliver_policy=DeliverPolicy.ALL, ordered_consumer=True)
        found = []
        try:
            while True:
                try:
                    msg = await sub.next_msg(timeout=0.5)
                except nats.errors.TimeoutError:
                    break
                env = Envelope.FromString(msg.data)
                if env.aggregate_id == aggregate_id:
                    found.append(unpack(env, message))
        finally:
            await sub.unsubscribe()
        return found


@pytest.fixture(name="stack")
async def stack_fixture(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    async with open_stack(nats_url, database_url, tmp_path) as stack:
        yield stack


@asynccontextmanager
async def open_stack(
    nats_url: str,
    database_url: str,
    tmp_path: Path,
    *,
    finance: bool = False,
    timer_interval_s: float = 0.2,
    finance_settings: dict[str, Any] | None = None,
) -> AsyncIterator[Stack]:
    """The stack; with `finance`, finance-reconciliation too (payment plans from the real contract.signed),
    with `finance_settings` if given (e.g. the overpayment tolerance)."""
    await migrate("document-versioning", database_url)
    gateway_db = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await migrate("gateway", gateway_db)
    clock = FixedClock(datetime.now(UTC))
    opportunity = reserve()
    nc = await nats.connect(nats_url)
    async with (
        run_service(
            build,
            Settings,
            nats_url=nats_url,
            database_url=database_url,
            opportunity_addr=opportunity.address,
            blob_dir=str(tmp_path / "blobs"),
        ) as docs,
        other_backend(
            "approval", nats_url, tmp_path, opportunity_addr=opportunity.address, document_versioning_addr=docs.address
        ) as approval,
        # Finance (a partner's rebates) and opportunity (a partner's sales lists) ask it about partners.
        other_backend("lead_routing", nats_url, tmp_path) as lead_routing,
        _finance(
            nats_url, tmp_path, opportunity.address, enabled=finance,
            lead_routing_addr=lead_routing.address, **(finance_settings or {}),
        ) as finance_addr,
        opportunity_service(
            nats_url,
            database_url,
            tmp_path,
            opportunity,
            clock=clock,
            document_versioning_addr=docs.address,
            approval_addr=approval.address,
            lead_routing_addr=lead_routing.address,
            timer_interval_s=timer_interval_s,
        ) as opps,
    ):
        await opps.announce_reps(TENANT, {"zhangwei": "wangqiang", "lina": "wangqiang"})
        async with gateway_client(
            database_url=gateway_db,
            lead_routing_addr=lead_routing.address,
            opportunity_addr=opps.address,
            approval_addr=approval.address,
            document_versioning_addr=docs.address,
            finance_reconciliation_addr=finance_addr,
            esign_secrets={TENANT: {"fadada": ESIGN_SECRET}, OTHER_TENANT: {"fadada": OTHER_ESIGN_SECRET}},
        ) as client:
            yield Stack(client, opps, clock, nc.jetstream())
    await nc.close()


@asynccontextmanager
async def _finance(
    nats_url: str, tmp_path: Path, opportunity_addr: str, *, enabled: bool, **settings: Any
) -> AsyncIterator[str]:
    """finance-reconciliation's address, or one where nothing listens."""
    if not enabled:
        yield nowhere()
        return
    async with other_backend(
        "finance_reconciliation", nats_url, tmp_path, opportunity_addr=opportunity_addr, **settings
    ) as svc:
        yield svc.address


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def signed_callback(
    body: dict, *, secret: str = ESIGN_SECRET, tenant: str = TENANT, at: int | None = None
) -> tuple[bytes, dict]:
    """A provider's callback as it sends it: for `tenant` (X-Esign-Tenant), signed with `secret`."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    timestamp = str(int(time.time()) if at is None else at)
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-Esign-Tenant": tenant,
        "X-Esign-Provider": "fadada",
        "X-Esign-Timestamp": timestamp,
        "X-Esign-Signature": f"sha256={digest}",
    }
    return raw, headers


async def upload(s: Stack, user: str, body: dict, content: bytes) -> dict:
    reply = await s.post(user, "/v1/documents/versions", body | {"content_base64": b64(content)})
    assert reply.status_code in (200, 201), reply.text
    return reply.json()["version"]


async def open_contract(s: Stack, opportunity_id: str, user: str = "zhangwei", *, number: str = "") -> dict:
    body = {"opportunity_id": opportunity_id, "title": "注塑机采购合同"} | (
        {"contract_number": number} if number else {}
    )
    reply = await s.post(user, "/v1/contracts", body)
    assert reply.status_code == 201, reply.text
    return reply.json()["contract"]


async def contract(s: Stack, contract_id: str, user: str = "zhangwei") -> dict:
    reply = await s.get(user, f"/v1/contracts/{contract_id}")
    assert reply.status_code == 200, reply.text
    return reply.json()["contract"]


async def upload_draft(s: Stack, c: dict, fields: dict, *, document_id: str = "", text: str = "合同草稿") -> dict:
    filing = (
        {"document_id": document_id}
        if document_id
        else {
            "subject_type": "contract",
            "subject_id": c["contract_id"],
            "opportunity_id": c["opportunity_id"],
            "doc_type": "合同",
            "title": "注塑机采购合同",
        }
    )
    body = filing | {"filename": "contract.pdf", "content_type": "application/pdf", "fields": fields}
    return await upload(s, "zhangwei", body, make_pdf([[text]]))


async def review(s: Stack, c: dict, version_id: str, *, approve: bool = True) -> str:
    """A contract approval request naming the draft, decided by whom the policy asks (the owner's
    manager by the built-in default); the contract learns both from the approval events."""
    reply = await s.post(
        "zhangwei",
        "/v1/approvals",
        {
            "kind": "contract",
            "subject_type": "opportunity",
            "subject_id": c["opportunity_id"],
            "document_version_id": version_id,
            "reason": "合同评审",
        },
    )
    assert reply.status_code == 201, reply.text
    approval_id = reply.json()["approval"]["approval_id"]

    async def state() -> str:
        versions = (await contract(s, c["contract_id"]))["versions"]
        return next((v["state"] for v in versions if v["version_id"] == version_id), "")

    assert await eventually(lambda: _is(state, "under_review")), "the contract learns of the approval request"
    while True:  # every step of the policy, until the request is decided
        found = (await s.get("admin", f"/v1/approvals/{approval_id}")).json()
        pending = [t for t in found["tasks"] if t["status"] == "pending"]
        if found["approval"]["status"] != "pending" or not pending:
            break
        task = pending[0]
        action = "approve" if approve else "reject"
        acted = await s.post(task["assignee"], f"/v1/approval-tasks/{task['task_id']}/{action}", {"comment": "同意"})
        assert acted.status_code == 200, acted.text
    await eventually(lambda: _is(state, "approved" if approve else "rejected"))
    return approval_id


async def _is(check: Any, expected: str) -> bool:
    return await check() == expected


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
