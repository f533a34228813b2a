"""0012: anomaly flags and their thresholds (anomaly_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata
from opportunity.adapters.settings_rows import settings_table

# A flag the anomaly scan raised (domain/anomalies/); (tenant, key) names its
# occasion, so a rerun adds nothing. Dismissal is kept (by, at, reason).
anomaly_flags = sa.Table(
    "anomaly_flags",
    metadata,
    sa.Column("flag_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("rep_id", sa.String(64), nullable=False),
    sa.Column("subject_type", sa.String(20), nullable=False),
    sa.Column("subject_id", sa.String(64), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("dismissed_by", sa.String(64), nullable=False),
    sa.Column("dismissed_at", sa.DateTime(timezone=True)),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.UniqueConstraint("tenant_id", "key", name="uq_anomaly_flags_tenant_key"),
    sa.Index("ix_anomaly_flags_tenant_raised", "tenant_id", "raised_at"),
)

# The tenant's anomaly thresholds, one versioned row per tenant.
anomaly_settings = settings_table("anomaly_settings", metadata)
