"""blob store references (content leaves the database)

The blobs table keeps metadata only (tenant, sha256, size, which store,
when). Existing content is copied to the configured blob store
(DOCUMENT_VERSIONING_BLOB_STORE and friends, as the service reads them),
checked against its sha256, then set NULL. The column stays, nullable,
so that a downgrade can copy the bytes back; nothing writes it any more.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

blobs = sa.table(
    "blobs",
    sa.column("tenant_id", sa.String),
    sa.column("sha256", sa.String),
    sa.column("content", sa.LargeBinary),
    sa.column("store", sa.String),
)


def _store():
    from document_versioning.adapters.blob_store import blob_store_from
    from document_versioning.config import BlobStoreSettings

    return blob_store_from(BlobStoreSettings())


def _run(coroutine):
    """The migration runs inside the env's event loop (run_sync): the store's coroutines get a loop of their own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def upgrade() -> None:
    with op.batch_alter_table("blobs") as batch:
        batch.add_column(sa.Column("store", sa.String(20), nullable=False, server_default="filesystem"))
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
        batch.alter_column("content", existing_type=sa.LargeBinary, nullable=True)
    bind = op.get_bind()
    keys = bind.execute(sa.select(blobs.c.tenant_id, blobs.c.sha256).where(blobs.c.content.is_not(None))).all()
    if not keys:
        return
    store = _store()
    for tenant_id, sha256 in keys:
        where = sa.and_(blobs.c.tenant_id == tenant_id, blobs.c.sha256 == sha256)
        content = bind.execute(sa.select(blobs.c.content).where(where)).scalar_one()
        stored = _run(store.put_bytes(tenant_id, content))
        if stored.sha256 != sha256 or stored.sha256 != hashlib.sha256(content).hexdigest():
            raise RuntimeError(f"blob {tenant_id}/{sha256} does not hash to its key; left in the database")
        bind.execute(sa.update(blobs).where(where).values(content=None, store=store.name))


def downgrade() -> None:
    bind = op.get_bind()
    keys = bind.execute(sa.select(blobs.c.tenant_id, blobs.c.sha256).where(blobs.c.content.is_(None))).all()
    if keys:
        store = _store()
        for tenant_id, sha256 in keys:
            content = _run(store.read_bytes(tenant_id, sha256, max_bytes=2**40))
            where = sa.and_(blobs.c.tenant_id == tenant_id, blobs.c.sha256 == sha256)
            bind.execute(sa.update(blobs).where(where).values(content=content))
    with op.batch_alter_table("blobs") as batch:
        batch.alter_column("content", existing_type=sa.LargeBinary, nullable=False)
        batch.drop_column("created_at")
        batch.drop_column("store")
