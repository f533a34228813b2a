"""The customer master and what is kept on it: customers and their follow-up
moves (customer_repository), contacts and their versions (contact_repository),
notes and their versions (note_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata

customers = sa.Table(
    "customers",
    metadata,
    sa.Column("customer_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(18)),
    sa.Column("phone", sa.String(32)),
    sa.Column("province", sa.String(50), nullable=False),
    sa.Column("city", sa.String(50), nullable=False),
    sa.Column("district", sa.String(50), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # 0002: the customer master.
    sa.Column("address", sa.String(300), nullable=False, server_default=""),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("industry", sa.String(100), nullable=False, server_default=""),
    sa.Column("size_tier", sa.String(50), nullable=False, server_default=""),
    sa.Column("cooperation_stage", sa.String(50), nullable=False, server_default=""),
    sa.Column("value_tier", sa.String(10), nullable=False, server_default="普通"),
    sa.Column("tags", sa.JSON, nullable=False, server_default="[]"),
    # Dynamic attributes: written only from activities and events.
    sa.Column("last_interaction_at", sa.DateTime(timezone=True)),
    sa.Column("purchase_total_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("service_request_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_follow_up_at", sa.DateTime(timezone=True)),
    sa.Column("follow_up_moves", sa.Integer, nullable=False, server_default="0"),
    # Sequence number of the last activity in this customer's hash chain.
    sa.Column("activity_seq", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("tenant_id", "credit_code", name="uq_customers_tenant_credit_code"),
)

# Every move of a customer's planned follow-up (more than 3 is flagged).
follow_up_moves = sa.Table(
    "follow_up_moves",
    metadata,
    sa.Column("move_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
    sa.Column("from_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("to_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("moved_by", sa.String(64), nullable=False),
    sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
)


def _contact_details() -> list[sa.Column]:
    """What a contact says of a person: the current row and every version carry it."""
    return [
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("purchase_role", sa.String(20), nullable=False),
        sa.Column("influence", sa.Integer, nullable=False),
        sa.Column("personality", sa.String(500), nullable=False),
    ]


contacts = sa.Table(
    "contacts",
    metadata,
    sa.Column("contact_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
    *_contact_details(),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# Every version of every contact, the first included; never updated.
contact_versions = sa.Table(
    "contact_versions",
    metadata,
    sa.Column("contact_id", sa.String(36), sa.ForeignKey("contacts.contact_id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    *_contact_details(),
    sa.Column("changed_by", sa.String(64), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)

notes = sa.Table(
    "notes",
    metadata,
    sa.Column("note_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
    sa.Column("author_id", sa.String(64), nullable=False),
    # The rep the note is kept for: its author (a note does not move with the customer).
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

note_versions = sa.Table(
    "note_versions",
    metadata,
    sa.Column("note_id", sa.String(36), sa.ForeignKey("notes.note_id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("edited_by", sa.String(64), nullable=False),
    sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
)
