"""Tables of routing (rules, the scored pool, assignments, SLAs), on orm.py's metadata.

`rule_versions` — every saved route list (kind "routes", body a JSON list of
  routes) or scoring formula (kind "formula", body {"formula": text}); versions
  count from 1 per tenant and kind and are never changed.
`active_rules` — the version of each kind a tenant routes with now.
`rule_audit` — who saved or activated which version, when.
`lead_routes` — the route each open lead took at the last re-rank.
`pool_scores` — the best candidates per open lead at the last re-rank
  (position 0 = best), replaced per re-rank of that lead.
`pool_pushes` — (lead, rep) pairs already told about a high match: once only.
`assignments` — every assignment of a lead to a rep with its explanation
  (JSON) and first-touch deadline; ended_at/end_reason ("released",
  "reclaimed", "converted", "reassigned") once it is over. A lead has at most
  one assignment with ended_at NULL.
`cooldowns` — a rep may not claim or be given a lead again before `until`.
`rep_wins` — customers a rep won (from opportunity.closed), with location.
`owner_changes` — every change of a lead's owner: change ("claim", "manager",
  "auto", "reroute", "release", "reclaim", "intake", "convert"), who, the
  owners before and after (NULL = the pool), the assignment it made (if any),
  the reason (release, reclaim) and details {score, rank, candidates, summary}.
  The explanation of a lead is its latest row.
"""

import sqlalchemy as sa

from lead_routing.adapters.orm import metadata

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

lead_routes = sa.Table(
    "lead_routes",
    metadata,
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("route_id", sa.String(64), nullable=False),
    sa.Column("route_name", sa.String(100), nullable=False),
    sa.Column("to_pool", sa.Boolean, nullable=False),
    sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=False),
)

pool_scores = sa.Table(
    "pool_scores",
    metadata,
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
)

pool_pushes = sa.Table(
    "pool_pushes",
    metadata,
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=False),
)

assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("assignment_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("lead_id", sa.String(36), nullable=False),
    sa.Column("rep_id", sa.String(64), nullable=False),
    sa.Column("mode", sa.String(10), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("route_id", sa.String(64), nullable=False),
    sa.Column("route_name", sa.String(100), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("explanation", sa.JSON, nullable=False),
    sa.Column("cooldown_hours", sa.Float, nullable=False),
    sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("first_touch_due", sa.DateTime(timezone=True), nullable=False),
    sa.Column("first_touched_at", sa.DateTime(timezone=True)),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
    sa.Column("end_reason", sa.String(20)),
)

cooldowns = sa.Table(
    "cooldowns",
    metadata,
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("until", sa.DateTime(timezone=True), nullable=False),
)

rep_wins = sa.Table(
    "rep_wins",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("opportunity_id", sa.String(36), primary_key=True),
    sa.Column("rep_id", sa.String(64), nullable=False),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("city", sa.String(50), nullable=False),
    sa.Column("district", sa.String(50), nullable=False),
    sa.Column("won_at", sa.DateTime(timezone=True), nullable=False),
)

# A whole-tenant re-rank asked for (a rule activated, a rep profile changed) and
# not yet done; the request id changes with every new ask, so a re-rank that
# started before it does not clear it.
rerank_requests = sa.Table(
    "rerank_requests",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("request_id", sa.String(36), nullable=False),
    sa.Column("reason", sa.String(50), nullable=False),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
)

owner_changes = sa.Table(
    "owner_changes",
    metadata,
    sa.Column("change_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("lead_id", sa.String(36), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("change", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("previous_owner_id", sa.String(64)),
    sa.Column("owner_id", sa.String(64)),
    sa.Column("assignment_id", sa.String(36)),
    sa.Column("reason", sa.String(500), nullable=False, server_default=""),
    sa.Column("details", sa.JSON, nullable=False),
    sa.Index("ix_owner_changes_lead", "tenant_id", "lead_id", "at"),
)
