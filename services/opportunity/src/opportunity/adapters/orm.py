"""Table definitions of every aggregate (the migrations create them; each
table is written by its aggregate's repository only)."""

import sqlalchemy as sa

metadata = sa.MetaData()

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

# Rep profiles as lead-routing last announced them (rep.profile_changed).
reps = sa.Table(
    "reps",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("team", sa.String(100), nullable=False),
    sa.Column("manager_id", sa.String(64), nullable=False),
    sa.Column("region", sa.String(100), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
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

# Visit photos, kept in this database (bytes + sha256); activities point at them.
photos = sa.Table(
    "photos",
    metadata,
    sa.Column("photo_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content_type", sa.String(100), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("taken_at", sa.DateTime(timezone=True)),
    sa.Column("uploaded_by", sa.String(64), nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
)

# Append-only, hash-chained per customer: (customer_id, seq) is unique, so
# two concurrent appends cannot both take the same place in the chain.
activities = sa.Table(
    "activities",
    metadata,
    sa.Column("activity_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("opportunity_id", sa.String(36)),
    sa.Column("lead_id", sa.String(36)),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    # A correction, a completion of a draft, or a submission refers to an earlier entry.
    sa.Column("refers_to", sa.String(36)),
    sa.Column("relation", sa.String(20), nullable=False),
    sa.Column("check_in_latitude", sa.Float),
    sa.Column("check_in_longitude", sa.Float),
    sa.Column("checked_in_at", sa.DateTime(timezone=True)),
    sa.Column("photo_id", sa.String(36)),
    sa.Column("photo_sha256", sa.String(64), nullable=False),
    sa.Column("needs", sa.Text, nullable=False),
    sa.Column("competitors", sa.Text, nullable=False),
    sa.Column("next_follow_up_at", sa.DateTime(timezone=True)),
    sa.Column("violations", sa.JSON, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.UniqueConstraint("customer_id", "seq", name="uq_activities_customer_seq"),
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

opportunities = sa.Table(
    "opportunities",
    metadata,
    sa.Column("opportunity_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("stage", sa.String(50), nullable=False),
    sa.Column("amount_minor", sa.BigInteger),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("lead_id", sa.String(36)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # 0003: pipeline placement, gate fields, close, timers.
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
    # 0008: the distributor whose approved registration brought the deal ("" = none).
    sa.Column("partner_org_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("registration_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("partner_name", sa.String(200), nullable=False, server_default=""),
    sa.UniqueConstraint("tenant_id", "lead_id", name="uq_opportunities_tenant_lead"),
)

approval_decisions = sa.Table(
    "approval_decisions",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("approval_id", sa.String(36), primary_key=True),
    sa.Column("opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("decided_by", sa.String(64), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    # 0005: the approval's kind (quote, contract ...); decisions recorded before were quotes.
    sa.Column("kind", sa.String(40), nullable=False, server_default=""),
)

# 0003: pipelines, stage history and tasks.
pipelines = sa.Table(
    "pipelines",
    metadata,
    sa.Column("pipeline_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("product_line", sa.String(200), nullable=False),
    # Ordered stages with probability, forecast category and gate, as data.
    sa.Column("stages", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant_id", "name", name="uq_pipelines_tenant_name"),
)

stage_stays = sa.Table(
    "stage_stays",
    metadata,
    sa.Column("stay_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False),
    sa.Column("pipeline_id", sa.String(36), nullable=False),
    sa.Column("stage", sa.String(50), nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("entered_by", sa.String(64), nullable=False),
    sa.Column("entered_via", sa.String(20), nullable=False),
    sa.Column("left_at", sa.DateTime(timezone=True)),
    sa.Column("left_via", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36)),
    sa.Column("opportunity_id", sa.String(36)),
    sa.Column("rule", sa.String(50), nullable=False),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("completed_at", sa.DateTime(timezone=True)),
    sa.Column("completed_by", sa.String(64)),
    # The occasion that made the task: a timer rerun finds it taken.
    sa.Column("key", sa.String(300), nullable=False),
    # 0004: an ECN's confirmation task (the notice, the order's contract, the customer's answer, the escalation).
    sa.Column("ecn_id", sa.String(36)),
    sa.Column("contract_id", sa.String(36)),
    sa.Column("answer", sa.String(20)),
    sa.Column("answer_note", sa.String(500)),
    sa.Column("escalated_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("tenant_id", "key", name="uq_tasks_tenant_key"),
)

# 0006: finance's receipts as counted towards a customer's purchase total
# (domain/receipt.py), one row per receipt.
counted_receipts = sa.Table(
    "counted_receipts",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("receipt_id", sa.String(64), primary_key=True),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36)),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("counted", sa.Boolean, nullable=False),
    sa.Column("reversed", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# 0007: deliveries and acceptances sales recorded (domain/delivery.py).
deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("delivery_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False),
    sa.Column("contract_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("happened_on", sa.Date, nullable=False),
    sa.Column("note", sa.String(500), nullable=False),
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_deliveries_tenant_opportunity", "tenant_id", "opportunity_id"),
)

# --- 0009: conversations and tags (conversation_sources, activity_analyses, tagging_settings) ---

# Where an imported activity came from: (tenant, source, source id) names one message or call, so the same
# export imported twice adds nothing (adapters/conversation_repository.py).
conversation_sources = sa.Table(
    "conversation_sources",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("source", sa.String(20), primary_key=True),
    sa.Column("source_id", sa.String(200), primary_key=True),
    sa.Column("activity_id", sa.String(36), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("imported_by", sa.String(64), nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
)

# A call transcript's whole text (the activity's summary holds its extractive summary and the sha256).
conversation_texts = sa.Table(
    "conversation_texts",
    metadata,
    sa.Column("activity_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
)

# A contact's 企业微信 external id (not a Contact field: its versions are data).
contact_channels = sa.Table(
    "contact_channels",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("channel", sa.String(20), primary_key=True),
    sa.Column("external_id", sa.String(200), primary_key=True),
    sa.Column("contact_id", sa.String(36), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_contact_channels_contact", "tenant_id", "contact_id"),
)

# One analysis per activity (tags with their words, summary, keywords), written by the analysis repository only.
activity_analyses = sa.Table(
    "activity_analyses",
    metadata,
    sa.Column("activity_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("opportunity_id", sa.String(36)),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("action", sa.String(100), nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("keywords", sa.JSON, nullable=False),
    sa.Column("text_sha256", sa.String(64), nullable=False),
    sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_activity_analyses_customer", "tenant_id", "customer_id", "occurred_at"),
    sa.Index("ix_activity_analyses_opportunity", "tenant_id", "opportunity_id", "occurred_at"),
)

# The tenant's keyword groups, dictionary and required tags, one versioned row per tenant.
tagging_settings = sa.Table(
    "tagging_settings",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# --- 0010: stage hints (stage_hints, stage_hint_settings) ---

# A stage a tagged activity suggests for its opportunity (domain/stage_hint.py);
# one per activity and stage, so a redelivered activity.tagged adds nothing.
stage_hints = sa.Table(
    "stage_hints",
    metadata,
    sa.Column("hint_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("activity_id", sa.String(36), nullable=False),
    sa.Column("tag", sa.String(50), nullable=False),
    sa.Column("suggested_stage", sa.String(50), nullable=False),
    sa.Column("words", sa.JSON, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("unmet", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("decided_by", sa.String(64), nullable=False),
    # Made under auto_move: the system's gated move is still to be tried.
    sa.Column("auto_pending", sa.Boolean, nullable=False),
    sa.UniqueConstraint("tenant_id", "activity_id", "suggested_stage", name="uq_stage_hints_activity_stage"),
    sa.Index("ix_stage_hints_tenant_opportunity", "tenant_id", "opportunity_id"),
    sa.Index("ix_stage_hints_auto_pending", "auto_pending", "created_at"),
)

# The tenant's tag → stage rules and auto_move, one versioned row per tenant.
stage_hint_settings = sa.Table(
    "stage_hint_settings",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# --- 0011: intent signals (intent_settings, intent_hits, high_intents) ---

# A signal an activity gave (domain/intent.py); one row per activity and signal, so a redelivered
# activity.tagged adds nothing.
intent_hits = sa.Table(
    "intent_hits",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("activity_id", sa.String(36), primary_key=True),
    sa.Column("signal", sa.String(50), primary_key=True),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("opportunity_id", sa.String(36), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_intent_hits_tenant_customer_at", "tenant_id", "customer_id", "occurred_at"),
)

# A high-intent episode of a customer and its open opportunity ("" when none), with the tool pack
# sent and the proposal countdown (state running|met|overdue); one per customer and opportunity.
high_intents = sa.Table(
    "high_intents",
    metadata,
    sa.Column("intent_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("opportunity_id", sa.String(36), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("signals", sa.JSON, nullable=False),
    sa.Column("tool_pack", sa.JSON, nullable=False),
    sa.Column("proposal_due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("proposal_state", sa.String(10), nullable=False),
    sa.Column("proposal_at", sa.DateTime(timezone=True)),
    sa.Column("reminded_at", sa.DateTime(timezone=True)),
    # 0014: when the rep was sent the tool pack; NULL: the tool-pack sweep's to send.
    sa.Column("notified_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("tenant_id", "customer_id", "opportunity_id", name="uq_high_intents_customer_opportunity"),
    sa.Index("ix_high_intents_state_due", "proposal_state", "proposal_due_at"),
    sa.Index(
        "ix_high_intents_unnotified",
        "entered_at",
        postgresql_where=sa.text("notified_at IS NULL"),
        sqlite_where=sa.text("notified_at IS NULL"),
    ),
)

# The tenant's signals, high-intent rule and countdown, one versioned row per tenant.
intent_settings = sa.Table(
    "intent_settings",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# --- 0012: anomaly flags (anomaly_settings, anomaly_flags) ---

# A flag the anomaly scan raised (domain/anomalies.py); (tenant, key) names its
# occasion, so a rerun adds nothing. Dismissal is kept (by, at, reason).
anomaly_flags = sa.Table(
    "anomaly_flags",
    metadata,
    sa.Column("flag_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("rep_id", sa.String(64), nullable=False),
    sa.Column("subject_type", sa.String(20), nullable=False),
    sa.Column("subject_id", sa.String(64), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("dismissed_by", sa.String(64), nullable=False),
    sa.Column("dismissed_at", sa.DateTime(timezone=True)),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.UniqueConstraint("tenant_id", "key", name="uq_anomaly_flags_tenant_key"),
    sa.Index("ix_anomaly_flags_tenant_raised", "tenant_id", "raised_at"),
)

# The tenant's anomaly thresholds, one versioned row per tenant.
anomaly_settings = sa.Table(
    "anomaly_settings",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
