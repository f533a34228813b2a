"""Every place outside Python that names the services agrees with
crm_shared.deployables (the chart and skaffold.yaml: tests/integration/test_chart.py)."""

from __future__ import annotations

import re
from pathlib import Path

from crm_shared.deployables import BACKENDS, DEPLOYABLES, GATEWAY, by_name
from crm_shared.events import STREAMS

ROOT = Path(__file__).resolve().parents[3]
# Streams not of one service: notifications (any service asks, the gateway delivers) and dead letters.
SHARED_STREAMS = {"NOTIFICATIONS", "DEAD_LETTERS"}


def test_the_procfile_runs_nats_and_every_deployable() -> None:
    lines = [line for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    processes = dict(line.split(": ", 1) for line in lines)
    assert processes.pop("nats").startswith("exec nats-server ")
    assert processes == {d.name: f"exec python -m {d.package}" for d in DEPLOYABLES}


def test_the_makefiles_services_are_the_deployables() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    (listed,) = re.findall(r"^SERVICES := (.+)$", makefile, re.MULTILINE)
    assert listed.split() == [d.name for d in DEPLOYABLES]


def test_every_backend_publishes_into_a_stream_of_its_own() -> None:
    assert set(STREAMS) == {b.stream for b in BACKENDS} | SHARED_STREAMS


def test_a_backends_peers_are_settings_it_has() -> None:
    for b in BACKENDS:
        module = __import__(f"{b.package}.config", fromlist=["Settings"])
        addrs = {name for name in module.Settings.model_fields if name.endswith("_addr")}
        assert addrs == {f"{by_name(peer).package}_addr" for peer in b.grpc_peers}, b.name


def test_the_gateway_has_an_address_setting_per_backend() -> None:
    module = __import__(f"{GATEWAY.package}.config", fromlist=["Settings"])
    addrs = {name for name in module.Settings.model_fields if name.endswith("_addr")}
    assert addrs == {f"{b.package}_addr" for b in BACKENDS}
