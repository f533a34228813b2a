"""payment plans, instalments, receipts, allocations and the ledger; the contract and opportunity projections

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by helper F1


def downgrade() -> None:
    pass
