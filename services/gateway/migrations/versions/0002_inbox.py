"""platform tables (inbox for the 企业微信 robot consumer, outbox, leases)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op

from crm_shared.db import create_platform_tables, drop_platform_tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables(op.get_bind())


def downgrade() -> None:
    drop_platform_tables(op.get_bind())
