"""What a user may do with a subject (an opportunity or a customer), for the
services that keep things about it: documents, approvals, payments. The
same rule as this service's own reads and writes (domain/access.py): read
when the subject's owner is in the user's scope, write when readable and
the role changes things. Another tenant's subject does not exist."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crm_shared.context import Caller
from crm_shared.domain.errors import Validator
from crm_shared.roles import ROLES

from opportunity.domain.access import WRITERS, scope_for

SUBJECT_TYPES = ("opportunity", "customer")


@dataclass(frozen=True)
class SubjectAccess:
    exists: bool
    readable: bool
    writable: bool


NOTHING = SubjectAccess(exists=False, readable=False, writable=False)


def validate_query(asker: Caller, tenant_id: str, user_id: str, role: str, subject_type: str) -> None:
    """A service may ask only about users of its own tenant. An unknown or
    overlong subject id is not an error: it does not exist."""
    v = Validator()
    if tenant_id != asker.tenant_id:
        v.add("tenant_id", "must be the calling service's tenant")
    v.require("user_id", user_id)
    if role not in ROLES:
        v.add("role", f"must be one of {', '.join(ROLES)}")
    if subject_type not in SUBJECT_TYPES:
        v.add("subject_type", f"must be one of {', '.join(SUBJECT_TYPES)}")
    v.check()


def decide(user: Caller, owner_id: str | None, team_of_manager: Iterable[str] = ()) -> SubjectAccess:
    """`owner_id` None: no such subject in the user's tenant. `team_of_manager`
    is the reps the user manages (for a manager)."""
    if owner_id is None:
        return NOTHING
    readable = scope_for(user, team_of_manager).covers(user.tenant_id, owner_id)
    return SubjectAccess(exists=True, readable=readable, writable=readable and user.role in WRITERS)
