"""Deal registrations (报备), written by registration_repository:
registrations, registration_clashes and registration_terms.
"""

import sqlalchemy as sa

from lead_routing.adapters.orm.base import metadata

# Deal registrations (报备) of distributors, written by registration_repository:
# the end customer and the expected deal (expected_amount integer 分), status
# (domain.registration.STATUSES) and the outcome the partner was told, the
# conflicts found on submit (JSON list of {kind, matched_by, object_id,
# detail}; the manufacturer's view only), the approval, the public decision
# comment, and the protection window once approved. version: optimistic lock.
registrations = sa.Table(
    "registrations",
    metadata,
    sa.Column("registration_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("distributor_id", sa.String(64), nullable=False),
    sa.Column("registered_by", sa.String(64), nullable=False),
    sa.Column("company_name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(18), nullable=False),
    sa.Column("phone", sa.String(32), nullable=False),
    sa.Column("province", sa.String(50), nullable=False),
    sa.Column("city", sa.String(50), nullable=False),
    sa.Column("district", sa.String(50), nullable=False),
    sa.Column("industry", sa.String(100), nullable=False),
    sa.Column("contact_name", sa.String(100), nullable=False),
    sa.Column("contact_phone", sa.String(32), nullable=False),
    sa.Column("product_line", sa.String(100), nullable=False),
    sa.Column("models", sa.JSON, nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("expected_amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("expected_close_date", sa.Date),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("conflicts", sa.JSON, nullable=False),
    sa.Column("approval_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("decision", sa.String(20), nullable=False, server_default=""),
    sa.Column("decision_comment", sa.String(1000), nullable=False, server_default=""),
    sa.Column("lead_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("protected_from", sa.DateTime(timezone=True)),
    sa.Column("protected_until", sa.DateTime(timezone=True)),
    sa.Column("extension_approval_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("extensions", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reminders_sent", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    # The conflict check reads a tenant's registrations by credit code, phone and city.
    sa.Index("ix_registrations_code", "tenant_id", "credit_code"),
    sa.Index("ix_registrations_phone", "tenant_id", "phone"),
    sa.Index("ix_registrations_city", "tenant_id", "city"),
    sa.Index("ix_registrations_distributor", "tenant_id", "distributor_id", "created_at"),
    sa.Index("ix_registrations_status", "tenant_id", "status"),
)

# 撞单: two distributors' registrations of one customer inside the check window,
# for the channel manager (domain.registration.Clash); status open | decided.
registration_clashes = sa.Table(
    "registration_clashes",
    metadata,
    sa.Column("clash_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("first_registration_id", sa.String(36), nullable=False),
    sa.Column("second_registration_id", sa.String(36), nullable=False),
    sa.Column("first_distributor_id", sa.String(64), nullable=False),
    sa.Column("second_distributor_id", sa.String(64), nullable=False),
    sa.Column("matched_by", sa.String(20), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("winner_registration_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("decided_by", sa.String(64), nullable=False, server_default=""),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("comment", sa.String(1000), nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_registration_clashes_status", "tenant_id", "status", "created_at"),
)

# A tenant's terms of registration (domain.registration.RegistrationTerms): the
# check window in days; no row: the default.
registration_terms = sa.Table(
    "registration_terms",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("check_window_days", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
