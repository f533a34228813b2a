"""The console in-process with a FakeGateway: `console("zhangwei")` is an httpx
client signed in as that demo user (its session cookie sealed as /auth/callback
would), `fake_gateway` the canned gateway behind it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from web.bootstrap import create_app
from web.config import Settings
from web.session import SESSION_COOKIE, Session

from tests.unit.web.fakes import FakeGateway

USERS = {
    "zhangwei": ("demo", "rep", "张伟", ""),
    "lina": ("demo", "rep", "李娜", ""),
    "wangqiang": ("demo", "manager", "王强", ""),
    "zhoumin": ("demo", "manager", "周敏", ""),
    "liufang": ("demo", "finance", "刘芳", ""),
    "chenjing": ("demo", "reviewer", "陈静", ""),
    "admin": ("demo", "admin", "系统管理员", ""),
    "zhaolei": ("demo", "partner", "赵磊", "dist-hz"),
    "sunli": ("demo", "partner", "孙丽", "dist-nb"),
    "other-rep": ("other", "rep", "其他租户销售", ""),
}
CSRF = "test-csrf-token"


@pytest.fixture
def fake_gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def web_app(fake_gateway: FakeGateway, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(session_key_path=str(tmp_path / "session.key"), cookie_secure=False,
                        gateway_url="http://gateway.invalid")
    return create_app(settings, gateway_factory=fake_gateway.client)


@pytest.fixture
async def console(web_app) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:  # type: ignore[no-untyped-def]
    clients: list[httpx.AsyncClient] = []

    def make(user: str | None = "zhangwei", *, lang: str | None = None) -> httpx.AsyncClient:
        cookies = {}
        if user is not None:
            tenant, role, name, org = USERS[user]
            s = Session(user_id=user, tenant=tenant, role=role, name=name, organisation=org,
                        token=f"token-of-{user}", expires_at=time.time() + 3600, csrf=CSRF)
            cookies[SESSION_COOKIE] = web_app.state.codec.seal_session(s)
        if lang:
            cookies["crm_lang"] = lang
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=web_app), base_url="http://console.test", cookies=cookies,
            headers={"x-csrf-token": CSRF} if user else {},
        )
        clients.append(client)
        return client

    yield make
    for c in clients:
        await c.aclose()
