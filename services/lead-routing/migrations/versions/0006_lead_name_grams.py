"""the character bigrams of each lead's normalised name, per city, for the duplicate test

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BATCH = 5000  # leads read and indexed at a time


def upgrade() -> None:
    grams = op.create_table(
        "lead_name_grams",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("city", sa.String(50), primary_key=True),
        sa.Column("kind", sa.String(1), primary_key=True),
        sa.Column("gram", sa.String(2), primary_key=True),
        sa.Column("lead_id", sa.String(36), primary_key=True),
    )

    # Index the leads already there (only those with a city: the name test is within one).
    from lead_routing.domain.duplicates import indexed_grams

    leads = sa.table(
        "leads",
        sa.column("lead_id", sa.String),
        sa.column("tenant_id", sa.String),
        sa.column("company_name", sa.String),
        sa.column("city", sa.String),
    )
    bind = op.get_bind()
    after = ""
    while True:
        rows = bind.execute(
            sa.select(leads.c.lead_id, leads.c.tenant_id, leads.c.company_name, leads.c.city)
            .where(leads.c.city != "", leads.c.lead_id > after)
            .order_by(leads.c.lead_id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        bind.execute(
            sa.insert(grams),
            [
                {"tenant_id": tenant_id, "city": city, "kind": kind, "gram": gram, "lead_id": lead_id}
                for lead_id, tenant_id, name, city in rows
                for kind, gram in indexed_grams(name)
            ],
        )
        after = rows[-1].lead_id


def downgrade() -> None:
    op.drop_table("lead_name_grams")
