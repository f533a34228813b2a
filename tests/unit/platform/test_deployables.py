"""crm_shared.deployables against what each service declares itself: its
settings (env prefix, default ports) and the gRPC services in protos/."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import crm
import pytest
from crm_shared.deployables import BACKENDS, DEPLOYABLES, GATEWAY, WEB, WITH_DATABASE, by_name

ROOT = Path(__file__).resolve().parents[3]


def _settings(package: str):
    return importlib.import_module(f"{package}.config").Settings


@pytest.mark.parametrize("d", BACKENDS, ids=lambda d: d.name)
def test_a_backends_entry_is_its_settings_defaults(d) -> None:
    fields = _settings(d.package).model_fields
    assert _settings(d.package).model_config["env_prefix"] == f"{d.env_prefix}_"
    assert fields["grpc_port"].default == d.grpc_port
    assert fields["metrics_port"].default == d.metrics_port
    assert importlib.import_module(f"{d.package}.config").SERVICE == d.name


def test_the_gateways_entry_is_its_settings_defaults() -> None:
    assert _settings("gateway").model_config["env_prefix"] == "GATEWAY_"
    assert _settings("gateway").model_fields["http_port"].default == GATEWAY.http_port


def test_the_consoles_entry_is_its_settings_defaults() -> None:
    assert _settings("web").model_config["env_prefix"] == "WEB_"
    assert _settings("web").model_fields["http_port"].default == WEB.http_port
    assert importlib.import_module("web.config").SERVICE == WEB.name
    # A client of the gateway's REST API only: no gRPC, no database.
    assert (WEB.grpc_port, WEB.metrics_port, WEB.grpc_services, WEB.grpc_peers, WEB.database) == (None, None, (), (), False)
    assert not {name for name in _settings("web").model_fields if name.endswith(("_addr", "database_url"))}


def test_every_deployable_has_its_folder_and_package() -> None:
    assert {p.name for p in (ROOT / "services").iterdir() if (p / "pyproject.toml").exists()} == {
        d.name for d in DEPLOYABLES
    }
    for d in DEPLOYABLES:
        assert (ROOT / d.folder / "src" / d.package / "__main__.py").exists(), d.name


def _proto_services() -> set[str]:
    names = set()
    for info in pkgutil.walk_packages(crm.__path__, "crm."):
        if info.name.endswith("_pb2"):
            names |= {s.full_name for s in importlib.import_module(info.name).DESCRIPTOR.services_by_name.values()}
    return names


def test_every_grpc_service_of_protos_is_served_by_exactly_one_backend() -> None:
    served = [s for d in BACKENDS for s in d.grpc_services]
    assert len(served) == len(set(served))
    assert set(served) == _proto_services()


def test_by_name() -> None:
    assert by_name("lead-routing").package == "lead_routing"
    assert [d.name for d in BACKENDS] == [d.name for d in DEPLOYABLES if d.name not in ("gateway", "web")]
    assert [d.name for d in WITH_DATABASE] == [d.name for d in DEPLOYABLES if d.name != "web"]
    with pytest.raises(KeyError, match="known: gateway, lead-routing"):
        by_name("billing")
