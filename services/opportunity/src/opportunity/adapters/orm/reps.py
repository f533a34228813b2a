"""Rep profiles as lead-routing announces them (rep_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata

# Rep profiles as lead-routing last announced them (rep.profile_changed).
reps = sa.Table(
    "reps",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("team", sa.String(100), nullable=False),
    sa.Column("manager_id", sa.String(64), nullable=False),
    sa.Column("region", sa.String(100), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
