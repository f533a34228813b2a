"""the contract number on finance's contract projection

contract.signed carries the contract's number (合同编号, e.g. "HT2025-018"),
the same for every version; matching's contract_ref rule finds it in a
statement line's remark. "" for contracts signed before (or without one):
those are matched by their version label.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("finance_contracts") as batch:
        batch.add_column(sa.Column("contract_number", sa.String(40), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("finance_contracts") as batch:
        batch.drop_column("contract_number")
