"""Table definitions (the migrations create them; repositories query them)."""

import sqlalchemy as sa

metadata = sa.MetaData()

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("document_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("doc_type", sa.String(100), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # opportunity, customer, contract, ecn, knowledge (domain/access.py); opportunity_id is the one it belongs to.
    sa.Column("subject_type", sa.String(20), nullable=False, server_default="opportunity"),
    sa.Column("subject_id", sa.String(64), nullable=False, server_default=""),
)

# Content stored once per tenant and sha256, however many versions share it.
# The bytes are in the blob store (adapters/blob_store.py, `store` names it);
# `content` is NULL since migration 0003 moved it out, kept only for its downgrade.
blobs = sa.Table(
    "blobs",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=True),
    sa.Column("store", sa.String(20), nullable=False, server_default="filesystem"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
)

document_versions = sa.Table(
    "document_versions",
    metadata,
    sa.Column("version_id", sa.String(36), primary_key=True),
    sa.Column("document_id", sa.String(36), sa.ForeignKey("documents.document_id"), nullable=False),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("version_number", sa.Integer, nullable=False),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("content_type", sa.String(255), nullable=False),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("change_summary", sa.Text, nullable=False, server_default=""),
    sa.Column("parent_version_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("fields", sa.Text, nullable=True),  # domain.fields.fields_json
    sa.UniqueConstraint("document_id", "version_number", name="uq_document_versions_number"),
    sa.ForeignKeyConstraint(["tenant_id", "sha256"], ["blobs.tenant_id", "blobs.sha256"]),
)

# A tenant's document types (none stored: domain.document_type.DEFAULTS).
document_types = sa.Table(
    "document_types",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("code", sa.String(100), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("carries_fields", sa.Boolean, nullable=False),
    sa.Column("seeded", sa.Boolean, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
)

# Versions frozen for an opportunity; only ever inserted.
document_snapshots = sa.Table(
    "document_snapshots",
    metadata,
    sa.Column("snapshot_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("version_id", sa.String(36), sa.ForeignKey("document_versions.version_id"), nullable=False),
    sa.Column("document_id", sa.String(36), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("purpose", sa.String(40), nullable=False),
    sa.Column("version_number", sa.Integer, nullable=False),
    sa.Column("doc_type", sa.String(100), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant_id", "version_id", "opportunity_id", "purpose", name="uq_document_snapshots_once"),
)

# 0005: contracts, their reviewed and signed versions, engineering change notices.
contracts = sa.Table(
    "contracts",
    metadata,
    sa.Column("contract_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # 0008: 合同编号, "" when none was given; a number names one contract in the tenant.
    sa.Column("contract_number", sa.String(40), nullable=False, server_default=""),
    sa.Index(
        "uq_contracts_number",
        "tenant_id",
        "contract_number",
        unique=True,
        sqlite_where=sa.text("contract_number <> ''"),
        postgresql_where=sa.text("contract_number <> ''"),
    ),
)

contract_versions = sa.Table(
    "contract_versions",
    metadata,
    sa.Column("version_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("contract_id", sa.String(36), sa.ForeignKey("contracts.contract_id"), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("approval_id", sa.String(64), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("label", sa.String(20), nullable=False),
    sa.Column("signed_version_id", sa.String(36), nullable=False),
    sa.Column("signed_sha256", sa.String(64), nullable=False),
    sa.Column("signed_on", sa.Date),
    sa.Column("parties", sa.JSON, nullable=False),
    sa.Column("signed_via", sa.String(60), nullable=False),
    sa.Column("signed_by", sa.String(64), nullable=False),
    sa.Column("signed_at", sa.DateTime(timezone=True)),
    sa.Column("superseded_by_version_id", sa.String(36), nullable=False),
    sa.Column("superseded_at", sa.DateTime(timezone=True)),
    # The structured fields frozen at signing (domain/fields.py VersionFields as JSON).
    sa.Column("fields", sa.JSON),
    sa.Column("esign_provider", sa.String(40), nullable=False),
    sa.Column("esign_document_id", sa.String(200), nullable=False),
    # One version in force per contract, whatever races.
    sa.Index(
        "uq_contract_versions_in_force",
        "tenant_id",
        "contract_id",
        unique=True,
        sqlite_where=sa.text("state = 'signed'"),
        postgresql_where=sa.text("state = 'signed'"),
    ),
)

ecns = sa.Table(
    "ecns",
    metadata,
    sa.Column("ecn_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("number", sa.String(50), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("change", sa.Text, nullable=False),
    sa.Column("effective_date", sa.Date, nullable=False),
    sa.Column("affected_models", sa.JSON, nullable=False),
    sa.Column("document_id", sa.String(36), nullable=False),
    sa.Column("version_id", sa.String(36), nullable=False),
    sa.Column("published_by", sa.String(64), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    # The orders found when it was published (domain/ecn.py AffectedOrder as JSON).
    sa.Column("orders", sa.JSON, nullable=False),
    sa.UniqueConstraint("tenant_id", "number", name="uq_ecns_tenant_number"),
)

# 0006: which versions' equipment lists name a model (domain/ecn.py model_key), with the
# opportunity the version's document is filed under: what an ECN's candidates are found by.
equipment_models = sa.Table(
    "equipment_models",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("model_key", sa.Text, primary_key=True),
    sa.Column("version_id", sa.String(36), primary_key=True),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Index("ix_equipment_models_model", "tenant_id", "model_key", "opportunity_id"),
)

# 0007: contracts' delivery and acceptance as the opportunity last recorded them
# (opportunity.delivery_recorded, domain/delivery.py): what an ECN tells delivered orders by.
contract_deliveries = sa.Table(
    "contract_deliveries",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("contract_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("happened_on", sa.Date, nullable=False),
    sa.Column("delivery_id", sa.String(64), nullable=False),
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)

# Text extracted from a blob, once per tenant and sha256 (adapters/text_repository.py);
# extracted again when the extractor's version changes.
document_texts = sa.Table(
    "document_texts",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("extractor_version", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("pages", sa.Integer, nullable=False),
    sa.Column("scanned", sa.Boolean, nullable=False),
    sa.Column("truncated", sa.Boolean, nullable=False),
    sa.Column("note", sa.String(500), nullable=False),
    sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=False),
)

# Knowledge-base entries (a document on subject "knowledge"), their tags and
# their inverted index of jieba words (adapters/knowledge_repository.py).
knowledge_entries = sa.Table(
    "knowledge_entries",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("document_id", sa.String(36), primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("doc_type", sa.String(100), nullable=False),
    sa.Column("version_id", sa.String(36), nullable=False),
    sa.Column("version_number", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("tagged_by", sa.String(64), nullable=False),
    sa.Column("tagged_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("scanned", sa.Boolean, nullable=False),
    sa.Column("length", sa.Integer, nullable=False),
)

knowledge_tags = sa.Table(
    "knowledge_tags",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("document_id", sa.String(36), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("value", sa.String(50), primary_key=True),
)

knowledge_terms = sa.Table(
    "knowledge_terms",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("document_id", sa.String(36), primary_key=True),
    sa.Column("term", sa.String(30), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)
