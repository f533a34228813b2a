"""Distributor organisations of the partner portal, written by
distributor_repository: distributors and distributor_users.
"""

import sqlalchemy as sa

from lead_routing.adapters.orm.base import metadata

# Distributor organisations of the partner portal (distributor_repository):
# territory is a JSON object {provinces, cities, industries, accounts} of lists
# of text; contract_starts/contract_ends Asia/Shanghai dates (NULL: open);
# version counts saves (an update names the one it read). `distributor_users`
# holds each partner user of a distributor, one row per user and tenant: a user
# belongs to one distributor, the key says so even under concurrent saves.
distributors = sa.Table(
    "distributors",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("distributor_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("credit_code", sa.String(18), nullable=False, server_default=""),
    sa.Column("territory", sa.JSON, nullable=False),
    sa.Column("tier", sa.String(20), nullable=False),
    sa.Column("contract_starts", sa.Date),
    sa.Column("contract_ends", sa.Date),
    sa.Column("channel_manager_id", sa.String(64), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

distributor_users = sa.Table(
    "distributor_users",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("distributor_id", sa.String(64), nullable=False),
    sa.Index("ix_distributor_users_distributor", "tenant_id", "distributor_id"),
)
