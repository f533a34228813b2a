"""approval kinds on gates

A stage gate asks for an approval of a given kind (issue 11). Gates are stored
as JSON inside pipelines.stages; a gate that said only requires_approval asked
for "any approved latest request", which were all quotes before kinds existed
(approval's migration 0002 keeps old requests as kind "quote"), so it now asks
for a quote approval. Decisions recorded from approval.decided keep the
approval's kind too (those recorded before were quotes).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LEGACY_KIND = "quote"  # frozen here: a migration does not follow later code

pipelines = sa.table("pipelines", sa.column("pipeline_id", sa.String), sa.column("stages", sa.JSON))


def _rewrite(gate_of: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.select(pipelines.c.pipeline_id, pipelines.c.stages)).all():
        stages = [dict(s, gate=gate_of(dict(s.get("gate") or {}))) for s in row.stages]
        if stages != row.stages:
            bind.execute(pipelines.update().where(pipelines.c.pipeline_id == row.pipeline_id).values(stages=stages))


def _to_kinds(gate: dict[str, Any]) -> dict[str, Any]:
    required = gate.pop("requires_approval", False)
    gate.setdefault("approval_kinds", [LEGACY_KIND] if required else [])
    return gate


def _to_flag(gate: dict[str, Any]) -> dict[str, Any]:
    gate["requires_approval"] = bool(gate.pop("approval_kinds", []))
    return gate


def upgrade() -> None:
    _rewrite(_to_kinds)
    with op.batch_alter_table("approval_decisions") as batch:
        batch.add_column(sa.Column("kind", sa.String(40), nullable=False, server_default=""))
    op.execute(sa.text("UPDATE approval_decisions SET kind = :kind").bindparams(kind=LEGACY_KIND))


def downgrade() -> None:
    with op.batch_alter_table("approval_decisions") as batch:
        batch.drop_column("kind")
    _rewrite(_to_flag)
