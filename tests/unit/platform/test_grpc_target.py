"""The address forms of a backend (crm_shared.grpc_client.grpc_target): one
host:port, a replica list of ip:port, or a DNS name resolving to every pod of
a Kubernetes headless Service; the gateway's settings accept the same."""

from __future__ import annotations

import pytest
from crm_shared.grpc_client import grpc_target
from gateway.config import Settings
from pydantic import ValidationError


@pytest.mark.parametrize(
    ("address", "target"),
    [
        ("127.0.0.1:50051", "127.0.0.1:50051"),
        ("crm-lead-routing:50051", "crm-lead-routing:50051"),
        ("127.0.0.1:50051,127.0.0.1:50061", "ipv4:127.0.0.1:50051,127.0.0.1:50061"),
        (" 10.0.0.7:50051 , 10.0.0.8:50051 ", "ipv4:10.0.0.7:50051,10.0.0.8:50051"),
        ("[::1]:50051,[::1]:50061", "ipv6:[::1]:50051,[::1]:50061"),
        ("dns:///crm-lead-routing-headless:50051", "dns:///crm-lead-routing-headless:50051"),
    ],
)
def test_an_address_becomes_the_grpc_target_that_reaches_every_replica(address: str, target: str) -> None:
    assert grpc_target(address) == target


@pytest.mark.parametrize(
    "address",
    ["", "lead-routing", "127.0.0.1:", "127.0.0.1:99999", "a.svc:50051,b.svc:50051",
     "127.0.0.1:50051,[::1]:50051", "127.0.0.1:50051,", "dns:///headless"],
)
def test_an_address_no_channel_could_use_is_refused(address: str) -> None:
    with pytest.raises(ValueError):
        grpc_target(address)


def test_the_gateway_takes_a_backends_replicas_and_refuses_a_list_of_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_DEV_AUTH", "true")
    monkeypatch.setenv("GATEWAY_LEAD_ROUTING_ADDR", "127.0.0.1:50051,127.0.0.1:50061")
    monkeypatch.setenv("GATEWAY_OPPORTUNITY_ADDR", "dns:///crm-opportunity-headless:50052")
    settings = Settings()
    assert settings.backend_addresses()["lead-routing"] == "127.0.0.1:50051,127.0.0.1:50061"
    assert settings.backend_addresses()["opportunity"] == "dns:///crm-opportunity-headless:50052"
    monkeypatch.setenv("GATEWAY_APPROVAL_ADDR", "approval-a:50053,approval-b:50053")
    with pytest.raises(ValidationError, match="approval_addr"):
        Settings()
