"""The hash-chained activities and the visit photos they point at
(activity_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata

# Visit photos, kept in this database (bytes + sha256); activities point at them.
photos = sa.Table(
    "photos",
    metadata,
    sa.Column("photo_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content_type", sa.String(100), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("taken_at", sa.DateTime(timezone=True)),
    sa.Column("uploaded_by", sa.String(64), nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
)

# Append-only, hash-chained per customer: (customer_id, seq) is unique, so
# two concurrent appends cannot both take the same place in the chain.
activities = sa.Table(
    "activities",
    metadata,
    sa.Column("activity_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("opportunity_id", sa.String(36)),
    sa.Column("lead_id", sa.String(36)),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    # A correction, a completion of a draft, or a submission refers to an earlier entry.
    sa.Column("refers_to", sa.String(36)),
    sa.Column("relation", sa.String(20), nullable=False),
    sa.Column("check_in_latitude", sa.Float),
    sa.Column("check_in_longitude", sa.Float),
    sa.Column("checked_in_at", sa.DateTime(timezone=True)),
    sa.Column("photo_id", sa.String(36)),
    sa.Column("photo_sha256", sa.String(64), nullable=False),
    sa.Column("needs", sa.Text, nullable=False),
    sa.Column("competitors", sa.Text, nullable=False),
    sa.Column("next_follow_up_at", sa.DateTime(timezone=True)),
    sa.Column("violations", sa.JSON, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.UniqueConstraint("customer_id", "seq", name="uq_activities_customer_seq"),
    # Drafts across customers, newest first, and the entry completing one (migration 0015).
    sa.Index("ix_activities_drafts", "tenant_id", "state", "recorded_at", "activity_id"),
    # A chunk of customers' activities for the contact depth index (migration 0016).
    sa.Index("ix_activities_customer_occurred", "tenant_id", "customer_id", "occurred_at"),
    # A set of opportunities' submitted activities (process health, the win model's counts; migration 0020).
    sa.Index("ix_activities_opportunity_state", "tenant_id", "opportunity_id", "state", "occurred_at"),
    sa.Index(
        "ix_activities_refers_to",
        "refers_to",
        postgresql_where=sa.text("refers_to IS NOT NULL"),
        sqlite_where=sa.text("refers_to IS NOT NULL"),
    ),
)
