"""A deployable started as its own process without a usable service token
key (CRM_SERVICE_TOKEN_KEY) stops at once, naming the variable, instead of
serving calls it would refuse."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from crm_shared import identity
from crm_shared.deployables import by_name

from tests.support.infra import ROOT


@pytest.mark.parametrize("service", ["lead-routing", "gateway"])
@pytest.mark.parametrize("key", [None, "too-short"])
def test_a_deployable_without_the_key_stops_naming_it(service: str, key: str | None) -> None:
    deployable = by_name(service)
    env = {k: v for k, v in os.environ.items() if k != identity.KEY_ENV}
    env |= {"LEAD_ROUTING_NATS_URL": "nats://127.0.0.1:1", "GATEWAY_DEV_AUTH": "true"}
    if key is not None:
        env[identity.KEY_ENV] = key
    result = subprocess.run(
        [sys.executable, "-m", deployable.package],
        check=False,
        env=env,
        cwd=ROOT / deployable.folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "invalid or missing settings: CRM_SERVICE_TOKEN_KEY" in result.stderr
