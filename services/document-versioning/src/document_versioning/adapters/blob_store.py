"""Where the bytes of versions live: one interface, two stores,
and the one the settings name.

Content is addressed by sha256 and stored once per tenant under the key
`<tenant>/<sha256>`. Both stores hash while they write, so the bytes are
never held whole in memory, and a blob is only ever visible under its key
once it is complete:

- LocalBlobStore (local_blob_store.py; the default, under var/): a temporary
  file in the tenant's directory, fsynced, renamed into place.
- S3BlobStore (s3_blob_store.py; Kubernetes, several replicas): a streaming
  multipart upload to a temporary key, then a server-side copy to the content key.

`read(...)` is an async generator: `async for chunk in store.read(t, sha, start, end)`;
`end` is exclusive (slice-like); a missing blob raises NotFound."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from document_versioning.adapters.blob_store_base import StoredObject
from document_versioning.adapters.local_blob_store import LocalBlobStore
from document_versioning.adapters.s3_blob_store import S3BlobStore
from document_versioning.domain.blob import StoredBlob

if TYPE_CHECKING:
    from document_versioning.config import BlobStoreSettings

__all__ = ["BlobStore", "StoredObject", "blob_store_from"]


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
