"""Document content through the gateway, streamed both ways, on the
filesystem store and on the S3 store (moto's standalone server): uploads as
raw bodies, size limits per tenant and type (413, nothing stored), downloads
with Content-Type, Content-Disposition, ETag / If-None-Match and byte ranges,
and who may read. The gateway is served by uvicorn on a real port and
called over HTTP, the services over real gRPC, opportunity deciding access."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa
import uvicorn
from document_versioning.adapters.blob_store import BlobStore, blob_store_from
from document_versioning.adapters.orm import blobs, document_versions
from document_versioning.bootstrap import build
from document_versioning.config import BlobStoreSettings, Settings
from gateway.bootstrap import create_app
from gateway.config import Settings as GatewaySettings

from tests.integration.document_versioning.test_blob_store import objects
from tests.integration.gateway.test_gateway import is_problem
from tests.support.infra import (
    NatsServer,
    RunningService,
    eventually,
    migrate,
    refused_address,
    run_service,
    serve_uvicorn,
)
from tests.support.s3 import MotoServer, moto_server  # noqa: F401 - the fixture
from tests.support.subjects import Opportunities, opportunity_service, reserve

TENANT = "demo"
TEAMS = {"zhangwei": "wangqiang", "lina": "wangqiang", "wuhao": "zhoumin"}
MIB = 1024 * 1024
# 图纸 (drawings) may be large; everything else of the demo tenant at most 2 MiB.
LIMITS = {TENANT: {"*": 2 * MIB, "技术方案": 3 * MIB}}


@dataclass
class Stack:
    http: httpx.AsyncClient
    base: str
    docs: RunningService
    opps: Opportunities
    store: BlobStore
    auth: dict[str, dict[str, str]] = field(default_factory=dict)

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            reply = await self.http.post("/v1/auth/token", json={"username": user, "password": "demo"})
            assert reply.status_code == 200, reply.text
            self.auth[user] = {"Authorization": f"Bearer {reply.json()['access_token']}"}
        return self.auth[user]

    async def upload(self, user: str, content: Any, content_type: str = "application/pdf", **query: str) -> httpx.Response:
        headers = await self.as_(user) | {"Content-Type": content_type}
        return await self.http.post("/v1/documents/uploads", params=query, content=content, headers=headers)

    async def download(self, user: str, version_id: str, **headers: str) -> httpx.Response:
        return await self.http.get(
            f"/v1/document-versions/{version_id}/content", headers=await self.as_(user) | headers
        )

    async def stored(self) -> tuple[int, int]:
        """Blob rows and versions, whoever's."""
        async with self.docs.runtime.db.sessions() as s:
            return tuple([await s.scalar(sa.select(sa.func.count()).select_from(t)) for t in (blobs, document_versions)])  # type: ignore[return-value]


def _store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    if request.param == "filesystem":
        return {"blob_store": "filesystem", "blob_dir": str(tmp_path / "blobs")}
    moto: MotoServer = request.getfixturevalue("moto_server")
    return moto.settings(moto.bucket_for("content"))


# Tests whose outcome does not depend on the store (ranges, refusals, access) run on the filesystem only.
FILESYSTEM_ONLY = pytest.mark.parametrize("stack", ["filesystem"], indirect=True)


@pytest.fixture(scope="module", params=["filesystem", "s3"])
async def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    """One stack per store for the module (the tests compare what they stored before and after, never totals):
    NATS of its own, SQLite (the blobs rows on PostgreSQL: test_blob_migration and the versions' own tests)."""
    tmp = tmp_path_factory.mktemp(f"content-{request.param}")
    store_settings = _store_settings(request, tmp)
    nats = NatsServer(tmp / "nats")
    nats.start()
    database_url = f"sqlite+aiosqlite:///{tmp / 'document-versioning.db'}"
    try:
        await migrate("document-versioning", database_url)
        opportunity = reserve()
        async with run_service(
            build, Settings, nats_url=nats.url, database_url=database_url, opportunity_addr=opportunity.address,
            content_limits=json.dumps(LIMITS), **store_settings,
        ) as docs, opportunity_service(
            nats.url, database_url, tmp, opportunity, document_versioning_addr=docs.address
        ) as opps:
            await opps.announce_reps(TENANT, TEAMS)
            async with gateway(nats.url, tmp, opps.address, docs.address) as (base, http):
                yield Stack(http, base, docs, opps, blob_store_from(BlobStoreSettings(**store_settings)))
    finally:
        nats.stop()


@contextlib.asynccontextmanager
async def gateway(
    nats_url: str, tmp_path: Path, opportunity_addr: str, docs_addr: str
) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await migrate("gateway", url)
    nowhere = refused_address()
    settings = GatewaySettings(
        dev_auth=True,
        dev_key_path=str(tmp_path / "dev-key.pem"),
        database_url=url,
        nats_url=nats_url,
        # A body limit far below the uploads': the streamed route is exempt from it.
        max_body_bytes=64 * 1024,
        lead_routing_addr=nowhere,
        opportunity_addr=opportunity_addr,
        approval_addr=nowhere,
        document_versioning_addr=docs_addr,
        finance_reconciliation_addr=nowhere,
    )
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning"))
    task, port = await serve_uvicorn(server)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            yield base, http
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 20)


async def opportunity_of(s: Stack, user: str = "zhangwei") -> str:
    from crm_shared.context import Caller

    return await s.opps.create(Caller(TENANT, user, "rep"))


def drawing(size: int) -> bytes:
    return (os.urandom(64 * 1024) * (size // (64 * 1024) + 1))[:size]


async def test_a_streamed_upload_is_a_version_and_downloads_with_its_type_name_and_etag(stack: Stack) -> None:
    s = stack
    opp = await opportunity_of(s)
    content = drawing(int(2.5 * MIB))  # over the gateway's body limit: the upload route is exempt
    name = "宁波海天 技术方案 V1.pdf"
    created = await s.upload("zhangwei", content, opportunity_id=opp, doc_type="技术方案", title="二期产线技术方案",
                             filename=name, change_summary="首版")
    assert created.status_code == 201, created.text
    version = created.json()["version"]
    assert (version["sha256"], version["size_bytes"]) == (hashlib.sha256(content).hexdigest(), len(content))
    assert (version["version_number"], version["filename"], version["content_type"]) == (1, name, "application/pdf")

    got = await s.download("zhangwei", version["version_id"])
    assert got.status_code == 200 and got.content == content
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["etag"] == f'"{version["sha256"]}"'
    assert got.headers["content-length"] == str(len(content))
    assert got.headers["accept-ranges"] == "bytes"
    assert f"filename*=UTF-8''{quote(name, safe='')}" in got.headers["content-disposition"]
    assert got.headers["content-disposition"].startswith("attachment; filename=\"")
    assert await s.store.exists(TENANT, version["sha256"])

    # The same bytes again make no new version; new bytes make version 2, its parent version 1.
    again = await s.upload("zhangwei", content, document_id=version["document_id"], filename=name)
    assert again.status_code == 200 and again.json()["unchanged"] is True
    second = await s.upload("zhangwei", content[:-1] + b"!", "application/octet-stream",
                            document_id=version["document_id"], filename="技术方案 V2.pdf")
    assert second.status_code == 201, second.text
    assert second.json()["version"]["version_number"] == 2
    assert second.json()["version"]["parent_version_id"] == version["version_id"]
    v2 = await s.download("zhangwei", second.json()["version"]["version_id"])
    assert v2.headers["content-type"] == "application/octet-stream" and v2.content[-1:] == b"!"


@FILESYSTEM_ONLY
async def test_if_none_match_and_byte_ranges(stack: Stack) -> None:
    s = stack
    opp = await opportunity_of(s)
    content = bytes(range(256)) * 4096  # 1 MiB, every offset's byte known
    version = (await s.upload("zhangwei", content, opportunity_id=opp, doc_type="报价单", title="报价单",
                              filename="quote.pdf")).json()["version"]
    vid, etag = version["version_id"], f'"{version["sha256"]}"'

    not_modified = await s.download("zhangwei", vid, **{"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    assert (await s.download("zhangwei", vid, **{"If-None-Match": '"other", ' + etag})).status_code == 304
    assert (await s.download("zhangwei", vid, **{"If-None-Match": '"other"'})).status_code == 200

    middle = await s.download("zhangwei", vid, Range="bytes=1000-1999")
    assert middle.status_code == 206 and middle.content == content[1000:2000]
    assert middle.headers["content-range"] == f"bytes 1000-1999/{len(content)}"
    assert middle.headers["content-length"] == "1000"
    tail = await s.download("zhangwei", vid, Range="bytes=-10")
    assert tail.status_code == 206 and tail.content == content[-10:]
    assert tail.headers["content-range"] == f"bytes {len(content) - 10}-{len(content) - 1}/{len(content)}"
    rest = await s.download("zhangwei", vid, Range=f"bytes={len(content) - 3}-")
    assert rest.status_code == 206 and rest.content == content[-3:]
    clamped = await s.download("zhangwei", vid, Range=f"bytes=5-{len(content) * 2}")
    assert clamped.status_code == 206 and clamped.content == content[5:]

    for beyond in (f"bytes={len(content)}-", "bytes=" + "9" * 100 + "-", "bytes=" + "9" * 30 + "-" + "9" * 40):
        past = await s.download("zhangwei", vid, Range=beyond)
        is_problem(past, 416)
        assert past.headers["content-range"] == f"bytes */{len(content)}"
    huge_suffix = await s.download("zhangwei", vid, Range="bytes=-" + "9" * 50)
    assert huge_suffix.status_code == 206 and huge_suffix.content == content
    # Several ranges, or a malformed one, are served whole.
    for ignored in ("bytes=0-1,5-6", "bytes=9-3", "lines=1-2"):
        whole = await s.download("zhangwei", vid, Range=ignored)
        assert whole.status_code == 200 and whole.content == content, ignored


async def test_content_over_the_tenants_limit_for_its_type_is_413_and_nothing_is_stored(stack: Stack) -> None:
    s = stack
    opp = await opportunity_of(s)
    before_objects = await objects(s.store)
    before = await s.stored()

    async def slowly(data: bytes) -> AsyncIterator[bytes]:
        for at in range(0, len(data), 256 * 1024):
            yield data[at : at + 256 * 1024]

    # 报价单 falls under the tenant's "*" limit (2 MiB); 技术方案 has 3 MiB. Streamed without a Content-Length.
    refused = await s.upload("zhangwei", slowly(drawing(int(2.5 * MIB))), opportunity_id=opp, doc_type="报价单",
                             title="报价单", filename="big.pdf")
    problem = is_problem(refused, 413)
    assert "2 MiB" in problem["detail"] and "content" in problem["detail"]
    assert await s.stored() == before and await objects(s.store) == before_objects

    accepted = await s.upload("zhangwei", slowly(drawing(int(2.5 * MIB))), opportunity_id=opp, doc_type="技术方案",
                              title="技术方案", filename="big.pdf")
    assert accepted.status_code == 201, accepted.text
    too_big = await s.upload("zhangwei", drawing(3 * MIB + 1), opportunity_id=opp, doc_type="技术方案",
                             title="技术方案", filename="bigger.pdf")
    assert "3 MiB" in is_problem(too_big, 413)["detail"]


@FILESYSTEM_ONLY
async def test_bad_uploads_are_refused_naming_the_field_and_change_nothing(stack: Stack) -> None:
    s = stack
    opp = await opportunity_of(s)
    before = await s.stored()
    empty = await s.upload("zhangwei", b"", opportunity_id=opp, doc_type="报价单", title="报价单", filename="e.pdf")
    assert is_problem(empty, 400)["errors"][0]["field"] == "content"
    no_name = await s.upload("zhangwei", b"x", opportunity_id=opp, doc_type="报价单", title="报价单")
    assert no_name.status_code == 422 and "filename" in no_name.text
    form = await s.upload("zhangwei", b"--x\r\n", "multipart/form-data; boundary=x", opportunity_id=opp,
                          doc_type="报价单", title="报价单", filename="a.pdf")
    assert is_problem(form, 415)["errors"][0]["field"] == "content-type"
    unknown_type = await s.upload("zhangwei", b"x", opportunity_id=opp, doc_type="不存在的类型", title="t", filename="a")
    assert unknown_type.status_code == 400 and "doc_type" in unknown_type.text
    assert await s.stored() == before


@FILESYSTEM_ONLY
async def test_who_may_upload_and_download(stack: Stack) -> None:
    s = stack
    opp = await opportunity_of(s)
    before = await s.stored()
    # Another team's rep and a partner are told nothing; finance may not upload.
    for user, status in (("wuhao", 404), ("zhaolei", 403), ("liufang", 403)):
        refused = await s.upload(user, b"x" * 10, opportunity_id=opp, doc_type="报价单", title="t", filename="a.pdf")
        assert refused.status_code == status, (user, refused.text)
    assert await s.stored() == before

    version = (await s.upload("zhangwei", b"quote", opportunity_id=opp, doc_type="报价单", title="t",
                              filename="a.pdf")).json()["version"]
    for user, status in (("wangqiang", 200), ("liufang", 200), ("chenjing", 200), ("lina", 404), ("wuhao", 404),
                         ("zhaolei", 403)):
        got = await s.download(user, version["version_id"])
        assert got.status_code == status, (user, got.text)
        if status == 200:
            assert got.content == b"quote"
    assert (await s.download("zhangwei", "no-such-version")).status_code == 404


async def test_an_upload_cut_off_midway_leaves_nothing(stack: Stack) -> None:
    s = stack
    opp = await opportunity_of(s)
    before_objects, before = await objects(s.store), await s.stored()
    auth = (await s.as_("zhangwei"))["Authorization"]
    query = f"opportunity_id={opp}&doc_type=%E6%8A%80%E6%9C%AF%E6%96%B9%E6%A1%88&title=t&filename=cut.pdf"
    host, port = s.base.removeprefix("http://").split(":")
    _, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"POST /v1/documents/uploads?{query} HTTP/1.1\r\nHost: gateway\r\nAuthorization: {auth}\r\n"
        f"Content-Type: application/pdf\r\nContent-Length: {3 * MIB}\r\n\r\n".encode()
    )
    writer.write(drawing(MIB))  # a third of what it announced, then the connection drops
    await writer.drain()
    await asyncio.sleep(0.5)
    writer.close()
    await writer.wait_closed()

    async def settled() -> bool:
        return await s.stored() == before and await objects(s.store) == before_objects

    await eventually(settled, timeout=10)
    # And the service goes on serving.
    assert (await s.upload("zhangwei", b"after", opportunity_id=opp, doc_type="报价单", title="t",
                           filename="a.pdf")).status_code == 201
