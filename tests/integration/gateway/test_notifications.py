"""Notifications through a real gateway process-equivalent (uvicorn on a real
port) on real NATS: the recipient's app receives them over SSE, nobody else
does, a reconnect with Last-Event-ID gets what it missed, and the tenant's
企业微信 group robot (a real local HTTP receiver) gets each one once, even
when it refuses the first attempt."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
import uvicorn
from aiohttp import web

from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.clock import SystemClock
from crm_shared.events import make_envelope, subject_for
from crm_shared.ids import new_id
from gateway.auth import DEMO_USERS, DevIssuer
from gateway.bootstrap import create_app
from gateway.config import Settings
from tests.support.infra import eventually, migrate, refused_address, serve_uvicorn


class Robot:
    """A stand-in 企业微信 group robot: records posts, refuses the first one
    whose content contains `refuse_once`."""

    def __init__(self, refuse_once: str) -> None:
        self.refuse_once = refuse_once
        self.accepted: list[dict[str, Any]] = []
        self.refused = 0

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.refuse_once in json.dumps(body, ensure_ascii=False) and not self.refused:
            self.refused += 1
            return web.json_response({"errcode": 45009, "errmsg": "api freq out of limit"})
        self.accepted.append(body)
        return web.json_response({"errcode": 0, "errmsg": "ok"})


@pytest.fixture
async def robot() -> AsyncIterator[tuple[Robot, str]]:
    receiver = Robot(refuse_once="REFUSE-ME")
    app = web.Application()
    app.router.add_post("/cgi-bin/webhook/send", receiver.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    try:
        yield receiver, f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=test"
    finally:
        await runner.cleanup()


@pytest.fixture
async def gateway(nats_url: str, tmp_path: Path, robot: tuple[Robot, str]) -> AsyncIterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await migrate("gateway", url)
    nowhere = refused_address()
    settings = Settings(
        dev_auth=True,
        dev_key_path=str(tmp_path / "dev-key.pem"),
        database_url=url,
        nats_url=nats_url,
        wecom_webhooks={"demo": robot[1]},
        lead_routing_addr=nowhere,
        opportunity_addr=nowhere,
        approval_addr=nowhere,
        document_versioning_addr=nowhere,
        finance_reconciliation_addr=nowhere,
    )
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning"))
    task, port = await serve_uvicorn(server)
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base) as client:

        async def connected() -> bool:
            try:
                ready = await client.get("/readyz")
            except httpx.HTTPError:
                return False
            return ready.json().get("checks", {}).get("nats") == "SERVING"

        await eventually(connected, timeout=20)
    try:
        yield base
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 20)


async def token(base: str, user: str) -> str:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post("/v1/auth/token", json={"username": user, "password": "demo"})
        response.raise_for_status()
        return response.json()["access_token"]


async def notify(nats_url: str, tenant: str, recipient: str, title: str, body: str, group: bool = True) -> None:
    """What any service's outbox relay does with a notification.requested row."""
    payload = NotificationRequested(
        recipient_id=recipient, kind="lead.high_match", title=title, body=body,
        subject_type="lead", subject_id=new_id(), notify_group=group,
    )
    envelope = make_envelope(
        "notification.requested", tenant, payload.subject_id, payload, source="test", occurred_at=SystemClock().now()
    )
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().publish(
            subject_for("notification.requested"), envelope.SerializeToString(), headers={"Nats-Msg-Id": envelope.event_id}
        )
    finally:
        await nc.close()


class SseReader:
    """Reads `notification` events of one SSE connection into a queue."""

    def __init__(self, base: str, access_token: str, last_event_id: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {access_token}"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.client = httpx.AsyncClient(base_url=base, headers=headers, timeout=None)
        self.events: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self.opened = asyncio.Event()
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async with self.client.stream("GET", "/v1/notifications/stream") as response:
            assert response.status_code == 200, await response.aread()
            self.opened.set()
            event_id, data = "", ""
            async for line in response.aiter_lines():
                if line.startswith("id:"):
                    event_id = line[3:].strip()
                elif line.startswith("data:"):
                    data = line[5:].strip()
                elif not line and data:
                    await self.events.put((event_id, json.loads(data)))
                    event_id, data = "", ""

    async def next_titled(self, prefix: str, timeout: float = 10) -> tuple[str, dict[str, Any]]:
        """The next event whose title starts with `prefix` (other tests share the stream)."""
        async with asyncio.timeout(timeout):
            while True:
                event_id, note = await self.events.get()
                if note["title"].startswith(prefix):
                    return event_id, note

    async def titles_within(self, prefix: str, seconds: float) -> list[str]:
        seen = []
        try:
            while True:
                _, note = await asyncio.wait_for(self.events.get(), seconds)
                if note["title"].startswith(prefix):
                    seen.append(note["title"])
        except TimeoutError:
            return seen

    async def close(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        await self.client.aclose()


async def test_sse_reaches_only_the_recipient_and_replays_after_reconnect(gateway: str, nats_url: str) -> None:
    tag = new_id()[-8:]
    zhang = SseReader(gateway, await token(gateway, "zhangwei"))
    lina = SseReader(gateway, await token(gateway, "lina"))
    outsider = SseReader(gateway, await token(gateway, "other-rep"))
    try:
        for reader in (zhang, lina, outsider):
            await asyncio.wait_for(reader.opened.wait(), 10)
        await notify(nats_url, "demo", "zhangwei", f"{tag} 绍兴柯桥恒盛纺织", "需求：剑杆织机 20 台\n预算 80 万")
        # Same user id in another tenant: must not leak across tenants either.
        await notify(nats_url, "other", "zhangwei", f"{tag} 别的租户", "不应出现")

        first_id, note = await zhang.next_titled(tag)
        assert note["title"] == f"{tag} 绍兴柯桥恒盛纺织"
        assert note["body"].startswith("需求：剑杆织机") and note["kind"] == "lead.high_match"
        assert await lina.titles_within(tag, 1.0) == []
        assert await outsider.titles_within(tag, 0.2) == []
    finally:
        await zhang.close()

    try:
        # Published while zhangwei's app was offline...
        await notify(nats_url, "demo", "zhangwei", f"{tag} 宁波北仑精密注塑", "需求：注塑机")
        await notify(nats_url, "demo", "lina", f"{tag} 给李娜的", "不是张伟的")
        # ...arrives on reconnect with the last id seen, exactly once, in order.
        again = SseReader(gateway, await token(gateway, "zhangwei"), last_event_id=first_id)
        try:
            _, missed = await again.next_titled(tag)
            assert missed["title"] == f"{tag} 宁波北仑精密注塑"
            await notify(nats_url, "demo", "zhangwei", f"{tag} 杭州萧山华达", "需求：数控机床")
            _, live = await again.next_titled(tag)
            assert live["title"] == f"{tag} 杭州萧山华达"
            assert await again.titles_within(tag, 1.0) == []
        finally:
            await again.close()
    finally:
        await lina.close()
        await outsider.close()


async def test_group_robot_gets_each_notification_once_after_a_refusal(
    gateway: str, nats_url: str, robot: tuple[Robot, str]
) -> None:
    receiver, _ = robot
    tag = new_id()[-8:]
    await notify(nats_url, "demo", "zhangwei", f"{tag} REFUSE-ME 恒盛纺织", "需求：剑杆织机 20 台")
    await notify(nats_url, "demo", "zhangwei", f"{tag} 仅推送到 App", "不发群", group=False)
    await notify(nats_url, "other", "other-rep", f"{tag} 未配置机器人的租户", "不发群")

    def mine() -> list[dict[str, Any]]:
        return [b for b in receiver.accepted if tag in b["markdown"]["content"]]

    posted = await eventually(mine, timeout=20)
    await asyncio.sleep(1.0)  # a second delivery would arrive by now
    assert len(mine()) == 1 and receiver.refused == 1
    message = posted[0]
    assert message["msgtype"] == "markdown"
    assert message["markdown"]["content"].startswith(f"**{tag} REFUSE-ME 恒盛纺织**")
    assert "> 需求：剑杆织机 20 台" in message["markdown"]["content"]


async def test_stream_needs_a_token_and_a_numeric_last_event_id(gateway: str) -> None:
    async with httpx.AsyncClient(base_url=gateway) as client:
        anonymous = await client.get("/v1/notifications/stream")
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"].startswith("application/problem+json")
        bad = await client.get(
            "/v1/notifications/stream",
            headers={"Authorization": f"Bearer {await token(gateway, 'zhangwei')}", "Last-Event-ID": "abc"},
        )
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "Last-Event-ID"


async def test_stream_ends_when_the_token_that_opened_it_expires(gateway: str, tmp_path: Path) -> None:
    # The same dev key as the gateway's; the token has 2 s left.
    issuer = DevIssuer(Settings(dev_auth=True, dev_key_path=str(tmp_path / "dev-key.pem")))
    short = issuer.issue(DEMO_USERS["zhangwei"], now=time.time() - issuer.ttl + 2)["access_token"]
    lines: list[str] = []
    async with httpx.AsyncClient(base_url=gateway, headers={"Authorization": f"Bearer {short}"}, timeout=None) as c:
        async with asyncio.timeout(15), c.stream("GET", "/v1/notifications/stream") as response:
            assert response.status_code == 200
            async for line in response.aiter_lines():  # ends when the gateway closes the stream
                lines.append(line)
    assert "event: expired" in lines
