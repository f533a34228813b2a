"""Where the bytes of versions live: one interface, two stores.

Content is addressed by sha256 and stored once per tenant under the key
`<tenant>/<sha256>`. Both stores hash while they write, so the bytes are
never held whole in memory, and a blob is only ever visible under its key
once it is complete:

- LocalBlobStore (the default, under var/): a temporary file in the tenant's
  directory, fsynced, renamed into place, the directory fsynced.
- S3BlobStore (Kubernetes, several replicas): obstore's streaming multipart
  upload to a temporary key `<tenant>/.incoming/<uuid>` (the hash is only
  known at the end), then a server-side copy to the content key and the
  temporary object deleted. A refused or broken upload deletes its temporary
  key; multipart parts left by a crashed replica are for the bucket's
  lifecycle rule (AbortIncompleteMultipartUpload) to reap.

`read(...)` is an async generator: `async for chunk in store.read(t, sha, start, end)`;
`end` is exclusive (slice-like); a missing blob raises NotFound."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import tempfile
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote, unquote

import obstore
from crm_shared.domain.errors import NotFound
from obstore.exceptions import NotFoundError
from obstore.store import S3Store

from document_versioning.domain.blob import CHUNK_BYTES, StoredBlob, check_sha256, too_large

if TYPE_CHECKING:
    from document_versioning.config import BlobStoreSettings

__all__ = ["BlobStore", "LocalBlobStore", "S3BlobStore", "StoredBlob", "StoredObject", "blob_store_from"]

_SHA256_NAME = re.compile(r"[0-9a-f]{64}")


class BlobStore(Protocol):
    name: str  # "filesystem" | "s3", recorded on the blob's row

    async def put(self, tenant_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob: ...

    async def put_bytes(self, tenant_id: str, data: bytes) -> StoredBlob: ...

    def read(self, tenant_id: str, sha256: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]: ...

    async def read_bytes(self, tenant_id: str, sha256: str, max_bytes: int) -> bytes: ...

    async def exists(self, tenant_id: str, sha256: str) -> bool: ...

    async def size(self, tenant_id: str, sha256: str) -> int | None: ...

    def listing(self) -> AsyncIterator[StoredObject]: ...

    async def delete_if_older(self, obj: StoredObject, cutoff: datetime) -> bool: ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class StoredObject:
    """One object the store holds, as the sweep (service_layer/blob_sweep.py) sees it: a blob
    (`sha256`), or a temporary one an upload left (`sha256` empty), and when it was last written."""

    tenant_id: str
    sha256: str
    key: str  # the store's own name for it
    modified: datetime


def _tenant_part(tenant_id: str) -> str:
    """A tenant id as one safe path segment (never "..", never a slash)."""
    part = quote(tenant_id, safe="")
    if not part or part.startswith("."):
        part = "%2E" + part[1:] if part else "%00"
    return part


def _tenant_of(part: str) -> str:
    return unquote(part)


def _blob_name(name: str) -> str:
    """`name` when it is a blob's (a sha256), else "" (a temporary object)."""
    return name if _SHA256_NAME.fullmatch(name) else ""


def _missing(sha256: str) -> NotFound:
    return NotFound(f"content {sha256} not found")


class _Hashing:
    """Counts and hashes the chunks passing through; refuses past max_bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.digest = hashlib.sha256()
        self.size = 0

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise too_large(self.max_bytes)
        self.digest.update(chunk)

    def blob(self, store: str) -> StoredBlob:
        return StoredBlob(self.digest.hexdigest(), self.size, store)


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


class _Store:
    """What both stores do the same way, from their own size() and read()."""

    async def size(self, tenant_id: str, sha256: str) -> int | None:
        raise NotImplementedError

    def read(self, tenant_id: str, sha256: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        raise NotImplementedError

    async def read_bytes(self, tenant_id: str, sha256: str, max_bytes: int) -> bytes:
        size = await self.size(tenant_id, sha256)
        if size is None:
            raise _missing(sha256)
        if size > max_bytes:
            raise too_large(max_bytes)
        return b"".join([chunk async for chunk in self.read(tenant_id, sha256)])

    async def exists(self, tenant_id: str, sha256: str) -> bool:
        return await self.size(tenant_id, sha256) is not None

    async def close(self) -> None:
        return None


class LocalBlobStore(_Store):
    name = "filesystem"

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, tenant_id: str, sha256: str) -> Path:
        return self.root / _tenant_part(tenant_id) / check_sha256(sha256)[:2] / sha256

    async def put(self, tenant_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob:
        tenant_dir = self.root / _tenant_part(tenant_id)
        await asyncio.to_thread(tenant_dir.mkdir, parents=True, exist_ok=True)
        fd, tmp = await asyncio.to_thread(tempfile.mkstemp, prefix=".incoming-", dir=tenant_dir)
        try:
            with os.fdopen(fd, "wb") as file:
                hashing = _Hashing(max_bytes)
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
        return await self.put(tenant_id, _one(data), max_bytes=len(data))

    async def read(self, tenant_id: str, sha256: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        path = self._path(tenant_id, sha256)
        try:
            file = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:
            raise _missing(sha256) from None
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
                        yield StoredObject(_tenant_of(tenant.name), _blob_name(file.name), file.path, found)

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


def _hash_and_write(hashing: _Hashing, file, chunk: bytes) -> None:
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


class S3BlobStore(_Store):
    name = "s3"
    # obstore buffers one part per concurrent upload: 5 MiB parts, 2 at a time keep an upload within ~15 MiB.
    PART_BYTES = 5 * 1024 * 1024
    PARTS_IN_FLIGHT = 2

    def __init__(
        self,
        bucket: str,
        *,
        endpoint: str = "",
        region: str = "us-east-1",
        access_key_id: str = "",
        secret_access_key: str = "",
        prefix: str = "",
    ) -> None:
        config: dict[str, object] = {"region": region}
        if endpoint:
            config["endpoint"] = endpoint
        if access_key_id:
            config["access_key_id"] = access_key_id
            config["secret_access_key"] = secret_access_key
        client = {"allow_http": True} if endpoint.startswith("http://") else None
        self.store = S3Store(bucket, prefix=prefix or None, client_options=client, **config)

    def _key(self, tenant_id: str, sha256: str) -> str:
        return f"{_tenant_part(tenant_id)}/{check_sha256(sha256)}"

    async def put(self, tenant_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob:
        hashing = _Hashing(max_bytes)

        async def hashed() -> AsyncIterator[bytes]:
            async for chunk in chunks:
                hashing.feed(chunk)
                yield chunk

        incoming = f"{_tenant_part(tenant_id)}/.incoming/{uuid.uuid4().hex}"
        try:
            await obstore.put_async(
                self.store,
                incoming,
                hashed(),
                use_multipart=True,
                chunk_size=self.PART_BYTES,
                max_concurrency=self.PARTS_IN_FLIGHT,
            )
            # An error raised while obstore pulls the chunks reaches here wrapped; the domain's own error stands.
            blob = hashing.blob(self.name)
            # Copied even over its equal (still stored once): the object's time is then this put's,
            # so the sweep's grace period counts from the newest upload of it.
            await obstore.copy_async(self.store, incoming, self._key(tenant_id, blob.sha256))
            return blob
        except Exception as error:
            if hashing.size > hashing.max_bytes:
                raise too_large(hashing.max_bytes) from error
            raise
        finally:
            with contextlib.suppress(Exception):
                await obstore.delete_async(self.store, incoming)

    async def put_bytes(self, tenant_id: str, data: bytes) -> StoredBlob:
        blob = StoredBlob(hashlib.sha256(data).hexdigest(), len(data), self.name)
        await obstore.put_async(self.store, self._key(tenant_id, blob.sha256), data)  # refreshed, as in put
        return blob

    async def read(self, tenant_id: str, sha256: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        if end is not None and end <= start:
            return  # S3 refuses an empty range; there is nothing to send
        options = {"range": (start, end) if end is not None else {"offset": start}} if start or end else None
        try:
            result = await obstore.get_async(self.store, self._key(tenant_id, sha256), options=options)
        except (NotFoundError, FileNotFoundError):
            raise _missing(sha256) from None
        async for chunk in result.stream(min_chunk_size=CHUNK_BYTES):
            # A chunk is at least CHUNK_BYTES (bar the last), possibly more: hand on at most CHUNK_BYTES at a time.
            view = memoryview(chunk)
            for at in range(0, len(view), CHUNK_BYTES):
                yield bytes(view[at : at + CHUNK_BYTES])

    async def size(self, tenant_id: str, sha256: str) -> int | None:
        try:
            meta = await obstore.head_async(self.store, self._key(tenant_id, sha256))
        except (NotFoundError, FileNotFoundError):
            return None
        return int(meta["size"])

    async def listing(self) -> AsyncIterator[StoredObject]:
        """Every object: blobs at <tenant>/<sha256>, uploads' temporary ones at <tenant>/.incoming/<id>."""
        async for batch in obstore.list(self.store, chunk_size=500):
            for meta in batch:
                tenant, _, name = meta["path"].partition("/")
                yield StoredObject(_tenant_of(tenant), _blob_name(name), meta["path"], meta["last_modified"])

    async def delete_if_older(self, obj: StoredObject, cutoff: datetime) -> bool:
        """Looked at again just before the delete: an upload of the same content since the listing
        refreshed its time and keeps it. (S3 has no conditional delete by time: a put landing
        between this HEAD and the DELETE is the one window left; the grace period makes it one
        of an old orphan re-uploaded at that very moment.)"""
        try:
            meta = await obstore.head_async(self.store, obj.key)
        except (NotFoundError, FileNotFoundError):
            return False
        if meta["last_modified"] >= cutoff:
            return False
        await obstore.delete_async(self.store, obj.key)
        return True


def blob_store_from(settings: BlobStoreSettings) -> BlobStore:
    """The store the settings name: "filesystem" (default, under blob_dir) or "s3"."""
    if settings.blob_store == "s3":
        return S3BlobStore(
            settings.s3_bucket,
            endpoint=settings.s3_endpoint,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key.get_secret_value(),
            prefix=settings.s3_prefix,
        )
    return LocalBlobStore(settings.blob_dir)
