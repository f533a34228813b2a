"""Fixtures of the lead-routing integration tests: the service in-process
(real gRPC, NATS and database) on a clock the test moves, with its periodic
jobs quiet so a test runs them when it means to. A test module overrides
`fixed_clock` for another start time."""

from __future__ import annotations

import pytest

from lead_routing.bootstrap import build
from lead_routing.config import Settings
from tests.integration.lead_routing.routing_helpers import QUIET_JOBS, Api, clock
from tests.support.infra import migrate, run_service


@pytest.fixture
def fixed_clock():
    return clock()


@pytest.fixture
async def api(nats_url: str, database_url: str, fixed_clock):
    await migrate("lead-routing", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, clock=fixed_clock, **QUIET_JOBS
    ) as svc:
        yield Api(svc)
