"""document-versioning as a real process would run: gRPC, database, outbox to JetStream."""

from __future__ import annotations

import asyncio
import hashlib

import grpc
import nats
import pytest

from crm.document_versioning.v1 import document_versioning_pb2 as pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as pb_grpc
from crm.events.v1 import document_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from document_versioning.bootstrap import build
from document_versioning.config import Settings
from tests.support.infra import migrate, run_service

REP = Caller("tenant-a", "rep-1", "rep")
PARTNER = Caller("tenant-a", "partner-1", "partner")
FINANCE = Caller("tenant-a", "fin-1", "finance")
OTHER_TENANT = Caller("tenant-b", "rep-9", "rep")


@pytest.fixture
async def service(nats_url: str, database_url: str):
    await migrate("document-versioning", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as running:
        yield pb_grpc.DocumentVersioningServiceStub(running.channel)


async def refused(call) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call
    return err.value


async def upload(
    stub, content: bytes, document_id: str = "", caller: Caller = REP, **fields: str
) -> pb.DocumentVersion:
    request = pb.UploadVersionRequest(document_id=document_id, filename="报价单.pdf", content=content, **fields)
    if not document_id:
        request.opportunity_id = request.opportunity_id or "opp-1"
        request.doc_type = request.doc_type or "proposal"
        request.title = request.title or "宁波注塑机 报价单"
    return (await stub.UploadVersion(request, metadata=caller.metadata())).version


async def test_new_document_is_stored_published_and_readable(service, nats_url: str) -> None:
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe(
        "crm.document.version_created", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )
    content = "报价：注塑机 HX-280 ×2，合计 ¥1,360,000".encode()
    version = await upload(service, content, content_type="application/pdf")
    assert (version.version_number, version.size_bytes, version.created_by) == (1, len(content), "rep-1")
    assert version.sha256 == hashlib.sha256(content).hexdigest()

    msg = await sub.next_msg(timeout=10)
    envelope = Envelope.FromString(msg.data)
    assert msg.headers["Nats-Msg-Id"] == envelope.event_id
    event = unpack(envelope, document_pb2.DocumentVersionCreated)
    assert (envelope.tenant_id, event.version_id, event.version_number, event.sha256) == (
        "tenant-a", version.version_id, 1, version.sha256
    )
    await nc.close()

    fetched = await service.GetVersion(
        pb.GetVersionRequest(version_id=version.version_id, include_content=True), metadata=FINANCE.metadata()
    )
    assert (fetched.version.title, fetched.version.content_type) == ("宁波注塑机 报价单", "application/pdf")
    assert fetched.content == content
    bare = await service.GetVersion(pb.GetVersionRequest(version_id=version.version_id), metadata=REP.metadata())
    assert bare.content == b""


async def test_versions_are_numbered_in_order_and_listed(service) -> None:
    first = await upload(service, b"v1", doc_type="contract", title="购销合同")
    second = await upload(service, b"v2", first.document_id, caller=PARTNER)
    third = await upload(service, b"v1", first.document_id)  # same bytes as v1: stored once, still a new version
    assert [first.version_number, second.version_number, third.version_number] == [1, 2, 3]
    assert third.sha256 == first.sha256 and third.version_id != first.version_id

    listed = await service.ListVersions(pb.ListVersionsRequest(document_id=first.document_id), metadata=REP.metadata())
    assert [v.version_id for v in listed.versions] == [first.version_id, second.version_id, third.version_id]
    content = await service.GetVersion(
        pb.GetVersionRequest(version_id=third.version_id, include_content=True), metadata=REP.metadata()
    )
    assert content.content == b"v1"

    other = await upload(service, b"proposal")
    await upload(service, b"elsewhere", opportunity_id="opp-2")
    docs = await service.ListDocuments(pb.ListDocumentsRequest(opportunity_id="opp-1"), metadata=REP.metadata())
    assert [(d.document_id, d.latest_version_number, d.latest_version_id) for d in docs.documents] == [
        (first.document_id, 3, third.version_id),
        (other.document_id, 1, other.version_id),
    ]
    contracts = await service.ListDocuments(
        pb.ListDocumentsRequest(opportunity_id="opp-1", doc_type="contract"), metadata=FINANCE.metadata()
    )
    assert [(d.document_id, d.title) for d in contracts.documents] == [(first.document_id, "购销合同")]


async def test_concurrent_uploads_get_consecutive_numbers(service) -> None:
    first = await upload(service, b"v1")
    racing = await asyncio.gather(*(upload(service, f"v{n}".encode(), first.document_id) for n in (2, 3)))
    assert sorted(v.version_number for v in racing) == [2, 3]
    listed = await service.ListVersions(pb.ListVersionsRequest(document_id=first.document_id), metadata=REP.metadata())
    assert [v.version_number for v in listed.versions] == [1, 2, 3]


async def test_bad_uploads_are_refused_with_fields_named_and_nothing_stored(service) -> None:
    remote = decode_rpc_error(
        await refused(service.UploadVersion(pb.UploadVersionRequest(opportunity_id="opp-9"), metadata=REP.metadata()))
    )
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in remote.field_violations} == {"doc_type", "title", "filename", "content"}
    err = await refused(upload(service, b"x", caller=FINANCE, opportunity_id="opp-9"))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await refused(upload(service, b"x", "no-such-document"))
    assert err.code() == grpc.StatusCode.NOT_FOUND

    first = await upload(service, b"v1", opportunity_id="opp-9")
    remote = decode_rpc_error(await refused(upload(service, b"v2", first.document_id, opportunity_id="opp-10")))
    assert [v.field for v in remote.field_violations] == ["opportunity_id"]
    docs = await service.ListDocuments(pb.ListDocumentsRequest(opportunity_id="opp-9"), metadata=REP.metadata())
    assert [(d.document_id, d.latest_version_number) for d in docs.documents] == [(first.document_id, 1)]
    remote = decode_rpc_error(await refused(service.ListDocuments(pb.ListDocumentsRequest(), metadata=REP.metadata())))
    assert [v.field for v in remote.field_violations] == ["opportunity_id"]


async def test_other_tenants_see_nothing(service) -> None:
    version = await upload(service, b"secret")
    for call in (
        service.GetVersion(pb.GetVersionRequest(version_id=version.version_id), metadata=OTHER_TENANT.metadata()),
        service.ListVersions(pb.ListVersionsRequest(document_id=version.document_id), metadata=OTHER_TENANT.metadata()),
        upload(service, b"mine now", version.document_id, caller=OTHER_TENANT),
    ):
        assert (await refused(call)).code() == grpc.StatusCode.NOT_FOUND
    request = pb.ListDocumentsRequest(opportunity_id="opp-1")
    assert list((await service.ListDocuments(request, metadata=OTHER_TENANT.metadata())).documents) == []
    # The same bytes in another tenant are that tenant's own blob.
    assert (await upload(service, b"secret", caller=OTHER_TENANT)).sha256 == version.sha256
