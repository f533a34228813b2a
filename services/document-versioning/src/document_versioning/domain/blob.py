"""Blobs: content addressed by sha256, stored once per tenant, and how big
a tenant may make one of a given document type."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from crm_shared.domain.errors import InvalidArgument, TooLarge, Validator

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 250 * MIB
# One gRPC message of an upload or a read carries at most this much content.
CHUNK_BYTES = 1 * MIB
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size_bytes: int
    # The store holding it ("filesystem" | "s3"), recorded on the blob's row.
    store: str = ""


def check_sha256(sha256: str) -> str:
    if not _SHA256.fullmatch(sha256):
        raise InvalidArgument.field("sha256", "is not 64 lowercase hexadecimal digits")
    return sha256


def too_large(limit_bytes: int) -> TooLarge:
    return TooLarge(f"content: is larger than the limit of {_human(limit_bytes)}", limit_bytes)


def _human(size: int) -> str:
    return f"{size // MIB} MiB" if size % MIB == 0 else f"{size} bytes"


@dataclass(frozen=True)
class SizeLimits:
    """The largest content a version may have: per tenant and document type,
    else per tenant ("*" type), else per type (tenant "*"), else the default.
    Settings give it as JSON: {"tenant-a": {"*": 104857600, "合同": 20971520}, "*": {"图纸": 524288000}}."""

    default_bytes: int = DEFAULT_MAX_BYTES
    by_tenant: Mapping[str, Mapping[str, int]] | None = None

    @classmethod
    def parse(cls, default_bytes: int, text: str) -> SizeLimits:
        if not text.strip():
            return cls(default_bytes)
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(f"size limits are not JSON: {e}") from e
        if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
            raise ValueError('size limits must map a tenant (or "*") to {doc_type (or "*"): bytes}')
        for tenant, types in raw.items():
            for doc_type, limit in types.items():
                if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
                    raise ValueError(f"size limit of {tenant}/{doc_type} must be a positive integer of bytes")
        return cls(default_bytes, raw)

    def for_upload(self, tenant_id: str, doc_type: str) -> int:
        table = self.by_tenant or {}
        for tenant, kind in ((tenant_id, doc_type), (tenant_id, "*"), ("*", doc_type)):
            limit = table.get(tenant, {}).get(kind)
            if limit is not None:
                return limit
        return self.default_bytes


@dataclass(frozen=True)
class ByteRange:
    """[start, end) of a blob of `size` bytes."""

    start: int
    end: int
    size: int

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.end == self.size


def byte_range(size: int, offset: int = 0, length: int | None = None, suffix_length: int | None = None) -> ByteRange | None:
    """The bytes a reader asked for, clamped to the blob (as HTTP ranges are);
    None when none of them exist (the range starts past the end: HTTP 416).
    Nothing asked: the whole blob, even an empty one."""
    v = Validator()
    if offset < 0:
        v.add("offset", "must not be negative")
    if length is not None and length <= 0:
        v.add("length", "must be positive")
    if suffix_length is not None and (offset or length is not None):
        v.add("suffix_length", "cannot be combined with offset or length")
    v.check()
    if suffix_length is not None:
        if suffix_length <= 0 or size == 0:
            return None
        return ByteRange(max(size - suffix_length, 0), size, size)
    if offset == 0 and length is None:
        return ByteRange(0, size, size)
    if offset >= size:
        return None
    return ByteRange(offset, size if length is None else min(size, offset + length), size)
