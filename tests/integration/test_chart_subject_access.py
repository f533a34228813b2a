"""The chart tells documents, approvals and payments where opportunity is:
they ask it who may see an opportunity at every call."""

from __future__ import annotations

import pytest

from tests.integration.test_chart import VALUES_IDS, fullname, objects, prefix

ASKERS = ("approval", "document-versioning", "finance-reconciliation")


def peer(backend: str, port: int) -> str:
    """A peer's address as the chart renders it: its headless Service, so calls spread over its pods."""
    return f"dns:///{fullname(backend)}-headless:{port}"


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_services_keeping_things_about_opportunities_are_told_where_opportunity_is(values_id: str) -> None:
    services = objects(values_id, "Service")
    [grpc_port] = [p["port"] for p in services[fullname("opportunity")]["spec"]["ports"] if p["name"] == "grpc"]
    for service in ASKERS:
        data = objects(values_id, "ConfigMap")[fullname(service)]["data"]
        assert data[f"{prefix(service)}OPPORTUNITY_ADDR"] == peer("opportunity", grpc_port), service
    approval = objects(values_id, "ConfigMap")[fullname("approval")]["data"]
    [docs_port] = [p["port"] for p in services[fullname("document-versioning")]["spec"]["ports"] if p["name"] == "grpc"]
    assert approval["APPROVAL_DOCUMENT_VERSIONING_ADDR"] == peer("document-versioning", docs_port)


@pytest.mark.parametrize("values_id", VALUES_IDS)
def test_approvals_and_documents_are_told_where_lead_routing_is_for_the_partner_portals_subjects(
    values_id: str,
) -> None:
    services = objects(values_id, "Service")
    [grpc_port] = [p["port"] for p in services[fullname("lead-routing")]["spec"]["ports"] if p["name"] == "grpc"]
    for service in ("approval", "document-versioning"):
        data = objects(values_id, "ConfigMap")[fullname(service)]["data"]
        assert data[f"{prefix(service)}LEAD_ROUTING_ADDR"] == peer("lead-routing", grpc_port), service
