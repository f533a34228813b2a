"""The S3 blob store (Kubernetes, several replicas): obstore's streaming
multipart upload to a temporary key `<tenant>/.incoming/<uuid>` (the hash is
only known at the end), then a server-side copy to the content key
`<tenant>/<sha256>` and the temporary object deleted. A refused or broken
upload deletes its temporary key; multipart parts left by a crashed replica
are for the bucket's lifecycle rule (AbortIncompleteMultipartUpload) to reap."""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from datetime import datetime

import obstore
from obstore.exceptions import NotFoundError
from obstore.store import S3Store

from document_versioning.adapters.blob_store_base import (
    Hashing,
    StoreBase,
    StoredObject,
    blob_name,
    missing_blob,
    tenant_of,
    tenant_part,
)
from document_versioning.domain.blob import CHUNK_BYTES, StoredBlob, check_sha256, too_large


class S3BlobStore(StoreBase):
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
        return f"{tenant_part(tenant_id)}/{check_sha256(sha256)}"

    async def put(self, tenant_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob:
        hashing = Hashing(max_bytes)

        async def hashed() -> AsyncIterator[bytes]:
            async for chunk in chunks:
                hashing.feed(chunk)
                yield chunk

        incoming = f"{tenant_part(tenant_id)}/.incoming/{uuid.uuid4().hex}"
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
            raise missing_blob(sha256) from None
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
                yield StoredObject(tenant_of(tenant), blob_name(name), meta["path"], meta["last_modified"])

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
