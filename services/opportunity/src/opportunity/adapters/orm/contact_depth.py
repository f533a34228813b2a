"""0016: contact depth (contact_depth_repository): one CDI row per customer
with its factors and evidence, and the tenant's CDI settings row."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata
from opportunity.adapters.settings_rows import settings_table

# Derived from the log (recomputed by events and a sweep); `next_due_at` is when
# time alone changes it (a touch leaves the window, a plan comes due or turns red).
contact_depth = sa.Table(
    "contact_depth",
    metadata,
    sa.Column("customer_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("cdi", sa.Float, nullable=False),
    sa.Column("coverage", sa.Float),
    sa.Column("needs", sa.Float),
    sa.Column("closure", sa.Float),
    sa.Column("red", sa.Boolean, nullable=False),
    sa.Column("plans_due", sa.Integer, nullable=False),
    sa.Column("plans_on_time", sa.Integer, nullable=False),
    sa.Column("last_contact_at", sa.DateTime(timezone=True)),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("settings_version", sa.Integer, nullable=False),
    sa.Column("next_due_at", sa.DateTime(timezone=True)),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_contact_depth_tenant_cdi", "tenant_id", "cdi"),
    sa.Index("ix_contact_depth_next_due", "next_due_at"),
    sa.Index("ix_contact_depth_computed", "computed_at"),
)

# Weights, windows and thresholds of the CDI, one versioned row per tenant.
contact_depth_settings = settings_table("contact_depth_settings", metadata)
