"""What the approval pages share: the gateway's words they translate and the confirmation each action
ends with."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from web.templating import render

ACTION_DONE = {
    "approve": "Approved.",
    "reject": "Rejected.",
    "send-back": "Sent back.",
    "add-signers": "Signers added.",
    "remove-signer": "Signer removed.",
    "transfer": "Transferred.",
    "delegate": "Delegated: the task comes back to you to confirm.",
    "confirm": "The delegate's opinion confirmed.",
    "recall": "Request recalled.",
    "remind": "The approvers were reminded.",
    "resubmit": "Request resubmitted.",
    "cc": "Copied in.",
    "comment": "Comment added.",
}
# English msgids of the gateway's words (translated in the templates).
KINDS = {
    "quote": "Quote", "contract": "Contract", "technical_proposal": "Technical proposal", "discount": "Discount",
    "promotion": "Promotion", "payment_exception": "Payment exception",
    "partner_registration": "Partner registration", "protection_extension": "Protection extension",
}
REQUEST_STATUS = {
    "pending": "In approval", "approved": "Approved", "rejected": "Rejected", "recalled": "Recalled",
    "voided": "Voided", "returned": "Sent back to requester",
}
TASK_STATUS = {
    "waiting": "Waiting", "pending": "To decide", "approved": "Approved", "rejected": "Rejected",
    "transferred": "Transferred", "delegated": "Delegated", "skipped": "Skipped", "cancelled": "Cancelled",
}
HISTORY_ACTIONS = {
    "submitted": "submitted the request", "assigned": "was asked", "approved": "approved", "rejected": "rejected",
    "sent_back": "sent it back", "signers_added": "added signers", "signer_removed": "removed a signer",
    "transferred": "transferred the task", "delegated": "delegated the task",
    "confirmed": "confirmed the delegate's opinion", "skipped": "step skipped", "substituted": "stood in as deputy",
    "fallback": "fallback approver asked", "escalated": "escalated", "reminded": "sent a reminder",
    "recalled": "recalled the request", "voided": "voided the request", "stale": "the document changed",
    "copied": "copied people in", "commented": "commented", "resubmitted": "resubmitted",
    "step_completed": "step completed", "stage_completed": "stage completed", "decided": "the request was decided",
    "auto_approved": "approved automatically", "auto_rejected": "rejected automatically",
}
DIMENSION_LABELS = {"step": "Step", "approver": "Approver", "stage": "Stage", "department": "Department",
                    "policy": "Policy"}
LABELS = {"kinds": KINDS, "dimension_labels": DIMENSION_LABELS, "request_status": REQUEST_STATUS, "task_status": TASK_STATUS,
          "history_actions": HISTORY_ACTIONS}


def page(request: Request, name: str, ctx: dict[str, Any], **kw: Any) -> HTMLResponse:
    return render(request, name, LABELS | ctx, **kw)
