"""Registration protection, written by protection_repository:
protection_terms and registration_extensions.
"""

import sqlalchemy as sa

from lead_routing.adapters.orm.base import metadata

# A tenant's protection terms (domain.protection.ProtectionTerms), written by
# protection_repository: days an approved registration protects its customer,
# the most days one extension may ask; no row = the defaults (90, 30).
protection_terms = sa.Table(
    "protection_terms",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("protection_days", sa.Integer, nullable=False),
    sa.Column("max_extension_days", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# A partner's requests to extend a registration's protection
# (domain.protection.Extension), written by protection_repository: status
# submitting (approval not asked yet) | pending | approved | rejected.
registration_extensions = sa.Table(
    "registration_extensions",
    metadata,
    sa.Column("extension_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("registration_id", sa.String(36), nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("requested_by", sa.String(64), nullable=False),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("approval_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("decision_comment", sa.String(2000), nullable=False, server_default=""),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Index("ix_registration_extensions_registration", "tenant_id", "registration_id"),
    sa.Index("ix_registration_extensions_approval", "tenant_id", "approval_id"),
    sa.Index("ix_registration_extensions_status", "status", "requested_at"),
)
