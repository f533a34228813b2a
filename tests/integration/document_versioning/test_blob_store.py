"""The blob stores pass the same tests: the filesystem store in a temporary
folder and the S3 store against moto's standalone S3 server (a real HTTP
API in its own process)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import obstore
import pytest
from crm_shared.domain.errors import NotFound, TooLarge
from document_versioning.adapters.blob_store import BlobStore, blob_store_from
from document_versioning.adapters.local_blob_store import LocalBlobStore
from document_versioning.adapters.s3_blob_store import S3BlobStore
from document_versioning.config import BlobStoreSettings

from tests.support.s3 import MotoServer, moto_server  # noqa: F401 - the fixture

MIB = 1024 * 1024


@pytest.fixture(params=["filesystem", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "filesystem":
        return blob_store_from(BlobStoreSettings(blob_dir=str(tmp_path / "blobs")))
    moto: MotoServer = request.getfixturevalue("moto_server")
    return blob_store_from(BlobStoreSettings(**moto.settings(moto.bucket_for())))


async def objects(store: BlobStore) -> list[str]:
    """Every object or file the store holds, temporary ones included."""
    if isinstance(store, LocalBlobStore):
        root = store.root
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []
    assert isinstance(store, S3BlobStore)
    return sorted([m["path"] async for batch in obstore.list(store.store) for m in batch])


def pattern(size: int) -> bytes:
    return (os.urandom(4096) * (size // 4096 + 1))[:size]


async def chunks_of(data: bytes, size: int = 256 * 1024) -> AsyncIterator[bytes]:
    for at in range(0, len(data), size):
        yield data[at : at + size]


async def read_all(store: BlobStore, tenant: str, sha: str, start: int = 0, end: int | None = None) -> bytes:
    return b"".join([c async for c in store.read(tenant, sha, start, end)])


async def test_streamed_content_is_stored_under_its_sha256_and_read_back_whole_or_in_ranges(store: BlobStore) -> None:
    data = pattern(12 * MIB + 123)  # more than two S3 parts
    blob = await store.put("tenant-a", chunks_of(data), max_bytes=20 * MIB)

    assert (blob.sha256, blob.size_bytes, blob.store) == (hashlib.sha256(data).hexdigest(), len(data), store.name)
    assert await store.exists("tenant-a", blob.sha256)
    assert await store.size("tenant-a", blob.sha256) == len(data)
    assert await read_all(store, "tenant-a", blob.sha256) == data
    assert await read_all(store, "tenant-a", blob.sha256, 5 * MIB - 7, 6 * MIB + 9) == data[5 * MIB - 7 : 6 * MIB + 9]
    assert await read_all(store, "tenant-a", blob.sha256, len(data) - 10) == data[-10:]
    assert await read_all(store, "tenant-a", blob.sha256, 10, 10) == b""
    assert all(len(c) <= MIB for c in [c async for c in store.read("tenant-a", blob.sha256)])
    assert await store.read_bytes("tenant-a", blob.sha256, max_bytes=len(data)) == data
    # Nothing but the content itself is left: no temporary file or key.
    assert [o.endswith(blob.sha256) for o in await objects(store)] == [True]


async def test_the_same_content_is_stored_once_per_tenant(store: BlobStore) -> None:
    data = b"\xe6\x8a\x80\xe6\x9c\xaf\xe6\x96\xb9\xe6\xa1\x88 V1" * 1000
    first = await store.put("tenant-a", chunks_of(data, 1000), max_bytes=MIB)
    again = await store.put_bytes("tenant-a", data)
    other = await store.put_bytes("tenant-b", data)

    assert first == again == other
    assert len(await objects(store)) == 2  # one for tenant-a, one for tenant-b


async def test_content_over_the_limit_is_refused_and_nothing_is_left(store: BlobStore) -> None:
    with pytest.raises(TooLarge) as refused:
        await store.put("tenant-a", chunks_of(pattern(3 * MIB)), max_bytes=2 * MIB)

    assert refused.value.limit_bytes == 2 * MIB
    assert "2 MiB" in refused.value.message
    assert await objects(store) == []


async def test_an_upload_broken_midway_leaves_nothing(store: BlobStore) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield pattern(MIB)
        raise ConnectionResetError("the client went away")

    with pytest.raises(Exception, match="the client went away"):
        await store.put("tenant-a", broken(), max_bytes=10 * MIB)
    assert await objects(store) == []


async def test_a_missing_blob_or_another_tenants_is_not_found(store: BlobStore) -> None:
    blob = await store.put_bytes("tenant-a", b"contract V3.2")
    missing = hashlib.sha256(b"nothing").hexdigest()

    for tenant, sha in (("tenant-a", missing), ("tenant-b", blob.sha256)):
        assert not await store.exists(tenant, sha)
        with pytest.raises(NotFound):
            await read_all(store, tenant, sha)
        with pytest.raises(NotFound):
            await store.read_bytes(tenant, sha, MIB)


async def test_reading_whole_is_refused_past_the_callers_limit(store: BlobStore) -> None:
    blob = await store.put_bytes("tenant-a", pattern(4096))
    with pytest.raises(TooLarge):
        await store.read_bytes("tenant-a", blob.sha256, max_bytes=4095)


async def test_a_tenant_id_never_escapes_its_folder_or_prefix(store: BlobStore) -> None:
    blob = await store.put_bytes("../evil/..", b"x")
    assert await read_all(store, "../evil/..", blob.sha256) == b"x"
    assert not await store.exists("evil", blob.sha256)
    assert all(".." not in o.split("/") for o in await objects(store))
    with pytest.raises(Exception, match="sha256"):
        await store.exists("tenant-a", "../../etc/passwd")
