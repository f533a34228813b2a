"""What approval and the services asking it both need to know about approvals,
kept once: the kinds of request (a policy applies to one; a stage gate asks for
one), the subject fields a pending request may lock, and what lead-routing
sends with a partner's request (its subject types and given facts)."""

from __future__ import annotations

# What a request is about (the subject is an opportunity or a customer, whose
# access opportunity decides, or a partner's registration or promotion
# application, whose access lead-routing decides; the kind says what is asked).
KINDS = (
    "quote",
    "contract",
    "technical_proposal",
    "discount",
    "promotion",
    "payment_exception",
    "partner_registration",
    "protection_extension",
)

# The partner portal's requests (docs/adr/0010-partner-portal.md): a distributor's deal
# registration (报备) and an extension of its protection window, both about a
# registration; a promotion application (渠道推广申请) is of the kind promotion.
PARTNER_REGISTRATION = "partner_registration"
PROTECTION_EXTENSION = "protection_extension"
PROMOTION = "promotion"
PARTNER_KINDS = (PARTNER_REGISTRATION, PROTECTION_EXTENSION, PROMOTION)
# What an opportunity's stage gate may ask for: every kind but those about a registration.
OPPORTUNITY_KINDS = tuple(k for k in KINDS if k not in (PARTNER_REGISTRATION, PROTECTION_EXTENSION))

# Their subjects belong to lead-routing, which says who may see them
# (crm_shared.subject_access routes the question there).
REGISTRATION = "registration"
PROMOTION_APPLICATION = "promotion_application"
PARTNER_SUBJECT_TYPES = (REGISTRATION, PROMOTION_APPLICATION)

# The facts lead-routing gives with a partner's request (Fact name/value; only
# the subject's owner may give them): the amount in whole 元, the distributor's
# channel manager (who decides: approver kind channel_manager), the distributor
# id and the partner user who asked.
FACT_AMOUNT = "金额"
FACT_CHANNEL_MANAGER = "渠道经理"
FACT_DISTRIBUTOR = "分销商"
FACT_APPLICANT = "申请人"

# Approvals stored before kinds existed were quotes (approval's migration 0002);
# a gate that only said "requires an approval" asks for that kind.
LEGACY_KIND = "quote"

# The opportunity fields UpdateOpportunity writes and a pending request's policy
# may lock (Policy.locked_fields); amount covers its currency.
OPPORTUNITY_LOCKABLE_FIELDS = (
    "name",
    "amount",
    "expected_close_date",
    "contract_end_date",
    "product_line",
    "decision_maker",
)

# How a person reads a kind (request titles, gate reasons).
KIND_LABELS = {
    "quote": "报价审批",
    "contract": "合同审批",
    "technical_proposal": "技术方案审批",
    "discount": "折扣审批",
    "promotion": "渠道推广申请",
    "payment_exception": "回款异常审批",
    "partner_registration": "渠道报备审批",
    "protection_extension": "报备保护期延长",
}
