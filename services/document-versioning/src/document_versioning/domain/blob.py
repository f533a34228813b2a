"""Blobs: content addressed by sha256, stored once per tenant, and how big
a tenant may make one of a given document type."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from crm_shared.domain.errors import InvalidArgument, TooLarge

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
