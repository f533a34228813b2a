"""Projections of other services' facts: opportunities, rep profiles, converted leads' sources."""

import sqlalchemy as sa

from finance_reconciliation.adapters.orm.base import metadata

# Projection of the tenant's opportunities, from opportunity.created and opportunity.closed.
opportunities = sa.Table(
    "opportunities",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("opportunity_id", sa.String(36), primary_key=True),
    sa.Column("customer_name", sa.String(200), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("amount_minor", sa.BigInteger),
    sa.Column("currency", sa.String(3), nullable=False),
    # From opportunity.created (lead_id) and opportunity.closed (province, product line); "" when not told.
    sa.Column("lead_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("province", sa.String(50), nullable=False, server_default=""),
    sa.Column("product_line", sa.String(100), nullable=False, server_default=""),
    # The province's 大区 (crm_shared.regions), from opportunity.closed; "" when not told.
    sa.Column("region", sa.String(8), nullable=False, server_default=""),
    # 0012: the distributor whose registered deal it is (opportunity.created's partner_org_id); "" for none.
    sa.Column("partner_org_id", sa.String(64), nullable=False, server_default=""),
    sa.Index("ix_opportunities_partner", "tenant_id", "partner_org_id"),
)

# Rep profiles as lead-routing last announced them (rep.profile_changed): whose manager is who.
finance_rep_profiles = sa.Table(
    "finance_rep_profiles",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("team", sa.String(200), nullable=False),
    sa.Column("manager_id", sa.String(64), nullable=False),
    sa.Column("region", sa.String(200), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_finance_rep_profiles_manager", "tenant_id", "manager_id"),
)

# The lead each converted lead's opportunity came from, and its source (from lead.converted).
lead_sources = sa.Table(
    "lead_sources",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("source", sa.String(100), nullable=False),
)
