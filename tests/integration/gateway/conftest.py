"""The gateway in-process (httpx over ASGI, lifespan run) against real
backend services over real gRPC."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from gateway.bootstrap import create_app
from gateway.config import Settings as GatewaySettings
from lead_routing.bootstrap import build as build_lead_routing
from lead_routing.config import Settings as LeadRoutingSettings

from tests.support.infra import migrate, refused_address, run_service
from tests.support.subjects import opportunity_service, reserve


@pytest.fixture
async def lead_routing(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    settings = LeadRoutingSettings
    async with run_service(build_lead_routing, settings, nats_url=nats_url, database_url=database_url) as svc:
        yield svc


@pytest.fixture
async def gateway_db(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await migrate("gateway", url)
    return url


def nowhere() -> str:
    """An address where nothing listens: a backend that is down."""
    return refused_address()


@asynccontextmanager
async def gateway_client(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(GatewaySettings(dev_auth=True, health_timeout_s=0.5, idempotency_wait_s=1.0, **settings))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client


@pytest.fixture
def make_gateway(lead_routing, gateway_db: str) -> Callable[..., Any]:
    """Other backends default to addresses where nothing listens."""

    def make(**overrides: Any):
        settings: dict[str, Any] = {
            "database_url": gateway_db,
            "lead_routing_addr": lead_routing.address,
            "opportunity_addr": nowhere(),
            "approval_addr": nowhere(),
            "document_versioning_addr": nowhere(),
            "finance_reconciliation_addr": nowhere(),
        }
        return gateway_client(**(settings | overrides))

    return make


@pytest.fixture
async def client(make_gateway) -> AsyncIterator[httpx.AsyncClient]:
    async with make_gateway() as c:
        yield c



@asynccontextmanager
async def other_backend(package: str, nats_url: str, tmp_path: Path, **overrides: Any):
    """Another backend in-process on its own SQLite file. `overrides` are
    settings, e.g. opportunity_addr. A service that cannot be imported fails
    the test."""
    import importlib

    build = importlib.import_module(f"{package}.bootstrap").build
    settings_cls = importlib.import_module(f"{package}.config").Settings
    url = f"sqlite+aiosqlite:///{tmp_path / (package + '.db')}"
    await migrate(package.replace("_", "-"), url)
    async with run_service(build, settings_cls, nats_url=nats_url, database_url=url, **overrides) as svc:
        yield svc


@asynccontextmanager
async def opportunity_with_documents(
    make_gateway,
    nats_url: str,
    database_url: str,
    tmp_path: Path,
    teams: dict[str, str],
    *,
    tenant: str = "demo",
    **settings: Any,
) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway in front of opportunity (on the test's database, with `settings`, e.g. its clock) and
    document-versioning (its knowledge base), each the other's peer; `tenant`'s reps and their managers announced."""
    opportunity = reserve()
    async with (
        other_backend("document_versioning", nats_url, tmp_path, opportunity_addr=opportunity.address) as docs,
        opportunity_service(
            nats_url, database_url, tmp_path, opportunity, document_versioning_addr=docs.address, **settings
        ) as opps,
        make_gateway(opportunity_addr=opps.address, document_versioning_addr=docs.address) as client,
    ):
        await opps.announce_reps(tenant, teams)
        yield client


@dataclass
class FinanceStack:
    """The gateway in front of finance-reconciliation and opportunity (both real, over gRPC) and NATS's
    JetStream, to publish what other services would announce."""

    client: httpx.AsyncClient
    js: Any
    opps: Any


@pytest.fixture
async def finance_stack(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[FinanceStack]:
    opportunity = reserve()
    nc = await nats.connect(nats_url)
    try:
        async with (
            other_backend("finance_reconciliation", nats_url, tmp_path, opportunity_addr=opportunity.address) as fin,
            opportunity_service(nats_url, database_url, tmp_path, opportunity) as opps,
            make_gateway(opportunity_addr=opps.address, finance_reconciliation_addr=fin.address) as client,
        ):
            yield FinanceStack(client, nc.jetstream(), opps)
    finally:
        await nc.close()
