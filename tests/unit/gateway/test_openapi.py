"""The OpenAPI document: every operation named as a method (unique), tagged
by its resource, answering a described model; paths in one style
(/{id}/action), the older /{id}:action ones answering but undocumented."""

from __future__ import annotations

import re
from pathlib import Path

from gateway.bootstrap import create_app
from gateway.config import Settings

from tests.unit.gateway.surface import gateway, token

METHOD_NAME = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)+$")
# Streams: server-sent events, and document content (its own Content-Type).
NOT_JSON = {"/metrics", "/v1/notifications/stream", "/v1/document-versions/{version_id}/content"}


def _operations() -> list[tuple[str, str, dict]]:
    spec = create_app(Settings(dev_auth=True)).openapi()
    return [(method, path, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def test_every_operation_id_reads_as_a_method_and_is_unique() -> None:
    ids = [op["operationId"] for _, _, op in _operations()]
    assert all(METHOD_NAME.match(i) for i in ids), [i for i in ids if not METHOD_NAME.match(i)]
    assert len(ids) == len(set(ids))
    assert {"listLeads", "ingestLead", "claimLead", "reassignCustomer", "handOverRep"} <= set(ids)


def test_operations_are_tagged_by_resource() -> None:
    for _, path, op in _operations():
        if path.startswith("/v1/") and not path.startswith("/v1/auth/"):
            assert op["tags"] == [path.split("/")[2]], path
        else:
            assert op["tags"] in (["ops"], ["auth"]), path


def test_every_json_answer_is_a_described_model() -> None:
    for method, path, op in _operations():
        if path in NOT_JSON:
            continue
        success = next(code for code in op["responses"] if code.startswith("2"))
        schema = op["responses"][success]["content"]["application/json"]["schema"]
        assert "$ref" in schema, (method, path, schema)


def test_paths_are_in_one_style() -> None:
    assert not [path for _, path, _ in _operations() if ":" in path]


async def test_the_older_colon_paths_still_answer(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, backends):
        manager = await token(client, "wangqiang")
        for path in (
            "/v1/customers/c1:reassign",
            "/v1/customers/c1/reassign",
            "/v1/reps/r1:handover",
            "/v1/reps/r1/handover",
        ):
            reply = await client.post(path, json={"to_owner_id": "lina"}, headers=manager)
            assert reply.status_code == 200, (path, reply.text)
        assert [name for _, name, _ in backends.calls] == ["ReassignCustomer"] * 2 + ["HandOverRep"] * 2
