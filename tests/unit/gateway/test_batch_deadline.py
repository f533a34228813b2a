"""Calls that work through a whole file or pool get the longer batch deadline;
everything else keeps the short one."""

from typing import Any

import httpx
from crm_shared.context import Caller
from fastapi import FastAPI
from gateway.adapters.backends import Backends, to_json
from gateway.adapters.stubs import Method, lead_routing
from gateway.auth import Principal
from gateway.entrypoints import leads, routing
from gateway.entrypoints.deps import current_principal, rpc_as_caller


class RecordingRpc:
    def __init__(self) -> None:
        self.calls: list[tuple[str, bool]] = []

    async def __call__(self, method: Method, request: Any, *, batch: bool = False) -> dict[str, Any]:
        self.calls.append((method.name, batch))
        return to_json(method.response())


async def test_imports_and_whole_pool_calls_are_batch_calls() -> None:
    app = FastAPI()
    app.include_router(leads.router)
    app.include_router(routing.router)
    recorder = RecordingRpc()
    app.dependency_overrides[rpc_as_caller] = lambda: recorder
    app.dependency_overrides[current_principal] = lambda: Principal("admin", "demo", "admin", "系统管理员")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        await c.post("/v1/leads/import", files={"file": ("展会.csv", "公司名称\n恒盛纺织\n".encode(), "text/csv")})
        await c.post("/v1/pool/assign")
        await c.post("/v1/pool/rerank")
        await c.get("/v1/leads")
        await c.get("/v1/pool")
    assert recorder.calls == [
        ("ImportLeads", True),
        ("AssignPool", True),
        ("RerankPool", True),
        ("ListLeads", False),
        ("ListPool", False),
    ]


class RecordingStub:
    def __init__(self) -> None:
        self.timeouts: list[float] = []

    async def GetLead(self, request: Any, *, metadata: Any, timeout: float) -> str:
        self.timeouts.append(timeout)
        return "ok"


async def test_a_batch_call_waits_for_the_batch_deadline() -> None:
    backends = Backends({"lead-routing": "127.0.0.1:1"}, 10.0, 1.0, batch_timeout_s=90.0)
    stub = RecordingStub()
    peer, _ = backends.stubs[lead_routing.GetLead.service]
    backends.stubs[lead_routing.GetLead.service] = (peer, stub)
    caller = Caller("t", "u", "manager")
    await backends.call(lead_routing.GetLead, object(), caller)
    await backends.call(lead_routing.GetLead, object(), caller, batch=True)
    assert stub.timeouts == [10.0, 90.0]
