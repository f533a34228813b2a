"""A contract's signing and an ECN's publication are each one transaction
with the version of their file: the service failing between the version and
the rest (a repository raising on the second write, as a process dying
there would) leaves neither the version nor the state nor an event, on the
real database; the client's retry then completes exactly once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from crm.events.v1 import contract_pb2
from crm_shared.business_calendar import business_day
from crm_shared.events import subject_for
from document_versioning.adapters.contract_repository import ContractRepository
from document_versioning.adapters.ecn_repository import EcnRepository
from sqlalchemy.ext.asyncio import create_async_engine

from tests.integration.document_versioning.contract_stack import (
    OWNER,
    Stack,
    b64,
    contract,
    open_contract,
    review,
    stack_fixture,  # noqa: F401 - the fixture "stack"
    upload_draft,
)
from tests.support.documents import PROPOSAL_VERSIONS, make_pdf


def dying_once(monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> list[int]:
    """`cls.name` raises on its next call (the process dies at that write), then works again."""
    real, calls = getattr(cls, name), []

    async def once(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError(f"the process died in {cls.__name__}.{name}")
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, once)
    return calls


async def count(database_url: str, sql: str) -> int:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(sa.text(sql))).scalar_one()
    finally:
        await engine.dispose()


async def test_a_failed_signing_or_publication_leaves_nothing_and_its_retry_completes_once(
    stack: Stack, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = stack
    opportunity_id = await s.opps.create(OWNER)
    c = await open_contract(s, opportunity_id)
    draft = await upload_draft(s, c, PROPOSAL_VERSIONS[0].fields())
    await review(s, c, draft["version_id"])
    before = await contract(s, c["contract_id"])
    versions_path = f"/v1/documents/{draft['document_id']}/versions"
    assert len((await s.get("zhangwei", versions_path)).json()["versions"]) == 1
    signing = {
        "version_id": draft["version_id"],
        "label": "V1",
        "signed_on": business_day(s.clock.now()).isoformat(),
        "parties": ["宁波华翔注塑有限公司", "本公司"],
        "filename": "contract-signed.pdf",
        "content_base64": b64(make_pdf([["签署版"]])),
    }
    path = f"/v1/contracts/{c['contract_id']}/signatures"

    calls = dying_once(monkeypatch, ContractRepository, "save_version")
    failed = await s.post("chenjing", path, signing)
    assert failed.status_code >= 500 and calls, failed.text
    # The signed PDF's version was written before the failing write: it is gone with it.
    assert await contract(s, c["contract_id"]) == before
    assert len((await s.get("zhangwei", versions_path)).json()["versions"]) == 1
    signed = await s.post("chenjing", path, signing)
    assert signed.status_code == 200, signed.text
    assert signed.json()["contract"]["state"] == "signed"
    again = await s.post("chenjing", path, signing)  # the client retrying once more, its answer lost
    assert again.status_code == 200 and again.json() == signed.json()
    assert len((await s.get("zhangwei", versions_path)).json()["versions"]) == 2
    assert len(await s.events("contract.signed", c["contract_id"], contract_pb2.ContractSigned)) == 1

    notice = {
        "number": "ECN-2026-077",
        "title": "HX-280 液压站更换为伺服泵",
        "change": "液压站由定量泵改为伺服泵",
        "effective_date": "2026-12-15",
        "affected_models": ["HX-280"],
        "filename": "ECN-2026-077.pdf",
        "content_base64": b64(make_pdf([["ECN-2026-077"]])),
    }
    calls = dying_once(monkeypatch, EcnRepository, "add")
    failed = await s.post("chenjing", "/v1/ecns", notice)
    assert failed.status_code >= 500 and calls, failed.text
    assert await count(database_url, "SELECT count(*) FROM documents WHERE subject_type = 'ecn'") == 0
    assert await count(database_url, "SELECT count(*) FROM ecns") == 0
    published = await s.post("chenjing", "/v1/ecns", notice)
    assert published.status_code == 201, published.text
    ecn = published.json()["ecn"]
    assert [o["opportunity_id"] for o in ecn["orders"]] == [opportunity_id]
    assert (await s.post("chenjing", "/v1/ecns", notice)).status_code == 409
    assert await count(database_url, "SELECT count(*) FROM documents WHERE subject_type = 'ecn'") == 1
    events = await s.events("ecn.published", ecn["ecn_id"], contract_pb2.EcnPublished)
    assert len(events) == 1
    # Nothing the failed attempts wrote reached the outbox.
    for event_type in ("ecn.published", "contract.signed"):
        sql = f"SELECT count(*) FROM outbox WHERE subject = '{subject_for(event_type)}'"
        assert await count(database_url, sql) == 1, event_type
