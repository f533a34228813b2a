"""Promotion programmes (promotion_programme_repository) and distributors'
applications for them (promotion_application_repository).
"""

import sqlalchemy as sa

from lead_routing.adapters.orm.base import metadata

# Promotion programmes (promotion_repository): terms as columns (dates are
# Asia/Shanghai, inclusive; product_lines a JSON list of text; benefit
# "discount" with discount_percent or "support" with support_amount_minor 分),
# status draft | published | closed; version counts saves.
promotion_programmes = sa.Table(
    "promotion_programmes",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("programme_id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("conditions", sa.Text, nullable=False),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("product_lines", sa.JSON, nullable=False),
    sa.Column("benefit", sa.String(20), nullable=False),
    sa.Column("discount_percent", sa.Integer, nullable=False),
    sa.Column("support_amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_promotion_programmes_status", "tenant_id", "status", "created_at"),
)

# A distributor's application for a programme (promotion_repository): for a
# registration (registration_id) or a period (period_starts_on/_ends_on, NULL
# for a registration's); amount asked in 分; status submitted | approved |
# rejected; approval_id the approval request deciding it ("" until submitted
# there); decision and decision_comment (the public comment only).
promotion_applications = sa.Table(
    "promotion_applications",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("application_id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("programme_name", sa.String(200), nullable=False),
    sa.Column("distributor_id", sa.String(64), nullable=False),
    sa.Column("applicant_id", sa.String(64), nullable=False),
    sa.Column("registration_id", sa.String(36), nullable=False),
    sa.Column("period_starts_on", sa.Date),
    sa.Column("period_ends_on", sa.Date),
    sa.Column("amount_asked_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("approval_id", sa.String(36), nullable=False),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("decision_comment", sa.Text, nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_promotion_applications_distributor", "tenant_id", "distributor_id", "created_at"),
    sa.Index("ix_promotion_applications_programme", "tenant_id", "programme_id", "distributor_id"),
    sa.Index("ix_promotion_applications_created", "tenant_id", "created_at"),
)
