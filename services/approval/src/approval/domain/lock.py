"""The subject lock: while a request is pending, the fields its policy names
(kept on the request as locked_fields) belong to it, and the service owning
the subject refuses to change them. Recall, rejection, approval, void or a
send-back end the pending status and with it the lock."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared import roles

# Only backend services ask (opportunity before it writes a lockable field).
LOCK_READERS = (roles.SYSTEM,)


@dataclass(frozen=True)
class SubjectLock:
    approval_id: str
    kind: str
    title: str
    fields: tuple[str, ...]
