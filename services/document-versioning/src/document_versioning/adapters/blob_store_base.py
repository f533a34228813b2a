"""What both blob stores (local_blob_store.py, s3_blob_store.py) share: how a
tenant and a sha256 become a key, the object a listing yields, the hashing
that counts and checks a put's bytes as they pass, and the reads both answer
from their own size() and read()."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, unquote

from crm_shared.domain.errors import NotFound

from document_versioning.domain.blob import StoredBlob, too_large

_SHA256_NAME = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredObject:
    """One object the store holds, as the sweep (service_layer/blob_sweep.py) sees it: a blob
    (`sha256`), or a temporary one an upload left (`sha256` empty), and when it was last written."""

    tenant_id: str
    sha256: str
    key: str  # the store's own name for it
    modified: datetime


def tenant_part(tenant_id: str) -> str:
    """A tenant id as one safe path segment (never "..", never a slash)."""
    part = quote(tenant_id, safe="")
    if not part or part.startswith("."):
        part = "%2E" + part[1:] if part else "%00"
    return part


def tenant_of(part: str) -> str:
    return unquote(part)


def blob_name(name: str) -> str:
    """`name` when it is a blob's (a sha256), else "" (a temporary object)."""
    return name if _SHA256_NAME.fullmatch(name) else ""


def missing_blob(sha256: str) -> NotFound:
    return NotFound(f"content {sha256} not found")


class Hashing:
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


async def one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


class StoreBase:
    """What both stores do the same way, from their own size() and read()."""

    async def size(self, tenant_id: str, sha256: str) -> int | None:
        raise NotImplementedError

    def read(self, tenant_id: str, sha256: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        raise NotImplementedError

    async def read_bytes(self, tenant_id: str, sha256: str, max_bytes: int) -> bytes:
        size = await self.size(tenant_id, sha256)
        if size is None:
            raise missing_blob(sha256)
        if size > max_bytes:
            raise too_large(max_bytes)
        return b"".join([chunk async for chunk in self.read(tenant_id, sha256)])

    async def exists(self, tenant_id: str, sha256: str) -> bool:
        return await self.size(tenant_id, sha256) is not None

    async def close(self) -> None:
        return None
