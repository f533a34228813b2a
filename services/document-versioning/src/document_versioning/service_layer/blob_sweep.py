"""The sweep of blobs no version names (a leased periodic job, bootstrap.py):
content stored by an upload that was then refused (fields that do not add
up, a transaction that failed) or cut off, and the temporary files and keys
an upload left behind. Anything written within the grace period is kept, so
an upload between storing its bytes and committing its version is never
touched; a put of content already stored refreshes its time
(local_blob_store.py, s3_blob_store.py), so the period counts from the
newest upload of it.

Each page of old objects is checked against the versions in one query per
tenant; the blobs' rows go first (each only while no version names it, in
the delete itself), then the objects, each looked at once more just before
it is deleted (LocalBlobStore / S3BlobStore delete_if_older)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_shared.clock import Clock
from crm_shared.logs import get_logger

from document_versioning.adapters.blob_store import BlobStore, StoredObject
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

log = get_logger("document_versioning.blob_sweep")
UowFactory = Callable[[], DocumentVersioningUnitOfWork]


@dataclass(frozen=True)
class Swept:
    blobs: int = 0  # unnamed blobs deleted
    temporary: int = 0  # uploads' leftovers deleted
    kept: int = 0  # old blobs a version names


class BlobSweep:
    def __init__(
        self, uow: UowFactory, store: BlobStore, clock: Clock, grace: timedelta, *, page_size: int = 500
    ) -> None:
        self.uow = uow
        self.store = store
        self.clock = clock
        self.grace = grace
        self.page_size = page_size

    async def run(self) -> Swept:
        """One pass over the store."""
        cutoff = self.clock.now() - self.grace
        total = Swept()
        page: list[StoredObject] = []
        async for obj in self.store.listing():
            if obj.modified < cutoff:
                page.append(obj)
            if len(page) >= self.page_size:
                total = _add(total, await self._sweep(page, cutoff))
                page = []
        if page:
            total = _add(total, await self._sweep(page, cutoff))
        if total.blobs or total.temporary:
            log.info("blob sweep", deleted=total.blobs, temporary=total.temporary, kept=total.kept)
        return total

    async def _sweep(self, page: list[StoredObject], cutoff: datetime) -> Swept:
        by_tenant: dict[str, list[StoredObject]] = defaultdict(list)
        temporary = 0
        for obj in page:
            if obj.sha256:
                by_tenant[obj.tenant_id].append(obj)
            elif await self.store.delete_if_older(obj, cutoff):
                temporary += 1
        deleted = kept = 0
        for tenant_id, objects in by_tenant.items():
            shas = {o.sha256 for o in objects}
            async with self.uow() as uow:
                named = await uow.blobs.named(tenant_id, shas)
                await uow.blobs.forget(tenant_id, shas - named)
                await uow.commit()
            kept += len(named)
            for obj in objects:
                if obj.sha256 not in named and await self.store.delete_if_older(obj, cutoff):
                    deleted += 1
        return Swept(deleted, temporary, kept)


def _add(a: Swept, b: Swept) -> Swept:
    return Swept(a.blobs + b.blobs, a.temporary + b.temporary, a.kept + b.kept)
