"""Table definitions (the migrations create them; repositories query them)."""

import sqlalchemy as sa

metadata = sa.MetaData()

# Projection of the tenant's opportunities, from opportunity.created and opportunity.closed.
opportunities = sa.Table(
    "opportunities",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("opportunity_id", sa.String(36), primary_key=True),
    sa.Column("customer_name", sa.String(200), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("amount_minor", sa.BigInteger),
    sa.Column("currency", sa.String(3), nullable=False),
    # From opportunity.created (lead_id) and opportunity.closed (province, product line); "" when not told.
    sa.Column("lead_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("province", sa.String(50), nullable=False, server_default=""),
    sa.Column("product_line", sa.String(100), nullable=False, server_default=""),
    # The province's 大区 (crm_shared.regions), from opportunity.closed; "" when not told.
    sa.Column("region", sa.String(8), nullable=False, server_default=""),
    # 0012: the distributor whose registered deal it is (opportunity.created's partner_org_id); "" for none.
    sa.Column("partner_org_id", sa.String(64), nullable=False, server_default=""),
    sa.Index("ix_opportunities_partner", "tenant_id", "partner_org_id"),
)

# Rep profiles as lead-routing last announced them (rep.profile_changed): whose manager is who.
finance_rep_profiles = sa.Table(
    "finance_rep_profiles",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("team", sa.String(200), nullable=False),
    sa.Column("manager_id", sa.String(64), nullable=False),
    sa.Column("region", sa.String(200), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_finance_rep_profiles_manager", "tenant_id", "manager_id"),
)

# --- plans, receipts and the ledger (F1); F3 and F4 read these, only F1's repositories write them ---

# The lead each converted lead's opportunity came from, and its source (from lead.converted).
lead_sources = sa.Table(
    "lead_sources",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("source", sa.String(100), nullable=False),
)

# Projection of each signed contract version (contract.signed / contract.superseded).
finance_contracts = sa.Table(
    "finance_contracts",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("version_id", sa.String(64), primary_key=True),
    sa.Column("contract_id", sa.String(64), nullable=False),
    sa.Column("signed_version_id", sa.String(64), nullable=False),
    sa.Column("label", sa.String(20), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("total_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("equipment", sa.JSON, nullable=False),
    sa.Column("terms", sa.JSON, nullable=False),
    sa.Column("signed_on", sa.Date, nullable=False),
    sa.Column("warranty_months", sa.Integer),
    sa.Column("status", sa.String(16), nullable=False),  # in_force | superseded
    sa.Column("superseded_by_version_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("supersedes_version_id", sa.String(64), nullable=False, server_default=""),
    # 0011: 合同编号 from contract.signed ("" when none): what the contract_ref matching rule looks for.
    sa.Column("contract_number", sa.String(40), nullable=False, server_default=""),
    sa.Index("ix_finance_contracts_contract", "tenant_id", "contract_id"),
    sa.Index("ix_finance_contracts_opportunity", "tenant_id", "opportunity_id"),
)

# Delivery and acceptance of a contract as finance recorded them (all its versions share them).
contract_triggers = sa.Table(
    "contract_triggers",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("contract_id", sa.String(64), primary_key=True),
    sa.Column("trigger", sa.String(16), primary_key=True),  # delivery | acceptance
    sa.Column("happened_on", sa.Date, nullable=False),
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    # The record's own id (sales' delivery_id, or finance's), ordering records of the same instant.
    sa.Column("record_id", sa.String(64), nullable=False, server_default=""),
)

payment_plans = sa.Table(
    "payment_plans",
    metadata,
    sa.Column("plan_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("contract_id", sa.String(64), nullable=False),
    sa.Column("contract_version_id", sa.String(64), nullable=False),
    sa.Column("label", sa.String(20), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # open | closed
    sa.Column("total_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("replaced_by_plan_id", sa.String(36), nullable=False, server_default=""),
    # One plan per signed version: a redelivered contract.signed finds it there.
    sa.UniqueConstraint("tenant_id", "contract_version_id", name="uq_payment_plans_version"),
    sa.Index("ix_payment_plans_contract", "tenant_id", "contract_id"),
    sa.Index("ix_payment_plans_opportunity", "tenant_id", "opportunity_id"),
)

instalments = sa.Table(
    "instalments",
    metadata,
    sa.Column("instalment_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("plan_id", sa.String(36), nullable=False),
    sa.Column("contract_id", sa.String(64), nullable=False),
    sa.Column("contract_version_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("trigger", sa.String(16), nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("due_on", sa.Date),  # NULL until its trigger happened
    sa.Column("paid_minor", sa.BigInteger, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    # What write-offs settled (never cash): paid_minor + written_off_minor against amount_minor decides paid.
    sa.Column("written_off_minor", sa.BigInteger, nullable=False, server_default="0"),
    # Who waived it and why (state waived).
    sa.Column("waived_by", sa.String(64)),
    sa.Column("waive_reason", sa.String(500), nullable=False, server_default=""),
    sa.Column("waived_at", sa.DateTime(timezone=True)),
    sa.Index("ix_instalments_plan", "tenant_id", "plan_id", "seq"),
    sa.Index("ix_instalments_contract", "tenant_id", "contract_id"),
    sa.Index("ix_instalments_due", "tenant_id", "state", "due_on"),
)

receipts = sa.Table(
    "receipts",
    metadata,
    sa.Column("receipt_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("contract_id", sa.String(64), nullable=False),
    sa.Column("contract_version_id", sa.String(64), nullable=False),
    sa.Column("instalment_id", sa.String(36), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("paid_on", sa.Date, nullable=False),
    sa.Column("payer_name", sa.String(200), nullable=False),
    sa.Column("reference", sa.String(100)),
    sa.Column("lead_source", sa.String(100), nullable=False),
    sa.Column("source", sa.String(16), nullable=False),  # manual | statement
    sa.Column("statement_line_id", sa.String(64)),
    sa.Column("status", sa.String(16), nullable=False),  # recorded | held | rejected | reversed
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reversed_by", sa.String(64)),
    sa.Column("reversal_reason", sa.String(500), nullable=False, server_default=""),
    sa.Column("reversed_at", sa.DateTime(timezone=True)),
    # A held receipt's review: released (→ recorded) or rejected, by whom and why.
    sa.Column("reviewed_by", sa.String(64)),
    sa.Column("review_note", sa.String(500), nullable=False, server_default=""),
    sa.Column("reviewed_at", sa.DateTime(timezone=True)),
    sa.Index("ix_receipts_contract", "tenant_id", "contract_id", "paid_on"),
    sa.Index("ix_receipts_opportunity", "tenant_id", "opportunity_id", "paid_on"),
    sa.Index("ix_receipts_instalment", "tenant_id", "instalment_id"),
    sa.Index("ix_receipts_statement_line", "tenant_id", "statement_line_id"),
    sa.Index("ix_receipts_status", "tenant_id", "status", "recorded_at"),
)

# Immutable: rows are only ever inserted (a correction is a new entry).
ledger_postings = sa.Table(
    "ledger_postings",
    metadata,
    sa.Column("posting_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("entry_id", sa.String(36), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # receipt | allocation | reversal | write_off
    sa.Column("receipt_id", sa.String(36)),
    sa.Column("instalment_id", sa.String(36)),  # NULL: the cash side
    sa.Column("amount_minor", sa.BigInteger, nullable=False),  # signed
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("posted_by", sa.String(64), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_ledger_entry", "tenant_id", "entry_id"),
    sa.Index("ix_ledger_receipt", "tenant_id", "receipt_id"),
    sa.Index("ix_ledger_instalment", "tenant_id", "instalment_id"),
)

# A write-off: the part of an instalment finance gave up on, settling it without cash (ledger kind write_off).
write_offs = sa.Table(
    "write_offs",
    metadata,
    sa.Column("write_off_id", sa.String(36), primary_key=True),  # also the ledger entry id of its postings
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("instalment_id", sa.String(36), nullable=False),
    sa.Column("contract_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("receipt_id", sa.String(36)),  # the receipt whose shortfall it wrote off, if any
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # active | reversed
    sa.Column("written_by", sa.String(64), nullable=False),
    sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reversed_by", sa.String(64)),
    sa.Column("reversal_reason", sa.String(500), nullable=False, server_default=""),
    sa.Column("reversed_at", sa.DateTime(timezone=True)),
    sa.Index("ix_write_offs_instalment", "tenant_id", "instalment_id"),
    sa.Index("ix_write_offs_receipt", "tenant_id", "receipt_id"),
)

# --- bank statements (F2); F3 reads lines and sets their status through StatementRepository ---

bank_statements = sa.Table(
    "bank_statements",
    metadata,
    sa.Column("statement_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("format", sa.String(16), nullable=False),  # camt053 | mt940 | cn_bank
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("opening_minor", sa.BigInteger),
    sa.Column("closing_minor", sa.BigInteger),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("period_from", sa.Date),
    sa.Column("period_to", sa.Date),
    sa.Column("imported_by", sa.String(64), nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # imported | held
    sa.Column("held_reason", sa.String(500), nullable=False, server_default=""),
    sa.Index("ix_bank_statements_tenant", "tenant_id", "imported_at"),
)

statement_lines = sa.Table(
    "statement_lines",
    metadata,
    sa.Column("line_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("statement_id", sa.String(36), nullable=False),
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("bank_ref", sa.String(100), nullable=False),  # 流水号 / AcctSvcrRef, or "h:" + a hash of the fields
    sa.Column("booked_on", sa.Date, nullable=False),
    sa.Column("value_on", sa.Date),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),  # positive; direction says which way
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("direction", sa.String(6), nullable=False),  # credit | debit
    sa.Column("counterparty_name", sa.String(200), nullable=False),
    sa.Column("counterparty_account", sa.String(64), nullable=False),
    sa.Column("remark", sa.String(500), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # unmatched | suggested | matched | ignored
    sa.UniqueConstraint("tenant_id", "account", "bank_ref", name="uq_statement_lines_ref"),
    sa.Index("ix_statement_lines_statement", "tenant_id", "statement_id"),
    sa.Index("ix_statement_lines_status", "tenant_id", "status", "booked_on"),
    sa.Index("ix_statement_lines_booked", "tenant_id", "booked_on", "line_id"),  # the lines list's order
)

# The tenant's bank export layouts (domain/bank_layout.py); none stored = the defaults.
bank_layouts = sa.Table(
    "bank_layouts",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("columns", sa.JSON, nullable=False),
    sa.Column("credit_marks", sa.JSON, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# The tenant's payment habits by region (domain/plan_template.py): a contract signed without terms is planned
# by its opportunity's province's, else its 大区's, else the default ("") template.
plan_templates = sa.Table(
    "plan_templates",
    metadata,
    sa.Column("template_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("region", sa.String(20), nullable=False),  # a province, a 大区, or "" (the default)
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("terms", sa.JSON, nullable=False),  # [{name, trigger, days, percent_bp}]
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant_id", "region", name="uq_plan_templates_region"),
)

# --- matching (F3): the tenant's ordered rules, and each match with its rule and evidence ---
match_rules = sa.Table(
    "match_rules",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rule_id", sa.String(36), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # contract_ref | payer_amount | amount_window
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("pattern", sa.String(200), nullable=False),
    sa.Column("min_name_score", sa.Float, nullable=False),
    sa.Column("window_days", sa.Integer, nullable=False),
    sa.Column("tolerance", sa.JSON, nullable=False),  # under_minor, over_minor, under_bp, over_bp
    sa.Column("auto_score", sa.Float, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

matches = sa.Table(
    "matches",
    metadata,
    sa.Column("match_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("line_id", sa.String(36), nullable=False),
    sa.Column("allocations", sa.JSON, nullable=False),  # [{instalment_id, amount_minor}], oldest due first
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("rule_id", sa.String(36), nullable=False),
    sa.Column("rule_kind", sa.String(20), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),  # suggested | confirmed | rejected | reversed
    sa.Column("by", sa.String(64), nullable=False),  # who last moved it (suggested: who ran the matching)
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False, server_default=""),
    # A run confirms it itself (until the receipt lock refuses it: then it is a suggestion for finance).
    sa.Column("confident", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("receipt_ids", sa.JSON, nullable=False, server_default="[]"),  # one per allocation, once confirmed
    sa.Column("write_offs", sa.JSON, nullable=False, server_default="[]"),  # [{instalment_id, amount_minor}]
    sa.Column("auto", sa.Boolean, nullable=False, server_default=sa.false()),  # confirmed by a run
    sa.Column("confirmed_by", sa.String(64)),
    sa.Column("confirmed_at", sa.DateTime(timezone=True)),
    sa.Index("ix_matches_tenant_status", "tenant_id", "status", "at"),
    sa.Index("ix_matches_tenant_line", "tenant_id", "line_id"),
)

# Overdue follow-up and reminders (F4): the key makes each action once.
follow_up_actions = sa.Table(
    "follow_up_actions",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("action_key", sa.String(120), primary_key=True),
    sa.Column("kind", sa.String(24), nullable=False),
    sa.Column("instalment_id", sa.String(36), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("assignee", sa.String(64), nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
    sa.Column("outstanding_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # open | done | skipped
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # The instalment's owner (the account manager): whose follow-ups a rep or manager sees.
    sa.Column("owner_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("done_by", sa.String(64), nullable=False, server_default=""),
    sa.Column("done_at", sa.DateTime(timezone=True)),
    sa.Column("note", sa.String(1000), nullable=False, server_default=""),
    sa.Index("ix_follow_up_assignee", "tenant_id", "assignee", "status"),
    sa.Index("ix_follow_up_owner", "tenant_id", "owner_id", "status"),
)

# --- rebates (partner portal, 0012): programmes, and each distributor's period settled once ---
rebate_programmes = sa.Table(
    "rebate_programmes",
    metadata,
    sa.Column("programme_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("period_kind", sa.String(8), nullable=False),  # month | quarter | year
    sa.Column("tiers", sa.JSON, nullable=False),  # [{threshold_minor, rate_bp}] ascending
    sa.Column("basis", sa.String(8), nullable=False),  # whole | marginal
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("distributor_ids", sa.JSON, nullable=False),  # [] = every distributor
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_rebate_programmes_tenant", "tenant_id", "name"),
)

# Only inserted: the unique key refuses a second settlement of a distributor's period.
rebate_settlements = sa.Table(
    "rebate_settlements",
    metadata,
    sa.Column("settlement_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("programme_name", sa.String(200), nullable=False),
    sa.Column("distributor_id", sa.String(64), nullable=False),
    sa.Column("period", sa.String(8), nullable=False),
    sa.Column("period_starts_on", sa.Date, nullable=False),
    sa.Column("period_ends_on", sa.Date, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("collected_minor", sa.BigInteger, nullable=False),
    sa.Column("tier", sa.Integer, nullable=False),
    sa.Column("rate_bp", sa.Integer, nullable=False),
    sa.Column("basis", sa.String(8), nullable=False),
    sa.Column("tiers", sa.JSON, nullable=False),
    sa.Column("rebate_minor", sa.BigInteger, nullable=False),
    sa.Column("receipt_count", sa.Integer, nullable=False),
    sa.Column("note", sa.String(500), nullable=False),
    sa.Column("settled_by", sa.String(64), nullable=False),
    sa.Column("settled_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant_id", "programme_id", "distributor_id", "period", name="uq_rebate_settlements_period"),
    sa.Index("ix_rebate_settlements_settled", "tenant_id", "settled_at", "settlement_id"),
)

# The receipts a settlement counted, with the amount each counted for.
rebate_settlement_receipts = sa.Table(
    "rebate_settlement_receipts",
    metadata,
    sa.Column("settlement_id", sa.String(36), primary_key=True),
    sa.Column("receipt_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
)
