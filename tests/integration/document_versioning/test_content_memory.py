"""A 200 MB drawing set through the gateway is never held whole in memory:
uploaded as a raw body generated on the fly, streamed gateway → gRPC →
blob store, then downloaded and hashed as it arrives. The client, the gateway
(uvicorn, real HTTP) and document-versioning all run in this process, so
tracemalloc's peak bounds all three together. The S3 store's own bound is
checked against moto's server."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from crm_shared.context import Caller
from document_versioning.adapters.blob_store import blob_store_from
from document_versioning.bootstrap import build
from document_versioning.config import BlobStoreSettings, Settings

from tests.integration.document_versioning.test_content_gateway import TEAMS, TENANT, gateway
from tests.support.infra import migrate, run_service
from tests.support.s3 import MotoServer, moto_server  # noqa: F401 - the fixture
from tests.support.subjects import opportunity_service, reserve

MIB = 1024 * 1024
SIZE = 200 * MIB
PEAK_LIMIT = 64 * MIB


async def generated(size: int, digest: hashlib._Hash) -> AsyncIterator[bytes]:
    """size bytes, 256 KiB at a time, each block different; hashed as they leave."""
    block = bytes(range(256)) * 1024
    for n in range(size // len(block)):
        chunk = n.to_bytes(8, "big") + block[8:]
        digest.update(chunk)
        yield chunk


@pytest.mark.timeout(300)
async def test_a_200_mb_upload_and_download_keep_memory_bounded(
    nats_url: str, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("memory does not depend on the database; once is enough")
    await migrate("document-versioning", database_url)
    opportunity = reserve()
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, opportunity_addr=opportunity.address,
        blob_dir=str(tmp_path / "blobs"), content_limits=json.dumps({TENANT: {"*": 300 * MIB}}),
    ) as docs, opportunity_service(
        nats_url, database_url, tmp_path, opportunity, document_versioning_addr=docs.address
    ) as opps:
        await opps.announce_reps(TENANT, TEAMS)
        opp = await opps.create(Caller(TENANT, "zhangwei", "rep"))
        async with gateway(nats_url, tmp_path, opps.address, docs.address) as (_, http):
            token = (await http.post("/v1/auth/token", json={"username": "zhangwei", "password": "demo"})).json()
            auth = {"Authorization": f"Bearer {token['access_token']}"}
            sent = hashlib.sha256()

            tracemalloc.start()
            try:
                uploaded = await http.post(
                    "/v1/documents/uploads",
                    params={"opportunity_id": opp, "doc_type": "技术方案", "title": "二期产线图纸",
                            "filename": "图纸集.zip"},
                    content=generated(SIZE, sent),
                    headers=auth | {"Content-Type": "application/zip"},
                )
                upload_peak = tracemalloc.get_traced_memory()[1]
                assert uploaded.status_code == 201, uploaded.text
                version = uploaded.json()["version"]
                assert (version["size_bytes"], version["sha256"]) == (SIZE, sent.hexdigest())

                tracemalloc.reset_peak()
                received, size = hashlib.sha256(), 0
                async with http.stream(
                    "GET", f"/v1/document-versions/{version['version_id']}/content", headers=auth
                ) as download:
                    assert download.status_code == 200
                    async for chunk in download.aiter_bytes():
                        received.update(chunk)
                        size += len(chunk)
                download_peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            assert (size, received.hexdigest()) == (SIZE, sent.hexdigest())
            assert upload_peak < PEAK_LIMIT, f"upload peak {upload_peak / MIB:.1f} MiB"
            assert download_peak < PEAK_LIMIT, f"download peak {download_peak / MIB:.1f} MiB"


@pytest.mark.timeout(300)
async def test_the_s3_store_streams_200_mb_within_its_parts(moto_server: MotoServer) -> None:  # noqa: F811
    """The S3 store's own bound (the gateway and gRPC legs are the same for every store, measured above):
    obstore's multipart upload holds its parts in flight (2 x 5 MiB), a read its chunks."""
    store = blob_store_from(BlobStoreSettings(**moto_server.settings(moto_server.bucket_for("memory"))))
    sent, received, size = hashlib.sha256(), hashlib.sha256(), 0
    tracemalloc.start()
    try:
        blob = await store.put(TENANT, generated(SIZE, sent), max_bytes=300 * MIB)
        upload_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        async for chunk in store.read(TENANT, blob.sha256):
            received.update(chunk)
            size += len(chunk)
        download_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (blob.sha256, blob.size_bytes) == (sent.hexdigest(), SIZE)
    assert (size, received.hexdigest()) == (SIZE, sent.hexdigest())
    assert upload_peak < 32 * MIB, f"upload peak {upload_peak / MIB:.1f} MiB"
    assert download_peak < 32 * MIB, f"download peak {download_peak / MIB:.1f} MiB"
