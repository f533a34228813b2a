"""The subject lock of issue 11, on the opportunity's side: while an approval
request about an opportunity is pending, the fields its policy names cannot
change (409 naming the request and the field). Approval says which requests
lock what (ApprovalLockService); the rule of what counts as a change is here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crm_shared.approval_kinds import KIND_LABELS, OPPORTUNITY_LOCKABLE_FIELDS
from crm_shared.domain.errors import FailedPrecondition, Violation

from opportunity.domain.opportunity import Opportunity


@dataclass(frozen=True)
class SubjectLock:
    approval_id: str
    kind: str
    fields: tuple[str, ...]


# A lockable field and the Opportunity attributes that hold it.
_ATTRIBUTES = {name: (name,) for name in OPPORTUNITY_LOCKABLE_FIELDS} | {"amount": ("amount_minor", "currency")}


def changed_fields(before: Opportunity, after: Opportunity) -> frozenset[str]:
    """The lockable fields whose value differs: sending a field's current value changes nothing."""
    return frozenset(
        f for f, attrs in _ATTRIBUTES.items() if any(getattr(before, a) != getattr(after, a) for a in attrs)
    )


def refuse_locked(before: Opportunity, after: Opportunity, locks: Sequence[SubjectLock]) -> None:
    """FAILED_PRECONDITION (409) naming every changed field a pending request locks, and the request."""
    changed = changed_fields(before, after)
    found = [
        Violation(
            "approval_lock",
            f,
            f"{f} is locked while approval {lock.approval_id} ({KIND_LABELS.get(lock.kind, lock.kind)}) is pending; "
            "recall it or wait for its decision",
        )
        for lock in locks
        for f in lock.fields
        if f in changed
    ]
    if found:
        ids = ", ".join(dict.fromkeys(lock.approval_id for lock in locks if set(lock.fields) & changed))
        raise FailedPrecondition(
            f"opportunity {before.opportunity_id} has a pending approval ({ids}) locking "
            f"{', '.join(sorted({v.subject for v in found}))}; nothing was changed",
            found,
        )
