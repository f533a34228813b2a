"""A client generated from the gateway's OpenAPI document, unmodified, has a
module per operation named as the operation and typed response models (not
dicts) that read what the gateway answers. openapi-python-client runs from
the installed package, offline."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import typing
from datetime import UTC, datetime
from pathlib import Path

from crm.common.v1 import common_pb2
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from gateway.adapters.backends import to_json
from gateway.bootstrap import create_app
from gateway.config import Settings

from tests.unit.gateway import surface  # noqa: F401  (sets the service token key)

CONFIG = "project_name_override: crm-api\npackage_name_override: crm_api_client\npost_hooks: []\n"


def _generate(tmp_path: Path) -> Path:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(create_app(Settings(dev_auth=True)).openapi(), ensure_ascii=False))
    (tmp_path / "config.yml").write_text(CONFIG)
    out = tmp_path / "crm_api_client"
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec)]
    command += ["--output-path", str(out), "--meta", "none", "--config", str(tmp_path / "config.yml")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in (done.stdout + done.stderr).lower(), done.stdout + done.stderr
    return out


def test_a_generated_client_has_typed_operations_and_models(tmp_path: Path, monkeypatch) -> None:
    out = _generate(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    list_leads = importlib.import_module("crm_api_client.api.leads.list_leads")
    ingest_lead = importlib.import_module("crm_api_client.api.leads.ingest_lead")
    claim_lead = importlib.import_module("crm_api_client.api.leads.claim_lead")
    models = importlib.import_module("crm_api_client.models")
    assert (out / "api" / "customers" / "reassign_customer.py").exists()

    for module, reply in (
        (list_leads, "ListLeadsResponse"),
        (ingest_lead, "IngestLeadResponse"),
        (claim_lead, "ClaimLeadResponse"),
    ):
        answer = typing.get_type_hints(module.sync, vars(models))["return"]
        assert getattr(models, reply) in typing.get_args(answer), (module.__name__, answer)

    lead = pb.Lead(
        lead_id="l1", company_name="恒盛纺织", budget=common_pb2.Money(amount_minor=5_000_000, currency="CNY")
    )
    lead.created_at.FromDatetime(datetime(2026, 3, 1, 8, tzinfo=UTC))
    page = models.ListLeadsResponse.from_dict(to_json(pb.ListLeadsResponse(leads=[lead], next_page_token="t")))
    assert isinstance(page.leads[0], models.Lead)
    assert page.leads[0].budget.amount_minor == 5_000_000
    assert page.leads[0].created_at == datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert page.leads[0].closed_at is None
    assert page.next_page_token == "t"
