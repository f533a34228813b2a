"""Routing rules, written by rule_set_repository: rule_versions, active_rules
and rule_audit.

`rule_versions` — every saved route list (kind "routes", body a JSON list of
  routes) or scoring formula (kind "formula", body {"formula": text}); versions
  count from 1 per tenant and kind and are never changed.
`active_rules` — the version of each kind a tenant routes with now.
`rule_audit` — who saved or activated which version, when.
"""

import sqlalchemy as sa

from lead_routing.adapters.orm.base import metadata

rule_versions = sa.Table(
    "rule_versions",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("comment", sa.String(500), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

active_rules = sa.Table(
    "active_rules",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("activated_by", sa.String(64), nullable=False),
    sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
)

rule_audit = sa.Table(
    "rule_audit",
    metadata,
    sa.Column("audit_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)
