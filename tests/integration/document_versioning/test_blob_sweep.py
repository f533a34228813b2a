"""The sweep of blobs no version names, on both stores (the filesystem in a
temporary folder, S3 against moto's server) and a real database: past the
grace period an unnamed blob, its row and an upload's leftover are deleted
and a named blob stays; within it nothing is touched; an object written
again just before its delete is kept."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import obstore
import pytest
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.db import Database
from crm_shared.subject_access import SubjectAccess
from document_versioning.adapters.blob_store import BlobStore
from document_versioning.adapters.local_blob_store import LocalBlobStore
from document_versioning.adapters.s3_blob_store import S3BlobStore
from document_versioning.config import SERVICE
from document_versioning.domain.document import VersionHeader
from document_versioning.service_layer.blob_sweep import BlobSweep, Swept
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork
from document_versioning.service_layer.versions import VersionHandlers

from tests.integration.document_versioning.test_blob_store import objects, store  # noqa: F401 - the fixture
from tests.support.infra import migrate
from tests.support.s3 import moto_server  # noqa: F401 - the fixture

TENANT = "tenant-a"
GRACE = timedelta(hours=24)
# The service filing for itself: opportunity is not asked (crm_shared.subject_access).
SERVICE_CALLER = Caller(TENANT, "rep-1", "system")


async def leftover(blobs: BlobStore) -> None:
    """What an upload cut off mid-way leaves: a temporary file or key."""
    if isinstance(blobs, LocalBlobStore):
        (blobs.root / TENANT).mkdir(parents=True, exist_ok=True)
        (blobs.root / TENANT / ".incoming-cut-off").write_bytes(b"half a drawing")
    else:
        assert isinstance(blobs, S3BlobStore)
        await obstore.put_async(blobs.store, f"{TENANT}/.incoming/cut-off", b"half a drawing")


@pytest.fixture
async def db(database_url: str):
    await migrate("document-versioning", database_url)
    database = Database(database_url, SERVICE, FixedClock(datetime.now(UTC)))
    yield database
    await database.dispose()


async def test_unnamed_blobs_past_the_grace_period_are_swept_and_named_ones_stay(
    store: BlobStore,  # noqa: F811 - the fixture
    db: Database,
) -> None:
    uow = lambda: DocumentVersioningUnitOfWork(db)
    versions = VersionHandlers(uow, SubjectAccess("", SERVICE, 1.0), store)
    header = VersionHeader(opportunity_id="opp-1", doc_type="报价单", title="报价单", filename="quote.pdf")
    named = (await versions.upload(SERVICE_CALLER, header, b"%PDF the quote")).version.sha256
    # Stored, then refused before any version named it (as fields that do not add up are).
    refused = (await store.put_bytes(TENANT, b"%PDF refused after storing")).sha256
    other_tenant = (await store.put_bytes("tenant-b", b"%PDF another tenant's orphan")).sha256
    await leftover(store)
    before = await objects(store)
    assert len(before) == 4

    clock = FixedClock(datetime.now(UTC) + GRACE - timedelta(hours=1))
    sweep = BlobSweep(uow, store, clock, GRACE, page_size=2)
    assert await sweep.run() == Swept()  # all within the grace period
    assert await objects(store) == before

    clock.advance(timedelta(hours=2))
    assert await sweep.run() == Swept(blobs=2, temporary=1, kept=1)
    assert await store.exists(TENANT, named) and await store.read_bytes(TENANT, named, 100) == b"%PDF the quote"
    assert not await store.exists(TENANT, refused) and not await store.exists("tenant-b", other_tenant)
    assert len(await objects(store)) == 1
    async with uow() as u:
        assert await u.blobs.get(TENANT, named) is not None
    # The version still reads, and a second sweep finds nothing more.
    assert await sweep.run() == Swept(kept=1)


async def test_an_object_written_again_before_its_delete_is_kept(store: BlobStore) -> None:  # noqa: F811
    sha = (await store.put_bytes(TENANT, b"%PDF uploaded twice")).sha256
    [obj] = [o async for o in store.listing()]
    assert (obj.tenant_id, obj.sha256) == (TENANT, sha)
    # Written at or after the cutoff (the same content uploaded again since the listing): kept, in place.
    assert not await store.delete_if_older(obj, obj.modified)
    assert await store.read_bytes(TENANT, sha, 100) == b"%PDF uploaded twice"
    assert await store.delete_if_older(obj, obj.modified + timedelta(seconds=1))
    assert not await store.exists(TENANT, sha)
    assert not await store.delete_if_older(obj, obj.modified + timedelta(seconds=1))  # gone already


async def test_a_put_of_stored_content_refreshes_its_time(tmp_path) -> None:
    local = LocalBlobStore(tmp_path / "blobs")
    sha = (await local.put_bytes(TENANT, b"%PDF an old orphan")).sha256
    path = local._path(TENANT, sha)
    two_days_ago = (datetime.now(UTC) - timedelta(days=2)).timestamp()
    os.utime(path, (two_days_ago, two_days_ago))
    await local.put_bytes(TENANT, b"%PDF an old orphan")  # uploaded again: a version is about to name it
    [obj] = [o async for o in local.listing()]
    assert obj.modified > datetime.now(UTC) - timedelta(minutes=1)
