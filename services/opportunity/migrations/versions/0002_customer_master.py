"""customer master: contacts and decision chain with history, private notes, activities (hash-chained), follow-ups, rep directory

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)

CUSTOMER_COLUMNS = (
    sa.Column("address", sa.String(300), nullable=False, server_default=""),
    sa.Column("latitude", sa.Float, nullable=True),
    sa.Column("longitude", sa.Float, nullable=True),
    sa.Column("industry", sa.String(100), nullable=False, server_default=""),
    sa.Column("size_tier", sa.String(50), nullable=False, server_default=""),
    sa.Column("cooperation_stage", sa.String(50), nullable=False, server_default=""),
    sa.Column("value_tier", sa.String(10), nullable=False, server_default="普通"),
    sa.Column("tags", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("last_interaction_at", TS, nullable=True),
    sa.Column("purchase_total_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("service_request_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_follow_up_at", TS, nullable=True),
    sa.Column("follow_up_moves", sa.Integer, nullable=False, server_default="0"),
    sa.Column("activity_seq", sa.Integer, nullable=False, server_default="0"),
)


def upgrade() -> None:
    for column in CUSTOMER_COLUMNS:
        op.add_column("customers", column)
    op.create_index("ix_customers_tenant_owner", "customers", ["tenant_id", "owner_id", "created_at"])
    op.create_index("ix_customers_tenant_created", "customers", ["tenant_id", "created_at", "customer_id"])

    op.create_table(
        "reps",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("rep_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("team", sa.String(100), nullable=False),
        sa.Column("manager_id", sa.String(64), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_reps_tenant_manager", "reps", ["tenant_id", "manager_id"])

    contact_fields = lambda: (  # noqa: E731 - the same columns in both tables
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("purchase_role", sa.String(20), nullable=False),
        sa.Column("influence", sa.Integer, nullable=False),
        sa.Column("personality", sa.String(500), nullable=False),
    )
    op.create_table(
        "contacts",
        sa.Column("contact_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
        *contact_fields(),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_contacts_customer", "contacts", ["customer_id", "created_at"])
    op.create_table(
        "contact_versions",
        sa.Column("contact_id", sa.String(36), sa.ForeignKey("contacts.contact_id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        *contact_fields(),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.Column("changed_at", TS, nullable=False),
    )

    op.create_table(
        "notes",
        sa.Column("note_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
        sa.Column("author_id", sa.String(64), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_notes_customer", "notes", ["customer_id", "created_at"])
    op.create_table(
        "note_versions",
        sa.Column("note_id", sa.String(36), sa.ForeignKey("notes.note_id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("edited_by", sa.String(64), nullable=False),
        sa.Column("edited_at", TS, nullable=False),
    )

    op.create_table(
        "photos",
        sa.Column("photo_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("taken_at", TS, nullable=True),
        sa.Column("uploaded_by", sa.String(64), nullable=False),
        sa.Column("uploaded_at", TS, nullable=False),
    )

    op.create_table(
        "activities",
        sa.Column("activity_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("opportunity_id", sa.String(36), nullable=True),
        sa.Column("lead_id", sa.String(36), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("refers_to", sa.String(36), nullable=True),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("check_in_latitude", sa.Float, nullable=True),
        sa.Column("check_in_longitude", sa.Float, nullable=True),
        sa.Column("checked_in_at", TS, nullable=True),
        sa.Column("photo_id", sa.String(36), nullable=True),
        sa.Column("photo_sha256", sa.String(64), nullable=False),
        sa.Column("needs", sa.Text, nullable=False),
        sa.Column("competitors", sa.Text, nullable=False),
        sa.Column("next_follow_up_at", TS, nullable=True),
        sa.Column("violations", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        # Two concurrent appends can never take the same place in a chain.
        sa.UniqueConstraint("customer_id", "seq", name="uq_activities_customer_seq"),
    )
    op.create_index("ix_activities_tenant_occurred", "activities", ["tenant_id", "occurred_at"])
    op.create_index("ix_activities_opportunity", "activities", ["opportunity_id"])

    op.create_table(
        "follow_up_moves",
        sa.Column("move_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
        sa.Column("from_at", TS, nullable=False),
        sa.Column("to_at", TS, nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("moved_by", sa.String(64), nullable=False),
        sa.Column("moved_at", TS, nullable=False),
    )
    op.create_index("ix_follow_up_moves_customer", "follow_up_moves", ["customer_id", "moved_at"])


def downgrade() -> None:
    for table in (
        "follow_up_moves", "activities", "photos", "note_versions", "notes", "contact_versions", "contacts", "reps"
    ):
        op.drop_table(table)
    op.drop_index("ix_customers_tenant_created", "customers")
    op.drop_index("ix_customers_tenant_owner", "customers")
    with op.batch_alter_table("customers") as batch:
        for column in reversed(CUSTOMER_COLUMNS):
            batch.drop_column(column.name)
