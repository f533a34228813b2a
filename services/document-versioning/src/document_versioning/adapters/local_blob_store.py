"""The filesystem blob store (the default, under var/): a put writes a
temporary file in the tenant's directory while hashing it, fsyncs it, renames
it into place at `<tenant>/<sha256[:2]>/<sha256>` and fsyncs the directory, so
a blob is only ever visible once it is complete."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

from document_versioning.adapters.blob_store_base import (
    Hashing,
    StoreBase,
    StoredObject,
    blob_name,
    missing_blob,
    one_chunk,
    tenant_of,
    tenant_part,
)
from document_versioning.domain.blob import CHUNK_BYTES, StoredBlob, check_sha256


class LocalBlobStore(StoreBase):
    name = "filesystem"

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, tenant_id: str, sha256: str) -> Path:
        return self.root / tenant_part(tenant_id) / check_sha256(sha256)[:2] / sha256

    async def put(self, tenant_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob:
        tenant_dir = self.root / tenant_part(tenant_id)
        await asyncio.to_thread(tenant_dir.mkdir, parents=True, exist_ok=True)
        fd, tmp = await asyncio.to_thread(tempfile.mkstemp, prefix=".incoming-", dir=tenant_dir)
        try:
            with os.fdopen(fd, "wb") as file:
                hashing = Hashing(max_bytes)
                async for chunk in chunks:
                    # Hashing (which releases the GIL) and writing off the event loop, in one hop per chunk.
                    await asyncio.to_thread(_hash_and_write, hashing, file, chunk)
                await asyncio.to_thread(_flush_and_sync, file)
            blob = hashing.blob(self.name)
            await asyncio.to_thread(self._place, Path(tmp), self._path(tenant_id, blob.sha256))
            return blob
        finally:
            # Gone already when it was renamed into place.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    @staticmethod
    def _place(tmp: Path, target: Path) -> None:
        # The same content there already is replaced by its equal (still stored once): the file's
        # time is then this put's, so the sweep's grace period counts from the newest upload of it.
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        _sync_dir(target.parent)

    async def put_bytes(self, tenant_id: str, data: bytes) -> StoredBlob:
        return await self.put(tenant_id, one_chunk(data), max_bytes=len(data))

    async def read(self, tenant_id: str, sha256: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        path = self._path(tenant_id, sha256)
        try:
            file = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:
            raise missing_blob(sha256) from None
        try:
            await asyncio.to_thread(file.seek, start)
            left = None if end is None else max(end - start, 0)
            while left is None or left > 0:
                chunk = await asyncio.to_thread(file.read, CHUNK_BYTES if left is None else min(CHUNK_BYTES, left))
                if not chunk:
                    break
                if left is not None:
                    left -= len(chunk)
                yield chunk
        finally:
            await asyncio.to_thread(file.close)

    async def size(self, tenant_id: str, sha256: str) -> int | None:
        try:
            return (await asyncio.to_thread(self._path(tenant_id, sha256).stat)).st_size
        except FileNotFoundError:
            return None

    async def listing(self) -> AsyncIterator[StoredObject]:
        """Every file under the root: blobs in <tenant>/<sha[:2]>/, uploads' temporary files beside them."""
        tenants = await asyncio.to_thread(_entries, self.root)
        for tenant in tenants:
            if not tenant.is_dir():
                continue
            for entry in await asyncio.to_thread(_entries, Path(tenant.path)):
                inside = await asyncio.to_thread(_entries, Path(entry.path)) if entry.is_dir() else [entry]
                for file in inside:
                    found = await asyncio.to_thread(_stat, file)
                    if found is not None:
                        yield StoredObject(tenant_of(tenant.name), blob_name(file.name), file.path, found)

    async def delete_if_older(self, obj: StoredObject, cutoff: datetime) -> bool:
        return await asyncio.to_thread(_delete_if_older, Path(obj.key), cutoff)


def _entries(directory: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as found:
            return list(found)
    except FileNotFoundError:
        return []


def _stat(entry: os.DirEntry[str]) -> datetime | None:
    try:
        return datetime.fromtimestamp(entry.stat(follow_symlinks=False).st_mtime, UTC) if entry.is_file() else None
    except FileNotFoundError:
        return None


def _delete_if_older(path: Path, cutoff: datetime) -> bool:
    """Moves the file aside first, then looks at its time: an upload placing the same content
    meanwhile either wrote a new file at the path (untouched here) or refreshed the one moved
    aside, which is then put back — so a blob a version is about to name is never lost."""
    aside = path.with_name(f".sweeping-{uuid.uuid4().hex}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return False
    if datetime.fromtimestamp(aside.stat().st_mtime, UTC) >= cutoff:
        with contextlib.suppress(FileExistsError):
            os.link(aside, path)  # back in place, unless an upload placed it anew meanwhile
        os.unlink(aside)
        return False
    os.unlink(aside)
    return True


def _hash_and_write(hashing: Hashing, file, chunk: bytes) -> None:
    hashing.feed(chunk)
    file.write(chunk)


def _flush_and_sync(file) -> None:
    file.flush()
    os.fsync(file.fileno())


def _sync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
