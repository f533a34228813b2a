"""Who may see and change a partner's registration (报备) or promotion
application, for the services that keep things about them: approval (the
channel manager's request) and document-versioning (an application's
documents). lead-routing owns these subjects, so it answers, with the rule
the partner portal's own reads follow (docs/adr/0010-partner-portal.md):

- admin (and services): the tenant's, read and write;
- the distributor's channel manager: read and write (they decide them);
- other managers: read registrations (they must see partner protection),
  not applications;
- a partner of the distributor (named by their token's organisation, one of
  its users, the distributor current): read their organisation's
  registrations; read and write (attach documents to) its applications;
- everyone else (reps, finance, reviewers, another distributor's partners):
  the subject exists but is not theirs — callers answer that as not found.

Another tenant's subject, an unknown or overlong id, does not exist. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm_shared import roles
from crm_shared.approval_kinds import PARTNER_SUBJECT_TYPES, PROMOTION_APPLICATION, REGISTRATION
from crm_shared.context import Caller
from crm_shared.domain.errors import Validator

from lead_routing.domain.distributor import Distributor

MAX_ID = 64  # ids here are UUIDs; a longer one cannot exist


@dataclass(frozen=True)
class SubjectAccess:
    exists: bool
    readable: bool
    writable: bool


NOTHING = SubjectAccess(exists=False, readable=False, writable=False)
NOT_THEIRS = SubjectAccess(exists=True, readable=False, writable=False)
READ = SubjectAccess(exists=True, readable=True, writable=False)
READ_WRITE = SubjectAccess(exists=True, readable=True, writable=True)


def validate_query(asker: Caller, tenant_id: str, user_id: str, role: str, subject_type: str) -> None:
    """A service may ask only about users of its own tenant, and only about the
    partner portal's subject types."""
    v = Validator()
    if tenant_id != asker.tenant_id:
        v.add("tenant_id", "must be the calling service's tenant")
    v.require("user_id", user_id)
    if role not in roles.ROLES:
        v.add("role", f"must be one of {', '.join(roles.ROLES)}")
    if subject_type not in PARTNER_SUBJECT_TYPES:
        v.add("subject_type", f"must be one of {', '.join(PARTNER_SUBJECT_TYPES)}")
    v.check()


def decide(
    user: Caller, subject_type: str, distributor_id: str | None, distributor: Distributor | None, now: datetime
) -> SubjectAccess:
    """`distributor_id` None: no such subject in the user's tenant; otherwise
    the distributor the subject is of, and that distributor as stored (None
    when it is gone)."""
    if distributor_id is None:
        return NOTHING
    if user.role in (roles.ADMIN, roles.SYSTEM):
        return READ_WRITE
    if user.role == roles.MANAGER:
        if distributor is not None and distributor.channel_manager_id == user.user_id:
            return READ_WRITE
        return READ if subject_type == REGISTRATION else NOT_THEIRS
    if user.role == roles.PARTNER:
        ours = distributor is not None and user.organisation == distributor_id and distributor.serves(user.user_id, now)
        if not ours:
            return NOT_THEIRS
        return READ_WRITE if subject_type == PROMOTION_APPLICATION else READ
    return NOT_THEIRS
