"""The stubs routes name: a Method per RPC of each backend service, made
without a channel, each served by a backend deployable."""

from __future__ import annotations

import pytest
from crm.lead_routing.v1 import routing_pb2
from gateway.adapters import stubs
from gateway.adapters.backends import SERVED_BY
from gateway.adapters.stubs import STUB_CLASSES, Method


def test_a_method_names_its_service_rpc_and_response() -> None:
    assert stubs.routing.ClaimLead == Method(
        "crm.lead_routing.v1.RoutingService", "ClaimLead", routing_pb2.ClaimLeadResponse
    )


def test_a_misspelt_method_fails_where_it_is_named() -> None:
    with pytest.raises(AttributeError):
        stubs.routing.ClaimLeads  # noqa: B018


def test_every_service_the_gateway_calls_is_served_by_a_backend() -> None:
    assert set(STUB_CLASSES) <= set(SERVED_BY)
    assert SERVED_BY["crm.lead_routing.v1.RoutingService"] == "lead-routing"
