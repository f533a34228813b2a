"""The console in a real browser: headless Chromium from Debian's packages
(/usr/bin/chromium; never a downloaded browser) driven by Playwright, against
the whole stack as `make run` starts it (every service, the gateway and the
web console as their own processes, the demo data loaded).

Fixtures: `console_url`, `gateway_url`, `api(user)` (an httpx client of the
gateway with that demo user's token, for test setup), `page_as(user)` (a page
signed in through the real sign-in: the console's /login → the dev issuer's
form → /auth/callback), `accessible(page)` (axe-core: no serious or critical
violations), `shot(page, name)` (a step's screenshot, written to
test-results/<test>/ when the test fails, with one of every open page at the end)."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from scripts.localstack import ROOT, Stack, load_demo, token
from tests.e2e.conftest import running_stack, stack_on_free_ports
from tests.support.infra import free_port

CHROMIUM = os.environ.get("CRM_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "services" / "web" / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = ROOT / "test-results"
# As the machine's own probe starts it: no background connections to the outside, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}
expect.set_options(timeout=15_000)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("browser-stack")
    with running_stack(var, lambda: stack_on_free_ports(var)) as running:
        load_demo(running)
        yield running


@pytest.fixture(scope="session")
def gateway_url(browser_stack: Stack) -> str:
    return browser_stack.gateway_url


@pytest.fixture(scope="session")
def console_url(browser_stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    web_url = getattr(browser_stack, "web_url", None)
    if web_url:
        yield web_url
        return
    # Until the local runner starts the console with the rest: one process of it beside the stack.
    port = free_port()
    var = tmp_path_factory.mktemp("web")
    env = dict(os.environ, WEB_HTTP_PORT=str(port), WEB_GATEWAY_URL=browser_stack.gateway_url,
               WEB_COOKIE_SECURE="false", WEB_SESSION_KEY_PATH=str(var / "session.key"),
               WEB_PUBLIC_URL=f"http://127.0.0.1:{port}")
    log = open(var / "web.log", "wb")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen([sys.executable, "-m", "web"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError((var / "web.log").read_text()[-3000:])
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


@pytest.fixture(scope="session")
def api(gateway_url: str) -> Iterator[Callable[[str], httpx.Client]]:
    clients: dict[str, httpx.Client] = {}

    def get(user: str) -> httpx.Client:
        if user not in clients:
            clients[user] = httpx.Client(
                base_url=gateway_url, headers={"Authorization": f"Bearer {token(gateway_url, user)}"}, timeout=20
            )
        return clients[user]

    yield get
    for c in clients.values():
        c.close()


# Per module: Playwright's sync API runs an event loop in this thread while it is open, and the async tests
# collected after the browser tests need the thread without one.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make browsers` installs Debian's chromium and fonts-wqy-microhei")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _folder(item: pytest.Item) -> Path:
    return RESULTS / re.sub(r"[^\w.-]+", "_", item.nodeid)[-150:]


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Iterator[Callable[[Page, str], None]]:
    taken: list[tuple[str, bytes]] = []

    def take(page: Page, name: str) -> None:
        taken.append((f"{len(taken) + 1:02d}-{name}.png", page.screenshot(full_page=True)))

    yield take
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and taken:
        folder = _folder(request.node)
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in taken:
            (folder / name).write_bytes(data)


@pytest.fixture
def page_as(browser: Browser, console_url: str, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    contexts = []
    pages: list[Page] = []

    def sign_in(user: str, *, viewport: dict[str, int] | None = None, lang: str = "zh-CN") -> Page:
        context = browser.new_context(
            base_url=console_url, locale=lang, timezone_id="Asia/Shanghai", viewport=viewport or {"width": 1280, "height": 900},
        )
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        page.goto("/login")
        page.locator("input[name=username]").fill(user)
        page.locator("input[name=password]").fill("demo")
        page.locator("input[name=password]").press("Enter")
        page.wait_for_url(re.compile(re.escape(console_url) + r"/(\?.*)?$"))
        return page

    yield sign_in
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = _folder(request.node)
        folder.mkdir(parents=True, exist_ok=True)
        for n, page in enumerate(pages, 1):
            with contextlib.suppress(Exception):  # a closed page has nothing to show
                page.screenshot(path=str(folder / f"at-failure-{n}.png"), full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def accessible() -> Callable[[Page], None]:
    source = AXE.read_text(encoding="utf-8")

    def check(page: Page) -> None:
        page.add_script_tag(content=source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
        assert not serious, "accessibility violations on " + page.url + ":\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:5])
            for v in serious
        )

    return check


class _Form(HTMLParser):
    """The first form of a page: its action and its fields' values."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = a.get("action") or ""
        elif tag == "input" and a.get("name"):
            self.fields[str(a["name"])] = a.get("value") or ""


def signed_in_client(console_url: str, user: str) -> tuple[httpx.Client, str]:
    """An HTTP client of the console signed in as `user` through the real flow (the console's /login,
    the issuer's form, /auth/callback), and its CSRF token."""
    client = httpx.Client(base_url=console_url, follow_redirects=True, timeout=20)
    page = client.get("/login")
    form = _Form()
    form.feed(page.text)
    assert form.action is not None, page.text[:500]
    fields = form.fields | {"username": user, "password": "demo"}
    home = client.post(httpx.URL(str(page.url)).join(form.action), data=fields)
    assert home.status_code == 200 and str(home.url).rstrip("/") == console_url.rstrip("/"), (home.status_code, home.url)
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', home.text)
    assert csrf, "no CSRF token on the home page"
    return client, csrf.group(1)


@pytest.fixture(scope="session")
def console_as(console_url: str) -> Iterator[Callable[[str], tuple[httpx.Client, str]]]:
    made: dict[str, tuple[httpx.Client, str]] = {}

    def get(user: str) -> tuple[httpx.Client, str]:
        if user not in made:
            made[user] = signed_in_client(console_url, user)
        return made[user]

    yield get
    for client, _ in made.values():
        client.close()
