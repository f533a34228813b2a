"""contracts' number (合同编号)

The number customers write in a payment's remark (e.g. "HT2025-018"), the
same for every version of a contract and published in contract.signed /
contract.superseded so finance matches statement lines by it. Optional ("")
for contracts opened before; a number names one contract in the tenant.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("contracts", sa.Column("contract_number", sa.String(40), nullable=False, server_default=""))
    op.create_index(
        "uq_contracts_number",
        "contracts",
        ["tenant_id", "contract_number"],
        unique=True,
        sqlite_where=sa.text("contract_number <> ''"),
        postgresql_where=sa.text("contract_number <> ''"),
    )


def downgrade() -> None:
    op.drop_index("uq_contracts_number", table_name="contracts")
    with op.batch_alter_table("contracts") as batch:
        batch.drop_column("contract_number")
