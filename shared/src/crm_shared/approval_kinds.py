"""What approval and opportunity both need to know about approvals, kept once:
the kinds of request (a policy applies to one; a stage gate asks for one) and
the subject fields a pending request may lock."""

from __future__ import annotations

# What a request is about (the subject is an opportunity or a customer, whose
# access opportunity decides; the kind says what is asked of it).
KINDS = ("quote", "contract", "technical_proposal", "discount", "promotion", "payment_exception")

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
}
