"""The opportunities columns migration 0003 adds (pipelines, gates, close,
timers), kept here so orm.py's table takes them in one line."""

import sqlalchemy as sa


def opportunity_pipeline_columns() -> list[sa.Column]:
    return [
        sa.Column("pipeline_id", sa.String(36)),
        sa.Column("probability", sa.Integer),
        sa.Column("forecast_category", sa.String(20), nullable=False, server_default=""),
        sa.Column("status", sa.String(10), nullable=False, server_default="open"),
        sa.Column("expected_close_date", sa.Date),
        sa.Column("contract_end_date", sa.Date),
        sa.Column("product_line", sa.String(200), nullable=False, server_default=""),
        sa.Column("decision_maker", sa.String(200), nullable=False, server_default=""),
        sa.Column("flags", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("close_reason", sa.Text, nullable=False, server_default=""),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("stage_entered_at", sa.DateTime(timezone=True)),
        sa.Column("first_touch_due_at", sa.DateTime(timezone=True)),
    ]
