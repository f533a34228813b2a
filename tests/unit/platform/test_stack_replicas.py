"""The local stack's replicas as the supervisor runs them: names, ports,
the addresses the gateway and the peers get, and the databases."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from crm_shared.deployables import BACKENDS, WITH_DATABASE

from scripts.localstack import REPLICA_PORT_STEP, Stack
from scripts.supervisor import scale


def test_a_process_scaled_to_n_runs_as_name_1_to_n_in_the_procfiles_order() -> None:
    procfile = {"nats": "exec nats-server", "lead-routing": "exec python -m lead_routing", "gateway": "exec gw"}
    assert scale(procfile, {"lead-routing": 3, "gateway": 1}) == {
        "nats": "exec nats-server",
        "lead-routing-1": "exec python -m lead_routing",
        "lead-routing-2": "exec python -m lead_routing",
        "lead-routing-3": "exec python -m lead_routing",
        "gateway": "exec gw",
    }
    with pytest.raises(ValueError, match="no such process"):
        scale(procfile, {"lead-routng": 2})
    with pytest.raises(ValueError, match="1 or more"):
        scale(procfile, {"gateway": 0})


def test_every_replica_has_ports_of_its_own_and_the_callers_get_every_replicas_address(tmp_path: Path) -> None:
    counter = itertools.count(20000)
    stack = Stack(var=tmp_path, replicas={"lead-routing": 2, "opportunity": 3, "gateway": 2}).with_ports(
        lambda: next(counter))
    assert stack.processes()[:4] == ["nats", "gateway-1", "gateway-2", "lead-routing-1"]
    assert "approval" in stack.processes() and "opportunity-3" in stack.processes()
    # NATS, 2 gateways, the console, and a gRPC and a metrics port per backend replica (3 + 2 + 1 + 1 + 1 = 8).
    assert len(stack.ports()) == 1 + 2 + 1 + 2 * 8
    assert len(stack.gateway_urls) == 2 and stack.gateway_urls[0] == stack.gateway_url

    env, extra = stack.env(), stack.process_env()
    assert env["GATEWAY_LEAD_ROUTING_ADDR"] == ",".join(stack.grpc_addresses("lead-routing"))
    assert len(env["GATEWAY_OPPORTUNITY_ADDR"].split(",")) == 3
    # approval asks every opportunity replica who may see a subject.
    assert env["APPROVAL_OPPORTUNITY_ADDR"] == env["GATEWAY_OPPORTUNITY_ADDR"]
    assert env["GATEWAY_APPROVAL_ADDR"] == f"127.0.0.1:{stack.grpc_ports['approval']}"
    second = stack.instances("opportunity")[1]
    assert extra["opportunity-2"] == {"OPPORTUNITY_GRPC_PORT": str(second.grpc_port),
                                      "OPPORTUNITY_METRICS_PORT": str(second.metrics_port)}
    assert extra["gateway-2"] == {"GATEWAY_HTTP_PORT": stack.gateway_urls[1].rsplit(":", 1)[1]}
    assert "lead-routing-1" not in extra and "approval" not in extra
    # The console calls gateway replica 1 and is reached on its own port.
    assert env["WEB_GATEWAY_URL"] == stack.gateway_url and env["WEB_HTTP_PORT"] == str(stack.web_port)
    assert env["WEB_PUBLIC_URL"] == stack.web_url and env["WEB_COOKIE_SECURE"] == "false"
    assert stack.web_port not in {i.http_port for i in stack.instances("gateway")}


def test_console_replicas_share_one_session_key_and_answer_on_their_own_ports(tmp_path: Path) -> None:
    counter = itertools.count(21000)
    stack = Stack(var=tmp_path, replicas={"web": 2}).with_ports(lambda: next(counter))
    assert stack.processes()[-2:] == ["web-1", "web-2"]
    assert len(stack.web_urls) == 2 and stack.web_urls[0] == stack.web_url
    port = stack.web_urls[1].rsplit(":", 1)[1]
    assert stack.process_env()["web-2"] == {"WEB_HTTP_PORT": port, "WEB_PUBLIC_URL": stack.web_urls[1]}
    key_path = Path(stack.env()["WEB_SESSION_KEY_PATH"])
    assert key_path.parent == tmp_path and oct(key_path.stat().st_mode & 0o777) == "0o600"
    assert stack.env()["WEB_SESSION_KEY_PATH"] == str(key_path) and len(key_path.read_text().strip()) == 44


def test_without_given_ports_replica_n_listens_on_the_first_ones_plus_a_step(tmp_path: Path) -> None:
    stack = Stack(var=tmp_path, replicas={"lead-routing": 2, "gateway": 2})
    first, second = stack.instances("lead-routing")
    assert second.grpc_port == first.grpc_port + REPLICA_PORT_STEP
    assert second.metrics_port == first.metrics_port + REPLICA_PORT_STEP
    assert len(stack.ports()) == 1 + 2 + 1 + 2 * (len(BACKENDS) + 1)
    with pytest.raises(KeyError, match="no deployable"):
        Stack(var=tmp_path, replicas={"lead-routng": 2})


def test_every_service_can_be_pointed_at_a_database_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for d in WITH_DATABASE:
        monkeypatch.delenv(f"{d.env_prefix}_DATABASE_URL", raising=False)
    urls = {d.name: f"postgresql+asyncpg://postgres@127.0.0.1:5432/crm_x_{d.package}" for d in WITH_DATABASE}
    env = Stack(var=tmp_path, database_urls=urls).env()
    assert {env[f"{d.env_prefix}_DATABASE_URL"] for d in WITH_DATABASE} == set(urls.values())
    assert "WEB_DATABASE_URL" not in env  # the console has none
    assert env["CRM_DB_POOL_SIZE"] and env["CRM_DB_MAX_OVERFLOW"]
    assert Stack(var=tmp_path).env()["LEAD_ROUTING_DATABASE_URL"] == f"sqlite+aiosqlite:///{tmp_path}/lead-routing.db"
