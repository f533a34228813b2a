"""The pool (公海) as last re-ranked, written by pool_repository: lead_routes,
pool_scores, pool_pushes and rerank_requests.

`lead_routes` — the route each open lead took at the last re-rank.
`pool_scores` — the best candidates per open lead at the last re-rank
  (position 0 = best), replaced per re-rank of that lead.
`pool_pushes` — (lead, rep) pairs already told about a high match: once only.
"""

import sqlalchemy as sa

from lead_routing.adapters.orm.base import metadata

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
