"""Who owns a lead and since when, written by assignment_repository:
assignments, cooldowns and owner_changes.

`assignments` — every assignment of a lead to a rep with its explanation
  (JSON) and first-touch deadline; ended_at/end_reason ("released",
  "reclaimed", "converted", "reassigned") once it is over. A lead has at most
  one assignment with ended_at NULL.
`cooldowns` — a rep may not claim or be given a lead again before `until`.
`owner_changes` — every change of a lead's owner: change ("claim", "manager",
  "auto", "reroute", "release", "reclaim", "intake", "convert"), who, the
  owners before and after (NULL = the pool), the assignment it made (if any),
  the reason (release, reclaim) and details {score, rank, candidates, summary}.
  The explanation of a lead is its latest row.
"""

import sqlalchemy as sa

from lead_routing.adapters.orm.base import metadata

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
