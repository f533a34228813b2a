"""document-versioning as a real process would run: gRPC, database, outbox
to JetStream, and opportunity (in-process, real gRPC) deciding who may read
or write an opportunity's documents."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import nats
import pytest
import sqlalchemy as sa
from crm.document_versioning.v1 import document_versioning_pb2 as pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as pb_grpc
from crm.events.v1 import document_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from document_versioning.adapters.orm import blobs, document_versions, documents
from document_versioning.bootstrap import build
from document_versioning.config import Settings

from tests.integration.gateway.conftest import nowhere
from tests.support.infra import RunningService, migrate, run_service
from tests.support.subjects import Opportunities, opportunity_service, reserve

REP = Caller("tenant-a", "rep-1", "rep")
REP_B = Caller("tenant-a", "rep-2", "rep")
MANAGER = Caller("tenant-a", "mgr-1", "manager")  # manages rep-1
OTHER_MANAGER = Caller("tenant-a", "mgr-2", "manager")  # manages rep-2
PARTNER = Caller("tenant-a", "partner-1", "partner")
FINANCE = Caller("tenant-a", "fin-1", "finance")
REVIEWER = Caller("tenant-a", "rev-1", "reviewer")
ADMIN = Caller("tenant-a", "admin-1", "admin")
SYSTEM = Caller("tenant-a", "opportunity", "system")
OTHER_TENANT = Caller("tenant-b", "rep-9", "rep")


@dataclass
class Stack:
    stub: pb_grpc.DocumentVersioningServiceStub
    docs: RunningService
    opps: Opportunities

    async def opp(self, key: str = "opp-1", owner: Caller = REP) -> str:
        return await self.opps.id_of(key, owner)

    async def stored(self) -> tuple[int, int, int]:
        """Documents, versions and blobs stored, whoever's."""
        async with self.docs.runtime.db.sessions() as s:
            return tuple(
                [
                    await s.scalar(sa.select(sa.func.count()).select_from(t))
                    for t in (documents, document_versions, blobs)
                ]
            )  # type: ignore[return-value]


@pytest.fixture
async def stack(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    await migrate("document-versioning", database_url)
    opportunity = reserve()
    async with (
        run_service(
            build, Settings, nats_url=nats_url, database_url=database_url, opportunity_addr=opportunity.address
        ) as docs,
        opportunity_service(
            nats_url, database_url, tmp_path, opportunity, document_versioning_addr=docs.address
        ) as opps,
    ):
        await opps.announce_reps("tenant-a", {"rep-1": "mgr-1", "rep-2": "mgr-2"})
        yield Stack(pb_grpc.DocumentVersioningServiceStub(docs.channel), docs, opps)


async def refused(call) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call
    return err.value


async def upload_reply(
    s: Stack, content: bytes, document_id: str = "", caller: Caller = REP, **fields: str
) -> pb.UploadVersionResponse:
    request = pb.UploadVersionRequest(document_id=document_id, content=content, **({"filename": "报价单.pdf"} | fields))
    if not document_id:
        request.opportunity_id = request.opportunity_id or await s.opp()
        request.doc_type = request.doc_type or "报价单"
        request.title = request.title or "宁波注塑机 报价单"
    return await s.stub.UploadVersion(request, metadata=caller.metadata())


async def upload(s: Stack, content: bytes, document_id: str = "", caller: Caller = REP, **fields: str):
    return (await upload_reply(s, content, document_id, caller, **fields)).version


def listing(s: Stack, opportunity_id: str, caller: Caller, doc_type: str = ""):
    return s.stub.ListDocuments(
        pb.ListDocumentsRequest(opportunity_id=opportunity_id, doc_type=doc_type), metadata=caller.metadata()
    )


def get_version(s: Stack, version_id: str, caller: Caller, include_content: bool = False):
    return s.stub.GetVersion(
        pb.GetVersionRequest(version_id=version_id, include_content=include_content), metadata=caller.metadata()
    )


def versions_of(s: Stack, document_id: str, caller: Caller):
    return s.stub.ListVersions(pb.ListVersionsRequest(document_id=document_id), metadata=caller.metadata())


async def test_new_document_is_stored_published_and_readable(stack: Stack, nats_url: str) -> None:
    s = stack
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe(
        "crm.document.version_created", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )
    content = "报价：注塑机 HX-280 ×2，合计 ¥1,360,000".encode()
    reply = await upload_reply(s, content, content_type="application/pdf")
    version = reply.version
    assert not reply.unchanged
    assert (version.version_number, version.size_bytes, version.created_by) == (1, len(content), "rep-1")
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.opportunity_id == await s.opp()

    msg = await sub.next_msg(timeout=10)
    envelope = Envelope.FromString(msg.data)
    assert msg.headers["Nats-Msg-Id"] == envelope.event_id
    event = unpack(envelope, document_pb2.DocumentVersionCreated)
    assert (envelope.tenant_id, event.version_id, event.version_number, event.sha256) == (
        "tenant-a",
        version.version_id,
        1,
        version.sha256,
    )
    await nc.close()

    fetched = await get_version(s, version.version_id, FINANCE, include_content=True)
    assert (fetched.version.title, fetched.version.content_type) == ("宁波注塑机 报价单", "application/pdf")
    assert fetched.content == content
    bare = await get_version(s, version.version_id, REP)
    assert bare.content == b""


async def test_versions_are_numbered_in_order_and_listed(stack: Stack) -> None:
    s = stack
    first = await upload(s, b"v1", doc_type="合同", title="购销合同")
    second = await upload(s, b"v2", first.document_id, caller=MANAGER)  # the owner's manager
    third = await upload(s, b"v1", first.document_id)  # back to v1's bytes: stored once, still a new version
    assert [first.version_number, second.version_number, third.version_number] == [1, 2, 3]
    assert third.sha256 == first.sha256 and third.version_id != first.version_id

    listed = await versions_of(s, first.document_id, REP)
    assert [v.version_id for v in listed.versions] == [first.version_id, second.version_id, third.version_id]
    content = await get_version(s, third.version_id, REP, include_content=True)
    assert content.content == b"v1"

    other = await upload(s, b"proposal")
    await upload(s, b"elsewhere", opportunity_id=await s.opp("opp-2"))
    docs = await listing(s, await s.opp(), REP)
    assert [(d.document_id, d.latest_version_number, d.latest_version_id) for d in docs.documents] == [
        (first.document_id, 3, third.version_id),
        (other.document_id, 1, other.version_id),
    ]
    contracts = await listing(s, await s.opp(), FINANCE, doc_type="合同")
    assert [(d.document_id, d.title) for d in contracts.documents] == [(first.document_id, "购销合同")]


async def test_the_same_content_again_answers_the_latest_version_and_stores_nothing(
    stack: Stack, nats_url: str
) -> None:
    s = stack
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe(
        "crm.document.version_created", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )
    first = await upload(s, "技术方案 第一版".encode())
    event = unpack(Envelope.FromString((await sub.next_msg(timeout=10)).data), document_pb2.DocumentVersionCreated)
    assert event.version_id == first.version_id
    before = await s.stored()
    again = await upload_reply(s, "技术方案 第一版".encode(), first.document_id, filename="方案-重传.pdf")
    assert again.unchanged
    assert (again.version.version_id, again.version.version_number, again.version.sha256) == (
        first.version_id,
        1,
        first.sha256,
    )
    assert await s.stored() == before
    with pytest.raises(nats.errors.TimeoutError):
        await sub.next_msg(timeout=1)
    await nc.close()
    listed = await versions_of(s, first.document_id, REP)
    assert [v.version_id for v in listed.versions] == [first.version_id]
    changed = await upload_reply(s, "技术方案 第二版".encode(), first.document_id)
    assert (changed.unchanged, changed.version.version_number) == (False, 2)


async def test_concurrent_uploads_get_consecutive_numbers(stack: Stack) -> None:
    s = stack
    first = await upload(s, b"v1")
    racing = await asyncio.gather(*(upload(s, f"v{n}".encode(), first.document_id) for n in (2, 3)))
    assert sorted(v.version_number for v in racing) == [2, 3]
    listed = await versions_of(s, first.document_id, REP)
    assert [v.version_number for v in listed.versions] == [1, 2, 3]


async def test_bad_uploads_are_refused_with_fields_named_and_nothing_stored(stack: Stack) -> None:
    s = stack
    remote = decode_rpc_error(
        await refused(s.stub.UploadVersion(pb.UploadVersionRequest(opportunity_id="opp-9"), metadata=REP.metadata()))
    )
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in remote.field_violations} == {"doc_type", "title", "filename", "content"}
    err = await refused(upload(s, b"x", "no-such-document"))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await refused(upload(s, b"x", opportunity_id="no-such-opportunity"))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert await s.stored() == (0, 0, 0)

    first = await upload(s, b"v1", opportunity_id=await s.opp("opp-9"))
    remote = decode_rpc_error(await refused(upload(s, b"v2", first.document_id, opportunity_id="opp-10")))
    assert [v.field for v in remote.field_violations] == ["opportunity_id"]
    docs = await listing(s, await s.opp("opp-9"), REP)
    assert [(d.document_id, d.latest_version_number) for d in docs.documents] == [(first.document_id, 1)]
    remote = decode_rpc_error(await refused(s.stub.ListDocuments(pb.ListDocumentsRequest(), metadata=REP.metadata())))
    assert [v.field for v in remote.field_violations] == ["subject_id"]


async def test_who_may_read_and_write_follows_who_may_see_the_opportunity(stack: Stack) -> None:
    s = stack
    opp_a = await s.opp()
    proposal = await upload(s, "底价 ¥1,180,000，不得低于此价".encode(), doc_type="技术方案")
    stored = await s.stored()

    # Rep B and a manager of another team cannot see rep A's opportunity: every read and write is "not found".
    for outsider in (REP_B, OTHER_MANAGER):
        for call in (
            get_version(s, proposal.version_id, outsider, include_content=True),
            get_version(s, proposal.version_id, outsider),
            versions_of(s, proposal.document_id, outsider),
            upload(s, b"overwritten", proposal.document_id, caller=outsider),
        ):
            err = await refused(call)
            assert err.code() == grpc.StatusCode.NOT_FOUND, (outsider, err.details())
            # Nor does the answer say which opportunity the document is filed under.
            assert opp_a not in (err.details() or "")
        for call in (listing(s, opp_a, outsider), upload(s, b"planted", caller=outsider, opportunity_id=opp_a)):
            assert (await refused(call)).code() == grpc.StatusCode.NOT_FOUND
    # The same answer as for ids that do not exist at all.
    assert (await refused(listing(s, "no-such-opportunity", REP_B))).code() == grpc.StatusCode.NOT_FOUND
    assert (await refused(get_version(s, "no-such-version", REP_B))).code() == grpc.StatusCode.NOT_FOUND

    # A partner gets nothing: refused by role, or not found for a specific id.
    assert (await refused(listing(s, opp_a, PARTNER))).code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await refused(upload(s, b"x", caller=PARTNER, opportunity_id=opp_a))).code() == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    # A partner may add versions on their promotion applications' documents, so another document's id is
    # answered as one they may not see: not found.
    for call in (
        upload(s, b"x", proposal.document_id, caller=PARTNER),
        get_version(s, proposal.version_id, PARTNER, include_content=True),
        versions_of(s, proposal.document_id, PARTNER),
    ):
        assert (await refused(call)).code() == grpc.StatusCode.NOT_FOUND

    # Finance and reviewers read the tenant's documents but add nothing.
    for reader in (FINANCE, REVIEWER):
        assert [d.document_id for d in (await listing(s, opp_a, reader)).documents] == [proposal.document_id]
        assert (await get_version(s, proposal.version_id, reader, include_content=True)).content
        err = await refused(upload(s, b"x", proposal.document_id, caller=reader))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await s.stored() == stored

    # The owner's manager and the admin may; opportunity's stage gates (a system caller) read.
    await upload(s, b"manager's", proposal.document_id, caller=MANAGER)
    await upload(s, b"admin's", proposal.document_id, caller=ADMIN)
    listed = await listing(s, opp_a, SYSTEM, doc_type="技术方案")
    assert [(d.document_id, d.latest_version_number) for d in listed.documents] == [(proposal.document_id, 3)]


async def test_other_tenants_see_nothing(stack: Stack) -> None:
    s = stack
    version = await upload(s, b"secret")
    for call in (
        get_version(s, version.version_id, OTHER_TENANT),
        versions_of(s, version.document_id, OTHER_TENANT),
        upload(s, b"mine now", version.document_id, caller=OTHER_TENANT),
        listing(s, await s.opp(), OTHER_TENANT),
        # A document filed under another tenant's opportunity id.
        upload(s, b"planted", caller=OTHER_TENANT, opportunity_id=await s.opp()),
    ):
        assert (await refused(call)).code() == grpc.StatusCode.NOT_FOUND
    assert await s.stored() == (1, 1, 1)
    # The same bytes in another tenant are that tenant's own blob.
    theirs = await s.opp("theirs", OTHER_TENANT)
    assert (await upload(s, b"secret", caller=OTHER_TENANT, opportunity_id=theirs)).sha256 == version.sha256
    assert (await refused(listing(s, theirs, REP))).code() == grpc.StatusCode.NOT_FOUND


async def test_without_opportunity_every_call_is_unavailable_and_nothing_is_stored(
    nats_url: str, database_url: str
) -> None:
    await migrate("document-versioning", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, opportunity_addr=nowhere(), access_timeout_s=1.0
    ) as docs:
        stub = pb_grpc.DocumentVersioningServiceStub(docs.channel)
        request = pb.UploadVersionRequest(
            opportunity_id="opp-1", doc_type="报价单", title="报价单", filename="报价单.pdf", content=b"v1"
        )
        for call in (
            stub.UploadVersion(request, metadata=REP.metadata()),
            stub.ListDocuments(pb.ListDocumentsRequest(opportunity_id="opp-1"), metadata=REP.metadata()),
        ):
            assert (await refused(call)).code() == grpc.StatusCode.UNAVAILABLE
        async with docs.runtime.db.sessions() as session:
            assert await session.scalar(sa.select(sa.func.count()).select_from(documents)) == 0
