"""Approving a request through the gateway as its approvers would: each
pending task by the user who holds it (the requester's manager under the
built-in policy, or the fallback admin when the rep profiles have not
reached approval yet), until the request is decided."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

Headers = Callable[[str], Awaitable[dict[str, str]]]


async def pending_tasks(client: httpx.AsyncClient, as_: Headers, approval_id: str, reader: str = "admin") -> list[dict]:
    got = await client.get(f"/v1/approvals/{approval_id}", headers=await as_(reader))
    assert got.status_code == 200, got.text
    return [t for t in got.json()["tasks"] if t["status"] == "pending"]


async def approve_all(
    client: httpx.AsyncClient, as_: Headers, approval_id: str, comment: str = "同意", reader: str = "admin"
) -> dict:
    """The request once every task asked has been approved by its holder."""
    for _ in range(20):
        tasks = await pending_tasks(client, as_, approval_id, reader)
        if not tasks:
            break
        for task in tasks:
            reply = await client.post(f"/v1/approval-tasks/{task['task_id']}/approve", json={"comment": comment},
                                      headers=await as_(task["assignee"]))
            assert reply.status_code == 200, reply.text
    got = await client.get(f"/v1/approvals/{approval_id}", headers=await as_(reader))
    return got.json()["approval"]
