"""every intake's source on the lead, approximate coordinates, why each owner change happened

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("touches", sa.JSON))
        batch.add_column(sa.Column("coordinates_source", sa.String(10), nullable=False, server_default=""))
    op.create_table(
        "owner_changes",
        sa.Column("change_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("lead_id", sa.String(36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change", sa.String(20), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("previous_owner_id", sa.String(64)),
        sa.Column("owner_id", sa.String(64)),
        sa.Column("assignment_id", sa.String(36)),
        sa.Column("reason", sa.String(500), nullable=False, server_default=""),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_index("ix_owner_changes_lead", "owner_changes", ["tenant_id", "lead_id", "at"])

    # Coordinates stored so far were typed; leads with a known division and none
    # get that division's centre, marked approximate.
    from lead_routing.domain.address import centroid  # noqa: PLC0415 - only this migration needs it

    leads = sa.table(
        "leads",
        sa.column("lead_id", sa.String),
        sa.column("adcode", sa.String),
        sa.column("latitude", sa.Float),
        sa.column("longitude", sa.Float),
        sa.column("coordinates_source", sa.String),
    )
    bind = op.get_bind()
    bind.execute(sa.update(leads).where(leads.c.latitude.is_not(None)).values(coordinates_source="typed"))
    rows = bind.execute(
        sa.select(leads.c.lead_id, leads.c.adcode).where(leads.c.latitude.is_(None), leads.c.adcode != "")
    ).all()
    for lead_id, adcode in rows:
        found = centroid(adcode)
        if found:
            lat, lng, precision = found
            bind.execute(
                sa.update(leads)
                .where(leads.c.lead_id == lead_id)
                .values(latitude=lat, longitude=lng, coordinates_source=precision)
            )


def downgrade() -> None:
    op.drop_index("ix_owner_changes_lead", "owner_changes")
    op.drop_table("owner_changes")
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("coordinates_source")
        batch.drop_column("touches")
